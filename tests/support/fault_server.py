"""A scripted HTTP/1.1 server on 127.0.0.1 for fault-injection tests of the client runtime.

Each test scripts the replies, in order, one per incoming request (retries included), and then
looks at what arrived: ``server.attempts``, ``server.requests`` (method, path, headers, body).
A reply is a list of steps on the raw socket, so it can do what well-behaved servers never do:
stall before or inside a reply, declare a longer body than it sends and hang up, send an event
stream chunk by chunk with pauses, or drop the connection half way. Writes that fail because the
client went away are counted in ``server.client_gone``.

    with FaultServer() as server:
        server.script(json_reply({"error": {...}}, status=503), json_reply({"ok": True}))
        ... call server.url ...
        assert server.attempts == 2
"""

from __future__ import annotations

import http
import json
import socket
import socketserver
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self
from urllib.parse import parse_qs, urlsplit

CRLF = "\r\n"


@dataclass(frozen=True)
class Send:
    """Write these bytes."""

    data: bytes


@dataclass(frozen=True)
class Sleep:
    """Pause (cut short when the server stops)."""

    seconds: float


@dataclass(frozen=True)
class Drop:
    """Close the connection at once, whatever was promised."""


Step = Send | Sleep | Drop


@dataclass(frozen=True)
class Reply:
    """The steps answering one request; the connection stays open after them unless dropped."""

    steps: tuple[Step, ...]
    label: str = ""


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server read it (header names lower-cased)."""

    method: str
    target: str
    headers: Mapping[str, str]
    body: bytes
    connection: int  # 1 for the first connection the server accepted, 2 for the next, ...

    @property
    def path(self) -> str:
        """The target without its query string."""
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, list[str]]:
        """The parsed query string."""
        return parse_qs(urlsplit(self.target).query, keep_blank_values=True)

    def json(self) -> object:
        """The body parsed as JSON."""
        return json.loads(self.body)


def _head(status: int, headers: Iterable[tuple[str, str]]) -> bytes:
    try:
        reason = http.HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    lines = [f"HTTP/1.1 {status} {reason}", *(f"{name}: {value}" for name, value in headers)]
    return (CRLF.join(lines) + CRLF + CRLF).encode("latin-1")


def body_reply(
    body: bytes | str,
    *,
    status: int = 200,
    content_type: str = "application/json",
    headers: Mapping[str, str] | None = None,
    declared_length: int | None = None,
) -> Reply:
    """A plain reply; ``declared_length`` larger than the body makes a truncated message."""
    data = body.encode() if isinstance(body, str) else body
    length = len(data) if declared_length is None else declared_length
    head = [("Content-Type", content_type), ("Content-Length", str(length)),
            *(headers or {}).items()]
    steps: list[Step] = [Send(_head(status, head) + data)]
    if length > len(data):
        steps.append(Drop())
    return Reply(tuple(steps), label=f"{status} body")


def json_reply(
    value: object, *, status: int = 200, headers: Mapping[str, str] | None = None
) -> Reply:
    """A JSON reply."""
    return body_reply(json.dumps(value), status=status, headers=headers)


def error_body(code: int | str, message: str, **metadata: object) -> dict[str, object]:
    """The API's error object."""
    error: dict[str, object] = {"code": code, "message": message}
    if metadata:
        error["metadata"] = metadata
    return {"error": error, "user_id": "user_123"}


def truncated_reply(body: bytes | str, cut: int, *, status: int = 200) -> Reply:
    """Headers promise the whole body; ``cut`` bytes of it arrive, then the connection drops."""
    data = body.encode() if isinstance(body, str) else body
    return body_reply(data[:cut], status=status, declared_length=len(data))


def stalled(seconds: float, then: Reply | None = None) -> Reply:
    """Say nothing for ``seconds`` (then answer with ``then``, or hang up)."""
    rest: tuple[Step, ...] = then.steps if then is not None else (Drop(),)
    return Reply((Sleep(seconds), *rest), label=f"stall {seconds}s")


def sse_event(value: object, *, line_end: str = "\n") -> str:
    """One ``data:`` event carrying JSON (or a literal string such as ``[DONE]``)."""
    data = value if isinstance(value, str) else json.dumps(value)
    return f"data: {data}{line_end}{line_end}"


