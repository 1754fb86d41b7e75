"""Slack installations: which bot token each request and job uses, and the Web API clients.

One workspace: SLACK_BOT_TOKEN, on the one client. Many workspaces: Slack's OAuth install
flow, with each installation's bot token (and the flow's state) kept in our database by
slack-sdk's SQLAlchemy stores; a request then uses the token it was authorized with, and
a job the token of the workspace it works for.
"""

from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import and_, desc, or_, select

from bot.ids import BOT_SCOPES
from config import Config
from storage.db import Store

OAUTH_STATE_SECONDS = 600
# What a member of a workspace with no installation is told.
NOT_INSTALLED = (
    "Mentor isn't installed in this workspace, or its installation was removed. Ask a workspace admin to install it."
)


def make_client(config: Config) -> WebClient:
    """The one Web API client; Bolt copies its base URL and retry handlers for each request."""
    return WebClient(
        token=config.bot_token,
        base_url=config.api_url or WebClient.BASE_URL,
        retry_handlers=[ConnectionErrorRetryHandler(), RateLimitErrorRetryHandler(max_retry_count=3)],
    )


def installation_store(config: Config, store: Store) -> SQLAlchemyInstallationStore | None:
    """Where OAuth installs keep their bot tokens; None with one workspace's SLACK_BOT_TOKEN."""
    if not config.uses_oauth:
        return None
    assert config.client_id is not None  # load_config asks for it whenever there is no bot token
    return SQLAlchemyInstallationStore(client_id=config.client_id, engine=store.engine)


def with_token(client: WebClient, token: str) -> WebClient:
    """`client`'s Slack (base URL and retries) with another bot token."""
    return WebClient(token=token, base_url=client.base_url, retry_handlers=client.retry_handlers)


def workspace_clients(client: WebClient, installations: SQLAlchemyInstallationStore | None):
    """For jobs, which run outside any request: a client with the bot token of the
    installation that owns `owner`'s data (see handlers.listeners.workspace_of), or None when
    that installation is gone."""

    def client_for(owner: str) -> WebClient | None:
        if installations is None:
            return client
        token = bot_token_of(installations, owner)
        return with_token(client, token) if token else None

    return client_for


def bot_token_of(installations: SQLAlchemyInstallationStore, owner: str) -> str | None:
    """The newest bot token of the installation owning `owner`: an org-wide install when
    `owner` is an org, the workspace's own install otherwise (an Enterprise Grid workspace's
    included, whatever its org).

    Why not installations.find_bot: it matches on the org and the workspace together, and a
    job knows only the owner; asked for a Grid workspace with enterprise_id=None it matches
    only installs outside any org, and finds nothing. This reads the same table, slack-sdk's."""
    bots = installations.bots.c
    query = (
        select(bots.bot_token)
        .where(
            bots.client_id == installations.client_id,
            bots.bot_token.is_not(None),
            or_(
                and_(bots.is_enterprise_install.is_(False), bots.team_id == owner),
                and_(bots.is_enterprise_install.is_(True), bots.enterprise_id == owner),
            ),
        )
        .order_by(desc(bots.installed_at))
        .limit(1)
    )
    with installations.engine.connect() as connection:
        return connection.execute(query).scalar()


def oauth_settings(
    config: Config, store: Store, client: WebClient, installations: SQLAlchemyInstallationStore
) -> OAuthSettings:
    """Slack's install flow, with installations and state kept in our database by slack-sdk's stores."""
    # GovSlack and test servers: the authorize page lives beside the Web API.
    authorize_url = client.base_url.removesuffix("api/") + "oauth/v2/authorize"
    return OAuthSettings(
        client_id=config.client_id,
        client_secret=config.client_secret,
        scopes=list(BOT_SCOPES),
        installation_store=installations,
        state_store=SQLAlchemyOAuthStateStore(expiration_seconds=OAUTH_STATE_SECONDS, engine=store.engine),
        installation_store_bot_only=True,
        authorization_url=authorize_url,
    )
