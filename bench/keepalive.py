"""A lean HTTP/1.1 keep-alive client for the load generators of the web benchmarks.

    conn = KeepAlive("127.0.0.1", port)
    status, body = conn.post("/api/v1/...", b'{"x": 1}', {"Authorization": "Bearer ..."})

The server and the load generator share the machine's cores, so every millisecond the client spends
is one the server does not get. `http.client` builds a message object and parses every header of every
response in Python; this client sends one pre-joined byte string and reads only the status line and
Content-Length, so it costs a fraction of that. It raises OSError when the connection is lost (the
caller reconnects), and reconnects by itself after a `Connection: close`.
"""

import socket


class KeepAlive:
    def __init__(self, host: str, port: int, timeout: float = 30.0):
        self.address, self.timeout = (host, port), timeout
        self.host_header = f"Host: {host}:{port}\r\n".encode()
        self.sock: socket.socket | None = None
        self.buffer = b""

    def _connect(self) -> socket.socket:
        sock = socket.create_connection(self.address, timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock, self.buffer = sock, b""
        return sock

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buffer = None, b""

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        sock = self.sock or self._connect()
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        sock.sendall(b"".join((f"POST {path} HTTP/1.1\r\n".encode(), self.host_header, head.encode(),
                               f"Content-Length: {len(body)}\r\n\r\n".encode(), body)))
        return self._response()

    def _read(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            self.close()
            raise ConnectionResetError("the server closed the connection")
        self.buffer += chunk

    def _response(self) -> tuple[int, bytes]:
        while (end := self.buffer.find(b"\r\n\r\n")) < 0:
            self._read()
        head, self.buffer = self.buffer[:end].decode("latin-1"), self.buffer[end + 4:]
        lines = head.split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length, closing = 0, False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.strip().lower() == "close":
                closing = True
        while len(self.buffer) < length:
            self._read()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        if closing:
            self.close()
        return status, body
