"""Tests for sitrep.ingest.http: address ranges, pinned DNS, the overall deadline, bad URLs as data.

Real HTTP(S) servers run on loopback in threads. Tests that need a host name resolve it with a fake
`getaddrinfo` (counting calls), so pinning can be checked without a DNS server.
"""

from __future__ import annotations

import http.server
import ipaddress
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitrep.config import IngestConfig
from sitrep.ingest import http as fetching
from sitrep.ingest import read_sources
from sitrep.ingest.http import Fetched, fetch, make_client, non_public_reason
from sitrep.model import RawArticle, Rejected

PAGE = b"<html><body><p>" + b"A page about a river crossing. " * 20 + b"</p></body></html>"


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "test"
    hits: list[str] = []  # noqa: RUF012 (shared across requests on purpose)

    def do_GET(self) -> None:
        _Handler.hits.append(self.path)
        if self.path == "/host":
            self._send(200, (self.headers.get("Host") or "").encode(), "text/plain")
        elif self.path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                for _ in range(100_000):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                return
        elif self.path == "/slow-headers":
            try:
                for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" * 1000:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                return
        elif self.path == "/bad-redirect":
            self.send_response(302)
            self.send_header("Location", "http://[::1/x")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._send(200, PAGE, "text/html")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # stdlib signature
        """Quiet."""


