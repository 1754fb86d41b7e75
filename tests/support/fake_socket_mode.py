"""A fake Socket Mode WebSocket endpoint on loopback (plain ws://, as slack_sdk allows off port 443).

It speaks just enough of RFC 6455 for slack_sdk's built-in client: the upgrade
handshake, text frames both ways (the client's masked), ping/pong and close. It says
hello on connect, sends envelopes the test hands it, and records the client's
acknowledgements.
"""

import base64
import hashlib
import json
import socket
import struct
import threading

_WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


def _frame(opcode: int, payload: bytes) -> bytes:
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", 0x80 | opcode, length)
    elif length < 1 << 16:
        header = struct.pack("!BBH", 0x80 | opcode, 126, length)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 127, length)
    return header + payload


def _read_exactly(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def _read_frame(connection: socket.socket) -> tuple[int, bytes]:
    first, second = _read_exactly(connection, 2)
    length = second & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", _read_exactly(connection, 2))
    elif length == 127:
        (length,) = struct.unpack("!Q", _read_exactly(connection, 8))
    mask = _read_exactly(connection, 4) if second & 0x80 else b"\0\0\0\0"
    payload = bytes(byte ^ mask[i % 4] for i, byte in enumerate(_read_exactly(connection, length)))
    return first & 0x0F, payload


class FakeSocketMode:
    def __init__(self, on_message):
        self._on_message = on_message  # called with each JSON message the client sends
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._clients: list[socket.socket] = []
        self._lock = threading.Lock()
        self.connected = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link"

    def send(self, message: dict) -> None:
        with self._lock:
            for client in self._clients:
                client.sendall(_frame(TEXT, json.dumps(message).encode()))

    def stop(self) -> None:
        self._listener.close()
        with self._lock:
            for client in self._clients:
                client.close()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        try:
            request = b""
            while b"\r\n\r\n" not in request:
                request += _read_exactly(connection, 1)
            headers = dict(line.split(": ", 1) for line in request.decode().split("\r\n")[1:] if ": " in line)
            key = {name.lower(): value for name, value in headers.items()}["sec-websocket-key"]
            accept = base64.b64encode(hashlib.sha1((key + _WEBSOCKET_GUID).encode()).digest()).decode()
            connection.sendall(
                (
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    f"Sec-WebSocket-Accept: {accept}\r\n\r\n"
                ).encode()
            )
            with self._lock:
                self._clients.append(connection)
            connection.sendall(_frame(TEXT, json.dumps({"type": "hello", "num_connections": 1}).encode()))
            self.connected.set()
            while True:
                opcode, payload = _read_frame(connection)
                if opcode == PING:
                    with self._lock:
                        connection.sendall(_frame(PONG, payload))
                elif opcode == TEXT:
                    self._on_message(json.loads(payload))
                elif opcode == CLOSE:
                    return
        except (ConnectionError, OSError, KeyError, ValueError):
            return
        finally:
            with self._lock:
                if connection in self._clients:
                    self._clients.remove(connection)
            connection.close()
