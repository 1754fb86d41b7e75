"""Stopping over Socket Mode: closing the client (server.SocketModeClient) returns and ends
its threads, whatever they are doing, against the fake Socket Mode endpoint on loopback."""

import logging
import threading

import pytest
from slack_sdk import WebClient
from slack_sdk.socket_mode import builtin
from slack_sdk.socket_mode.builtin.connection import Connection

import server
from server import SocketModeClient
from tests.support.fake_socket_mode import FakeSocketMode


class TurnsSeen(SocketModeClient):
    """Tells when its session thread starts a turn: receiving from a live connection, or
    finding none, every 0.1 s."""

    def __init__(self, **kwargs):
        self.turn = threading.Event()
        super().__init__(**kwargs)

    def _run_current_session(self) -> None:
        self.turn.set()
        super()._run_current_session()


@pytest.fixture
def endpoint():
    fake = FakeSocketMode(lambda message: None)
    yield fake
    fake.stop()


def connected(endpoint: FakeSocketMode, client_class=SocketModeClient) -> SocketModeClient:
    client = client_class(app_token="xapp-test", web_client=WebClient(), logger=logging.getLogger("socket-mode-test"))
    client.wss_uri = endpoint.url
    client.connect()
    assert endpoint.connected.wait(timeout=10)
    return client


def closing(client: SocketModeClient) -> threading.Thread:
    """close() on a thread of its own, so that a close that hangs fails the test instead."""
    thread = threading.Thread(target=client.close, daemon=True)
    thread.start()
    return thread


def test_closing_ends_the_session_even_when_its_thread_starts_a_turn_meanwhile(endpoint, monkeypatch):
    client = connected(endpoint, TurnsSeen)
    client.turn.clear()
    assert client.turn.wait(timeout=10)  # the turn that receives from the connection
    client.turn.clear()
    disconnect = Connection.disconnect

    def disconnect_after_a_turn(connection):
        # The session thread gets to start a turn between close() ending the session and
        # the socket closing: its receiving turn ends (close marked the session ended) and
        # the next begins while the socket is still open.
        client.turn.wait(timeout=10)
        disconnect(connection)

    monkeypatch.setattr(Connection, "disconnect", disconnect_after_a_turn)
    stopping = closing(client)

    stopping.join(timeout=30)
    assert not stopping.is_alive(), "close() never returned"
    assert client.turn.is_set(), "the session thread did not start a turn during close(): nothing was tested"
    threads = {
        "session": client.current_session_runner,
        "monitor": client.current_app_monitor,
        "messages": client.message_processor,
    }
    assert [name for name, runner in threads.items() if runner.is_alive()] == []


def test_closing_gives_up_waiting_for_the_client_after_a_few_seconds(endpoint, monkeypatch, caplog):
    client = connected(endpoint)
    released = threading.Event()
    monkeypatch.setattr(builtin.SocketModeClient, "close", lambda self: released.wait())  # slack_sdk's never returns
    monkeypatch.setattr(server, "SOCKET_MODE_CLOSE_SECONDS", 0.5)
    try:
        stopping = closing(client)
        stopping.join(timeout=10)
        assert not stopping.is_alive(), "close() waited for the client for good"
        assert "Socket Mode did not close within" in caplog.text
    finally:
        released.set()
        monkeypatch.undo()
        client.close()
