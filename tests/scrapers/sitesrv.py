"""A local HTTP server on 127.0.0.1 that serves fixture "sites" for scraper tests and the bench.

Real URLs are mapped to transport URLs by :meth:`SiteServer.rewrite`:
``https://www.liepaja.lv/x?y=1`` -> ``http://127.0.0.1:PORT/https/www.liepaja.lv/x?y=1``.
Each page is served with an ETag and a Last-Modified header and answers conditional requests with
304, so the HTTP cache can be exercised; every request is logged (method, real URL, conditional,
status) for the tests to count.
"""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

LAST_MODIFIED = "Mon, 02 Nov 2026 08:00:00 GMT"


@dataclass
class Hit:
    method: str
    url: str
    conditional: bool
    status: int


@dataclass
class Reply:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    validators: bool = True


Handler = Callable[["_Handler", str, bytes], Reply | None]


class SiteServer:
    """Serves ``pages`` (real URL -> Reply) and ``handlers`` (real URL -> callable) on 127.0.0.1."""

    def __init__(self) -> None:
        self.pages: dict[str, Reply] = {}
        self.handlers: dict[str, Handler] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        server = self

        class _Bound(_Handler):
            site = server

        self.httpd = _QuietServer(("127.0.0.1", 0), _Bound)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    # ------------------------------------------------------------------ set up

    def start(self) -> SiteServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def add(self, url: str, body: str | bytes, *, content_type: str = "text/html; charset=utf-8", **kw) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[url] = Reply(data, content_type=content_type, **kw)

    def rewrite(self, url: str) -> str:
        return rewrite_url(self.port, url)

    def real_url(self, path: str) -> str:
        scheme, _, rest = path.lstrip("/").partition("/")
        return f"{scheme}://{rest}"

    # ------------------------------------------------------------------ counting

    def log(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def reset_hits(self) -> None:
        with self._lock:
            self.hits.clear()


def rewrite_url(port: int, url: str) -> str:
    """``https://host/path?q`` -> ``http://127.0.0.1:port/https/host/path?q``."""
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"http://127.0.0.1:{port}/{parts.scheme}/{parts.netloc}{parts.path or '/'}{query}"


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return  # the client hung up on purpose (size cap, timeout)
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    site: SiteServer
    protocol_version = "HTTP/1.1"
    wbufsize = 1 << 16  # headers and body leave in one segment (no Nagle / delayed-ACK stalls)

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args) -> None:  # noqa: A002 - silence the default stderr log
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._serve("GET", b"")

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve("HEAD", b"")

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self._serve("POST", self.rfile.read(length) if length else b"")

    def _serve(self, method: str, body: bytes) -> None:
        url = self.site.real_url(self.path)
        conditional = bool(self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"))
        reply: Reply | None
        handler = self.site.handlers.get(url)
        if handler is not None:
            reply = handler(self, url, body)
            if reply is None:  # the handler wrote the response itself
                self.site.log(Hit(method, url, conditional, -1))
                return
        else:
            reply = self.site.pages.get(url)
        if reply is None:
            reply = Reply(b"<h1>404</h1>", status=404, validators=False)
        headers = dict(reply.headers)
        if reply.validators and reply.status == 200:
            etag = '"' + hashlib.sha1(reply.body).hexdigest()[:16] + '"'
            headers.setdefault("ETag", etag)
            headers.setdefault("Last-Modified", LAST_MODIFIED)
            if self.headers.get("If-None-Match") == etag:
                self.site.log(Hit(method, url, conditional, 304))
                self.send_response(304)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        self.site.log(Hit(method, url, conditional, reply.status))
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(reply.body)


# --------------------------------------------------------------------------- special behaviours


def fail_then_succeed(body: str, *, failures: int = 1, status: int = 500) -> Handler:
    """A page that answers ``status`` ``failures`` times, then ``body``."""
    state = {"n": 0}

    def handle(h: _Handler, url: str, req_body: bytes) -> Reply:
        state["n"] += 1
        if state["n"] <= failures:
            return Reply(b"server error", status=status, validators=False, headers={"Retry-After": "0"})
        return Reply(body.encode("utf-8"))

    return handle


def slow(seconds: float, body: str = "<p>late</p>") -> Handler:
    """A page that waits ``seconds`` before answering (for timeouts)."""

    def handle(h: _Handler, url: str, req_body: bytes) -> Reply:
        time.sleep(seconds)
        return Reply(body.encode("utf-8"), validators=False)

    return handle


def redirect_loop(site: SiteServer, other: str) -> Handler:
    """Redirects to ``other``, which should redirect back (register both)."""

    def handle(h: _Handler, url: str, req_body: bytes) -> Reply:
        return Reply(b"", status=302, validators=False, headers={"Location": site.rewrite(other)})

    return handle


def huge(total_bytes: int, *, declare_length: bool) -> Handler:
    """A response of ``total_bytes`` written in chunks; with or without a Content-Length header."""

    def handle(h: _Handler, url: str, req_body: bytes) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        if declare_length:
            h.send_header("Content-Length", str(total_bytes))
        else:
            h.send_header("Connection", "close")
            h.close_connection = True
        h.end_headers()
        chunk = b"<p>" + b"x" * 65530 + b"</p>"
        sent = 0
        try:
            while sent < total_bytes:
                h.wfile.write(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return None

    return handle