def _serve(httpd: http.server.ThreadingHTTPServer) -> Iterator[int]:
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    """A plain HTTP server on 127.0.0.1; yields its port."""
    yield from _serve(http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler))


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Fake DNS: names under .example.test answer the addresses in `answers` in turn, counted."""
    real = socket.getaddrinfo
    state: dict[str, Any] = {"answers": ["127.0.0.1"], "calls": 0}

    def fake(host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        if not str(host).endswith(".example.test"):
            return real(host, port, *args, **kwargs)
        answers = state["answers"]
        address = answers[min(state["calls"], len(answers) - 1)]
        state["calls"] += 1
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return state


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
        "224.0.0.1", "255.255.255.255", "192.0.2.1", "::1", "::", "fe80::1", "fc00::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1",
        "2002:7f00:1::", "2002:a00:1::1", "2002:c0a8:101::",  # 6to4 of loopback, 10/8, 192.168/16
        "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::a00:1",  # NAT64 of loopback, link-local, 10/8
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
        "2001:db8::1",
    ],
)  # fmt: skip
def test_non_public_addresses_are_named(address: str) -> None:
    assert non_public_reason(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2002:808:808::", "64:ff9b::808:808"]
)
def test_public_addresses_pass(address: str) -> None:
    assert non_public_reason(ipaddress.ip_address(address)) is None


def test_6to4_loopback_url_is_refused() -> None:
    got = fetch("http://[2002:7f00:1::]/", IngestConfig(timeout_s=2))
    assert isinstance(got, Rejected)
    assert got.reason == "unsafe_url"
    assert "6to4" in got.detail


def test_host_is_resolved_once_and_the_checked_address_is_used(
    port: int, resolver: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only 127.0.0.1 counts as "public" here; a second answer (10.x, a rebinding) would be refused.
    monkeypatch.setattr(
        fetching, "non_public_reason", lambda a: None if str(a) == "127.0.0.1" else f"private {a}"
    )
    resolver["answers"] = ["127.0.0.1", "10.255.255.1"]
    got = fetch(f"http://news.example.test:{port}/host", IngestConfig(timeout_s=3))
    assert isinstance(got, Fetched), got
    assert got.content == f"news.example.test:{port}".encode()  # the Host header keeps the name
    assert resolver["calls"] == 1


def test_host_resolving_to_a_private_address_is_refused_before_any_request(
    port: int, resolver: dict[str, Any]
) -> None:
    resolver["answers"] = ["127.0.0.1"]
    before = len(_Handler.hits)
    got = fetch(f"http://news.example.test:{port}/host", IngestConfig(timeout_s=3))
    assert isinstance(got, Rejected)
    assert got.reason == "unsafe_url"
    assert len(_Handler.hits) == before


def test_a_trickling_server_is_cut_at_the_deadline(port: int) -> None:
    start = time.monotonic()
    got = fetch(f"http://127.0.0.1:{port}/trickle", IngestConfig(timeout_s=1.0, allow_private=True))
    elapsed = time.monotonic() - start
    assert isinstance(got, Rejected)
    assert got.reason == "timed_out"
    assert elapsed < 3.0  # the deadline is 1 s; the server would trickle for hours


def test_trickled_headers_are_cut_at_the_deadline(port: int) -> None:
    start = time.monotonic()
    got = fetch(f"http://127.0.0.1:{port}/slow-headers", IngestConfig(timeout_s=1.0, allow_private=True))
    assert isinstance(got, Rejected)
    assert got.reason == "timed_out"
    assert time.monotonic() - start < 3.0


def test_slow_dns_is_cut_at_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*_args: Any, **_kwargs: Any) -> Any:
        time.sleep(5)
        raise socket.gaierror("too late")

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    start = time.monotonic()
    got = fetch("http://slow.example.test/", IngestConfig(timeout_s=0.5))
    assert isinstance(got, Rejected)
    assert got.reason == "timed_out"
    assert time.monotonic() - start < 2.5


@pytest.mark.parametrize("url", ["http://[::1/x", "http://example.test:99999/", "http://[zz::1]/"])
def test_bad_urls_are_rejected_as_data(url: str) -> None:
    items = list(read_sources([url], IngestConfig(timeout_s=2)))
    assert [(type(i).__name__, getattr(i, "reason", None)) for i in items] == [("Rejected", "invalid_url")]


def test_bad_redirect_target_is_rejected(port: int) -> None:
    got = fetch(f"http://127.0.0.1:{port}/bad-redirect", IngestConfig(timeout_s=2, allow_private=True))
    assert isinstance(got, Rejected)
    assert got.reason == "invalid_url"


def test_bad_link_inside_a_feed_is_one_rejection(tmp_path: Path) -> None:
    feed = tmp_path / "feed.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        "<item><title>One</title><link>http://[::1/x</link></item>"
        "<item><title>Two</title><link>http://[::1/y</link><description>A short note about a "
        "bridge reopening.</description></item></channel></rss>",
        encoding="utf-8",
    )
    items = list(read_sources([str(feed)], IngestConfig(timeout_s=2)))
    assert [type(i).__name__ for i in items] == ["Rejected", "RawArticle"]
    assert isinstance(items[0], Rejected)
    assert items[0].reason == "invalid_url"
    assert isinstance(items[1], RawArticle)
    assert items[1].text


@pytest.fixture(scope="module")
def tls_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path, list[str]]]:
    """An HTTPS server on 127.0.0.1 with a self-signed certificate for secure.example.test."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=secure.example.test", "-addext", "subjectAltName=DNS:secure.example.test",
             "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"openssl cannot make a test certificate ({exc})")
    names: list[str] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda _sock, name, _ctx: names.append(name or "")  # type: ignore[assignment,func-returns-value]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    for port in _serve(httpd):
        yield port, cert, names


@pytest.mark.usefixtures("resolver")
def test_https_to_a_pinned_address_keeps_sni_and_certificate_checks(
    tls_port: tuple[int, Path, list[str]],
) -> None:
    port, cert, names = tls_port
    config = IngestConfig(timeout_s=5, allow_private=True)
    trusting = ssl.create_default_context(cafile=str(cert))
    with make_client(config, ssl_context=trusting) as client:
        got = fetch(f"https://secure.example.test:{port}/host", config, client)
        assert isinstance(got, Fetched), got
        assert got.content == f"secure.example.test:{port}".encode()
        assert names[-1] == "secure.example.test"
        # The certificate is still checked against the name: another name on the same address fails.
        other = fetch(f"https://other.example.test:{port}/host", config, client)
        assert isinstance(other, Rejected)
        assert other.reason == "unreachable"
