"""The HTTP surface: Slack's requests, the OAuth pages, and a health check."""

from collections.abc import Callable, Iterable

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from storage.db import Store

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


def make_wsgi_app(app: App, store: Store) -> Callable:
    """A WSGI application: `POST /slack/events`, `/slack/install` and `/slack/oauth_redirect`
    when OAuth is on, and `GET /healthz`, 200 only while the database answers."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            healthy = store.is_healthy()
            status = "200 OK" if healthy else "503 Service Unavailable"
            body = b"ok\n" if healthy else b"database unavailable\n"
            start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")])
            return [body]
        return slack(environ, start_response)

    return application
