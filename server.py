"""Serving Slack until told to stop, and stopping.

HTTP is served by waitress, a threaded production WSGI server: Slack's requests (unless
they come over Socket Mode), the OAuth pages and /healthz. With an app token, Slack's
requests come over a Socket Mode connection instead. SIGTERM, as service managers send
it, stops serving as Ctrl-C does; then `finish` lets what was acknowledged end.
"""

import logging
import signal
import socket
import threading

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler as BoltSocketModeHandler
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode import builtin
from waitress import wasyncore
from waitress.server import create_server

from config import Config, ConfigError
from deps import Deps
from handlers.web import EVENTS_PATH, HEALTH_PATH, make_wsgi_app
from jobs.command_jobs import Workers
from storage.db import Store

logger = logging.getLogger(__name__)

HTTP_THREADS = 32
SOCKET_MODE_PING_SECONDS = 10  # Bolt's own Socket Mode adapter's
# How long stopping waits for the Socket Mode client's threads; they are daemon threads,
# so one still running past this does not keep the process from exiting.
SOCKET_MODE_CLOSE_SECONDS = 5.0


class Server:
    """The HTTP server, and with an app token the Socket Mode connection: one process's way in."""

    def __init__(self, app: App, store: Store, config: Config):
        """Listening on every interface at `config.port`; with an app token, ready to connect
        to Slack over Socket Mode. Raises ConfigError when the port is taken, or when Slack
        refuses SLACK_APP_TOKEN or cannot be reached."""
        self._app, self._port = app, config.port
        self._channels: dict = {}  # waitress's sockets: the listening one and each connection
        try:
            self._http = create_server(
                make_wsgi_app(app, store),
                map=self._channels,
                host="0.0.0.0",
                port=config.port,
                threads=HTTP_THREADS,
                ident="mentor",
            )
        except OSError as error:
            raise ConfigError.port_unavailable(config.port, error) from None
        try:
            self._socket_mode = SocketModeHandler(app, config.app_token) if config.app_token else None
        except ConfigError:
            wasyncore.close_all(self._channels)
            raise

    def run(self) -> None:
        """Serve until Ctrl-C or SIGTERM. Then requests being handled finish (waitress gives
        them 5 s), and the port and the Socket Mode connection close, so Slack and load
        balancers see this process gone while it finishes its work (see finish)."""
        # Before Slack can send anything over Socket Mode: a SIGTERM from then on stops it cleanly.
        signal.signal(signal.SIGTERM, _stop_serving)
        try:
            if self._socket_mode is None:
                here = f"http://{socket.gethostname()}:{self._port}"
                logger.info("Serving HTTP on port %d: Slack should send requests to %s", self._port, here + EVENTS_PATH)
                if self._app.oauth_flow is not None:
                    logger.info("Workspaces install Mentor from %s", here + self._app.oauth_flow.install_path)
            else:
                self._socket_mode.connect()
                logger.info("Connected to Slack over Socket Mode; HTTP on port %d serves %s", self._port, HEALTH_PATH)
            self._http.run()
        except KeyboardInterrupt:
            pass  # waitress stops on it by itself; this is one arriving outside its loop
        finally:
            wasyncore.close_all(self._channels)
            if self._socket_mode is not None:
                self._socket_mode.close()  # Slack sends the next requests to another connection


def _stop_serving(signum, frame) -> None:
    # SIGTERM stops serving as Ctrl-C does; a second one ends the process at once.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    raise KeyboardInterrupt


def wait_for_stop() -> None:
    """Return on SIGTERM or Ctrl-C (a second SIGTERM then ends the process at once)."""
    signal.signal(signal.SIGTERM, _stop_serving)
    try:
        while True:
            signal.pause()
    except KeyboardInterrupt:
        pass


def finish(deps: Deps, scheduler=None, workers: Workers | None = None) -> None:
    """Once serving has stopped: let the work already acknowledged end, in the order it is
    handed on (scheduled jobs, the commands' work this process's workers hold, then what
    listeners and workers left to the listener and background pools, whose own last hand-offs
    run as the interpreter exits). Bolt's own listener pool runs nothing of Mentor's: its
    listeners run on the request's thread (process_before_response, app.py). Commands' work
    not yet claimed stays in the database for a worker."""
    if scheduler is not None:
        scheduler.shutdown(wait=True)
    if not deps.recorder.close():  # commands acknowledged while their record was on its way
        logger.error("Commands acknowledged but not yet recorded may be lost: the database did not answer")
    if workers is not None:
        workers.stop()
    deps.settle_background()


class SocketModeHandler(BoltSocketModeHandler):
    """Bolt's Socket Mode adapter, over a client whose close() returns (SocketModeClient)."""

    def __init__(self, app: App, app_token: str):
        """Ready to connect (`connect()`), with a URL from Slack to connect to. Raises
        ConfigError when Slack refuses `app_token` or cannot be reached."""
        # Not Bolt's __init__: it would build and start slack_sdk's own client.
        self.app, self.app_token = app, app_token
        self.client = SocketModeClient(
            app_token=app_token,
            logger=app.logger,
            web_client=app.client,
            proxy=app.client.proxy,
            ping_interval=SOCKET_MODE_PING_SECONDS,
        )
        self.client.socket_mode_request_listeners.append(self.handle)  # type: ignore[arg-type] # as in Bolt's own
        try:
            # Asked here, not by connect(), which would log Slack's whole answer before raising.
            self.client.wss_uri = app.client.apps_connections_open(app_token=app_token)["url"]
        except SlackApiError as error:
            self.client.close()
            raise ConfigError.refused_by_slack("SLACK_APP_TOKEN", error) from None
        except OSError as error:
            self.client.close()
            raise ConfigError.slack_unreachable(error) from None


class SocketModeClient(builtin.SocketModeClient):
    """slack_sdk's built-in Socket Mode client, whose close() returns, within
    SOCKET_MODE_CLOSE_SECONDS.

    slack_sdk 3.47's close() marks the session ended, then joins the thread that receives
    from it, without a timeout. That thread can undo the close: if it starts a turn in
    between, it marks the session live again (`_run_current_session`) and then loops for
    good on the closed socket. A reconnection finishing meanwhile does the same with a new
    session, and turns automatic reconnection back on (`connect`)."""

    def __init__(self, **kwargs):
        self.closed = False  # read by _run_current_session, whose thread slack_sdk starts before setting it
        super().__init__(**kwargs)

    def connect(self) -> None:
        # Reconnections call this holding connect_operation_lock, under which close() marks
        # the client closed: none can open a session after that.
        if not self.closed:
            super().connect()

    def _run_current_session(self) -> None:
        if not self.closed:
            super()._run_current_session()

    def close(self) -> None:
        """Disconnect and stop the client's threads. Returns within SOCKET_MODE_CLOSE_SECONDS
        whatever they do; a warning is logged if they have not stopped by then."""
        closing = threading.Thread(target=self._close, name="socket-mode-close", daemon=True)
        closing.start()
        closing.join(timeout=SOCKET_MODE_CLOSE_SECONDS)
        if closing.is_alive():
            logger.warning("Socket Mode did not close within %g s; stopping without it", SOCKET_MODE_CLOSE_SECONDS)

    def _close(self) -> None:
        with self.connect_operation_lock:  # a reconnection under way ends first
            self.closed = True
            self.auto_reconnect_enabled = False
        super().close()
