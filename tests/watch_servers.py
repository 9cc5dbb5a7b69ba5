"""Real servers on loopback for the watch tests: a feed site whose content the test changes between
rounds, a webhook receiver that checks signatures, and an SMTP server (aiosmtpd).

Every article text here was written for these tests (invented places and figures are not used:
the texts describe plausible border incidents in our own words).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.server
import json
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.utils import format_datetime
from typing import Any


@dataclass
class Route:
    """What the site answers on one path."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # answered with 304 when the request's If-None-Match equals it
    last_modified: str | None = None  # answered with 304 when If-Modified-Since equals it
    delay_s: float = 0.0  # real seconds before answering (a slow server)
    hold: threading.Event | None = None  # answer only once set (a test kills a client meanwhile)


class FeedSite:
    """A threaded HTTP server whose routes the test edits; it logs every request it gets."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[tuple[str, dict[str, str]]] = []
        self.arrived = threading.Event()  # set when a held route is requested
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                site.hits.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = site.routes.get(self.path, Route(status=404, body=b"not here"))
                if route.hold is not None:
                    site.arrived.set()
                    route.hold.wait(30)
                if route.delay_s:
                    time.sleep(route.delay_s)
                unchanged = (
                    route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified
                )
                if (route.etag and self.headers.get("If-None-Match") == route.etag) or unchanged:
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                try:
                    self.send_response(route.status)
                    self.send_header("Content-Type", route.content_type)
                    self.send_header("Content-Length", str(len(route.body)))
                    if route.etag:
                        self.send_header("ETag", route.etag)
                    if route.last_modified:
                        self.send_header("Last-Modified", route.last_modified)
                    for name, value in route.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(route.body)
                except OSError:
                    return

            def log_message(self, format: str, *args: object) -> None:  # stdlib signature
                """Quiet."""

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def count(self, path: str) -> int:
        return sum(1 for p, _ in self.hits if p == path)

    def page(self, path: str, title: str, paragraphs: list[str]) -> None:
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        html = (
            f"<html><head><title>{title}</title></head>"
            f"<body><article><h1>{title}</h1>{body}</article></body></html>"
        )
        self.routes[path] = Route(body=html.encode("utf-8"))

    def feed(
        self, path: str, title: str, entries: list[tuple[str, str, dt.datetime]], etag: str | None = None
    ) -> None:
        """An RSS feed at `path` with entries (path of the page, title, published)."""
        items = "".join(
            f"<item><title>{t}</title><link>{self.base}{p}</link><guid>{self.base}{p}</guid>"
            f"<pubDate>{format_datetime(when)}</pubDate></item>"
            for p, t, when in entries
        )
        xml = (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{items}</channel></rss>'
        )
        tag = etag or '"' + hashlib.sha1(xml.encode()).hexdigest()[:16] + '"'
        self.routes[path] = Route(body=xml.encode("utf-8"), content_type="application/rss+xml", etag=tag)


class WebhookReceiver:
    """Accepts POSTs, checks their HMAC-SHA256 signature, and keeps each delivery (bad ones apart)."""

    def __init__(self, secret: str, fail_first: int = 0) -> None:
        self.secret = secret
        self.fail_first = fail_first  # answer 500 to this many requests first
        self.received: list[dict[str, Any]] = []
        self.bad_signatures = 0
        self.requests = 0
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                receiver.requests += 1
                expected = "sha256=" + hmac.new(receiver.secret.encode(), body, hashlib.sha256).hexdigest()
                status = 204
                if receiver.requests <= receiver.fail_first:
                    status = 500
                elif not hmac.compare_digest(expected, self.headers.get("X-Sitrep-Signature", "")):
                    receiver.bad_signatures += 1
                    status = 401
                else:
                    receiver.received.append(
                        {"delivery": self.headers.get("X-Sitrep-Delivery"), "body": json.loads(body)}
                    )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:  # stdlib signature
                """Quiet."""

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class MailBox:
    """An aiosmtpd handler keeping each message received."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: ARG002 (aiosmtpd hook)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@contextmanager
def smtp_server(
    tls: ssl.SSLContext | None = None, login: tuple[str, str] | None = None
) -> Iterator[tuple[MailBox, int]]:
    """A real SMTP server on a free loopback port (aiosmtpd in its own thread); with `tls`, it
    requires STARTTLS, and with `login`, that user and password (AUTH after STARTTLS)."""
    import socket

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = MailBox()

    def authenticate(_server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any) -> AuthResult:
        ok = login is not None and (data.login.decode(), data.password.decode()) == login
        return AuthResult(success=ok)

    options: dict[str, Any] = {}
    if tls is not None:
        options.update(tls_context=tls, require_starttls=True)
    if login is not None:
        options.update(authenticator=authenticate, auth_required=True)
    controller = Controller(box, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()
