"""Serving Slack until told to stop, and stopping.

HTTP is served by waitress, a threaded production WSGI server: Slack's requests (unless
they come over Socket Mode), the OAuth pages and /healthz. With an app token, Slack's
requests come over a Socket Mode connection instead. SIGTERM, as service managers send
it, stops serving as Ctrl-C does; then `finish` lets what was acknowledged end.
"""

import logging
import signal

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from waitress import wasyncore
from waitress.server import create_server

from config import Config, unavailable_port
from handlers.deps import Deps
from handlers.web import make_wsgi_app
from storage.db import Store

logger = logging.getLogger(__name__)

HTTP_THREADS = 32


class Server:
    def __init__(self, app: App, store: Store, config: Config):
        """Listening on every interface at `config.port`, and with an app token connected to
        Slack over Socket Mode. Raises ConfigError when the port is taken."""
        self._channels: dict = {}  # waitress's sockets: the listening one and each connection
        try:
            self._http = create_server(
                make_wsgi_app(app, store), map=self._channels, host="0.0.0.0", port=config.port,
                threads=HTTP_THREADS, ident="mentor",
            )
        except OSError as error:
            raise unavailable_port(config.port, error) from None
        self._socket_mode = None
        if config.app_token is not None:
            self._socket_mode = SocketModeHandler(app, app_token=config.app_token)
            self._socket_mode.connect()
            logger.info("Connected to Slack over Socket Mode")
        logger.info("Serving HTTP on port %d", config.port)

    def run(self) -> None:
        """Serve until Ctrl-C or SIGTERM. Then requests being handled finish (waitress gives
        them 5 s), and the port and the Socket Mode connection close, so Slack and load
        balancers see this process gone while it finishes its work (see finish)."""
        signal.signal(signal.SIGTERM, _stop_serving)
        try:
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


def finish(app: App, deps: Deps, scheduler=None) -> None:
    """Once serving has stopped: let the work already acknowledged end, in the order it is
    handed on (scheduled jobs, listeners, commands' work, then what they left to the
    background pool, whose own last hand-offs run as the interpreter exits)."""
    if scheduler is not None:
        scheduler.shutdown(wait=True)
    app.listener_runner.listener_executor.shutdown(wait=True)
    if deps.command_worker is not None:
        deps.command_worker.stop()
    deps.settle_background()
