"""A stand-in for ClamAV's clamd that speaks its real INSTREAM protocol (clamd(8)), on a unix
socket or a localhost TCP port, in a thread: "stream: Eicar-Signature FOUND" for a stream holding
the EICAR test string, "stream: OK" otherwise. What it received is kept, to assert the chunks."""

from __future__ import annotations

import socketserver
import struct
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .upload_files import EICAR


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        command = b""
        while not command.endswith(b"\0"):
            received = self.request.recv(1)
            if not received:
                return
            command += received
        if command != b"zINSTREAM\0":
            self.request.sendall(b"UNKNOWN COMMAND\0")
            return
        chunks = []
        while True:
            (length,) = struct.unpack("!L", self._exactly(4))
            if length == 0:
                break
            chunks.append(self._exactly(length))
        stream = b"".join(chunks)
        self.server.streams.append(stream)  # type: ignore[attr-defined]
        reply = b"stream: Eicar-Signature FOUND\0" if EICAR in stream else b"stream: OK\0"
        self.request.sendall(reply)

    def _exactly(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            received = self.request.recv(size - len(data))
            if not received:
                raise ConnectionError("the client went away")
            data += received
        return data


class _UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class _TcpServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def fake_clamd(*, socket_path: Path | None = None) -> Iterator[socketserver.BaseServer]:
    """A running fake clamd: on `socket_path` if given, else on 127.0.0.1 and a free port
    (`server.server_address`). `server.streams` lists the files it scanned."""
    server: socketserver.BaseServer
    if socket_path is not None:
        server = _UnixServer(str(socket_path), _Handler)
    else:
        server = _TcpServer(("127.0.0.1", 0), _Handler)
    server.streams = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(params=["unix socket", "tcp"])
def clamd(request, settings):  # type: ignore[no-untyped-def]
    """The settings pointed at a running fake clamd, over a unix socket then over TCP."""
    settings.PARCOURS_ANTIVIRUS = "clamd"
    if request.param == "tcp":
        with fake_clamd() as server:
            settings.PARCOURS_CLAMD_HOST, settings.PARCOURS_CLAMD_PORT = server.server_address
            yield server
        return
    # A short directory: a unix socket's path has 108 bytes at most, pytest's tmp_path can be longer.
    with tempfile.TemporaryDirectory(prefix="clamd-") as directory:
        path = Path(directory) / "clamd.sock"
        with fake_clamd(socket_path=path) as server:
            settings.PARCOURS_CLAMD_SOCKET = str(path)
            yield server