def sse_reply(
    pieces: Sequence[str | bytes],
    *,
    delay: float = 0.0,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    terminate: bool = True,
    content_type: str = "text/event-stream",
) -> Reply:
    """An event stream sent with chunked encoding, one HTTP chunk per piece, ``delay`` apart.

    ``terminate=False`` hangs up instead of sending the final zero-length chunk.
    """
    head = [("Content-Type", content_type), ("Transfer-Encoding", "chunked"),
            ("Cache-Control", "no-cache"), *(headers or {}).items()]
    steps: list[Step] = [Send(_head(status, head))]
    for index, piece in enumerate(pieces):
        data = piece.encode() if isinstance(piece, str) else piece
        if index and delay:
            steps.append(Sleep(delay))
        steps.append(Send(f"{len(data):x}\r\n".encode() + data + b"\r\n"))
    steps.append(Send(b"0\r\n\r\n") if terminate else Drop())
    return Reply(tuple(steps), label="sse")


NO_REPLY = body_reply(
    json.dumps({"error": {"code": 418, "message": "fault server: no reply scripted"}}),
    status=418,
)


@dataclass
class _State:
    replies: list[Reply] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)
    client_gone: int = 0
    gone_event: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    connections: set[socket.socket] = field(default_factory=set)
    connection_count: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(socketserver.StreamRequestHandler):
    server: _Server
    number: int

    def handle(self) -> None:
        state = self.server.state
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with state.lock:
            state.connections.add(self.connection)
            state.connection_count += 1
            self.number = state.connection_count
        try:
            while not state.stop.is_set():
                request = self._read_request()
                if request is None:
                    return
                with state.lock:
                    state.requests.append(request)
                    reply = state.replies.pop(0) if state.replies else NO_REPLY
                if not self._play(reply):
                    return
        except OSError:
            return
        finally:
            with state.lock:
                state.connections.discard(self.connection)

    def _read_request(self) -> RecordedRequest | None:
        line = self.rfile.readline(65537)
        while line in (b"\r\n", b"\n"):
            line = self.rfile.readline(65537)
        if not line:
            return None
        method, target, _ = line.decode("latin-1").split(" ", 2)
        headers: dict[str, str] = {}
        while True:
            header = self.rfile.readline(65537).decode("latin-1")
            if header in ("\r\n", "\n", ""):
                break
            name, _, value = header.partition(":")
            headers[name.strip().lower()] = value.strip()
        body = b""
        if headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                chunk = self.rfile.read(size + 2)[:size]
                if size == 0:
                    break
                body += chunk
        elif "content-length" in headers:
            body = self.rfile.read(int(headers["content-length"]))
        return RecordedRequest(method, target, headers, body, self.number)

    def _play(self, reply: Reply) -> bool:
        """Run the steps; False when the connection is finished."""
        state = self.server.state
        for step in reply.steps:
            if isinstance(step, Send):
                try:
                    self.wfile.write(step.data)
                    self.wfile.flush()
                except OSError:
                    with state.lock:
                        state.client_gone += 1
                    state.gone_event.set()
                    return False
            elif isinstance(step, Sleep):
                if state.stop.wait(step.seconds):
                    return False
            else:
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return False
        return True


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False
    # socketserver's default backlog of 5 drops connections a burst of concurrent clients opens
    # (the client then waits a second for its SYN to be resent).
    request_queue_size = 512

    def __init__(self, state: _State) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


class FaultServer:
    """The server; a context manager that starts it on a free port and stops it."""

    def __init__(self) -> None:
        self._state = _State()
        self._server = _Server(self._state)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:40123``."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def script(self, *replies: Reply) -> None:
        """Queue the replies for the next requests (after them: a 418 'no reply scripted')."""
        with self._state.lock:
            self._state.replies.extend(replies)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far."""
        with self._state.lock:
            return list(self._state.requests)

    @property
    def attempts(self) -> int:
        """How many requests arrived."""
        with self._state.lock:
            return len(self._state.requests)

    @property
    def client_gone(self) -> int:
        """How many replies were cut short because the client had closed the connection."""
        with self._state.lock:
            return self._state.client_gone

    def wait_client_gone(self, timeout: float) -> bool:
        """Block until a write found the client gone, or the timeout passes."""
        return self._state.gone_event.wait(timeout)

    def start(self) -> Self:
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, end pauses, and close every open connection."""
        self._state.stop.set()
        self._server.shutdown()
        with self._state.lock:
            connections = list(self._state.connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
