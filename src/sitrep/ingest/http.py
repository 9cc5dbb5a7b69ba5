"""Fetch one URL safely: pinned, checked addresses; bounded redirects, size and time.

Redirects are followed here, not by httpx, so every hop is checked. The host of each connection is
resolved once, by `PinnedBackend`: every address it resolves to is checked against the non-public
ranges (`non_public_reason`), and the socket connects to the checked address itself, so a DNS server
that answers differently the second time (DNS rebinding) gains nothing. The Host header and the TLS
server name stay the URL's host name. One deadline covers a whole fetch, redirects included: DNS,
connect, TLS and every read are bounded by the time left, so a server that trickles a byte a second
is cut at `timeout_s`. The body is streamed and reading stops at `max_bytes`. Proxies named in the
environment (HTTP_PROXY, ...) are not used: a proxy would resolve the name itself, unchecked.

Problems come back as a `Rejected` with a stable reason (invalid_url, unsafe_url, unreachable,
timed_out, http_error, too_large, too_many_redirects, unsupported_format), never as an exception.
"""

from __future__ import annotations

import contextvars
import ipaddress
import logging
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from sitrep.config import IngestConfig
from sitrep.model import Rejected

logger = logging.getLogger(__name__)

STAGE = "ingest"
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 forms that carry an IPv4 address inside them: the embedded address is checked as well.
_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated ::a.b.c.d
_TEREDO = ipaddress.IPv6Network("2001::/32")

# The deadline of the fetch running in this thread (time.monotonic() seconds), read by PinnedBackend.
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "sitrep_fetch_deadline", default=None
)


@dataclass(frozen=True)
class Fetched:
    """A fetched response body: the final URL after redirects, its bytes and content type.

    `status` is 200 for `fetch` (errors become a Rejected); `fetch_conditional` also returns 304 and
    error statuses with their headers. `moved_to` is where permanent redirects (301, 308) from the
    URL asked for lead (None when the first hop was not one): a feed's new address.
    """

    url: str
    content: bytes
    content_type: str
    charset: str | None
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    moved_to: str | None = None


class UnsafeAddress(Exception):
    """A host resolved to a non-public address (raised inside the transport, turned into a Rejected)."""


class DeadlinePassed(Exception):
    """The fetch's overall deadline passed before this step could start."""


def _reject(url: str, reason: str, detail: str) -> Rejected:
    return Rejected(None, STAGE, reason, detail, url, None)


def non_public_reason(address: IPAddress) -> str | None:
    """Why `address` is not a public unicast address (None when it is one).

    Besides the ranges Python's `ipaddress` knows (private, loopback, link-local, shared, reserved,
    multicast, documentation), IPv6 forms embedding an IPv4 address are unwrapped and their IPv4
    address checked: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), 6to4 (2002::/16) and
    NAT64 (64:ff9b::/96, 64:ff9b:1::/48). Teredo (2001::/32) tunnels to an address it hides, so it is
    refused outright.
    """
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            inner = non_public_reason(address.ipv4_mapped)
            return f"IPv4-mapped {inner}" if inner else None
        if address in _TEREDO:
            return "a Teredo tunnel address"
        embedded: ipaddress.IPv4Address | None = None
        kind = ""
        if address.sixtofour is not None:
            embedded, kind = address.sixtofour, "6to4"
        elif any(address in net for net in _NAT64):
            embedded, kind = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF), "NAT64"
        elif address in _IPV4_COMPATIBLE and int(address) > 1:
            embedded, kind = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF), "IPv4-compatible"
        if embedded is not None:
            inner = non_public_reason(embedded)
            if inner:
                return f"{kind} form of {inner}"
            if kind == "IPv4-compatible":
                return "a deprecated IPv4-compatible address"
            return None  # 6to4 / NAT64 of a public IPv4 address: public
    checks = (
        ("loopback", address.is_loopback),
        ("unspecified", address.is_unspecified),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("non-global", not address.is_global),
    )
    for name, hit in checks:
        if hit:
            return f"a {name} address ({address})"
    return None


def _time_left(what: str) -> float | None:
    """Seconds left before this fetch's deadline (None: no deadline); raise when none are left."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise DeadlinePassed(f"deadline passed before {what}")
    return left


def _bounded(timeout: float | None, what: str) -> float | None:
    left = _time_left(what)
    if left is None:
        return timeout
    return left if timeout is None else min(timeout, left)


def resolve(host: str, port: int, timeout: float | None) -> list[IPAddress]:
    """The addresses of `host` (getaddrinfo in a helper thread, so the deadline bounds it too)."""
    result: list[Any] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            result.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as exc:
            failure.append(exc)

    worker = threading.Thread(target=work, name="sitrep-resolve", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise httpcore.ConnectTimeout(f"resolving {host!r} took longer than {timeout:.1f} s")
    if failure:
        raise httpcore.ConnectError(f"cannot resolve host {host!r} ({failure[0]})")
    addresses: list[IPAddress] = []
    for info in result:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise httpcore.ConnectError(f"host {host!r} has no address")
    return addresses


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every read, write and TLS handshake ends by the fetch's deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            left = _bounded(timeout, "reading")
        except DeadlinePassed as exc:
            raise httpcore.ReadTimeout(str(exc)) from None
        return self._stream.read(max_bytes, left)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        try:
            left = _bounded(timeout, "writing")
        except DeadlinePassed as exc:
            raise httpcore.WriteTimeout(str(exc)) from None
        self._stream.write(buffer, left)

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        try:
            left = _bounded(timeout, "the TLS handshake")
        except DeadlinePassed as exc:
            raise httpcore.ConnectTimeout(str(exc)) from None
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, left))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class PinnedBackend(httpcore.SyncBackend):
    """Resolve each host once, refuse non-public addresses, connect to the address that was checked.

    httpcore still sends the URL's host name as the Host header and as the TLS server name (SNI), and
    checks the certificate against it; only the socket is pinned.
    """

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = resolve(host, port, _bounded(timeout, "resolving"))
        except DeadlinePassed as exc:
            raise httpcore.ConnectTimeout(str(exc)) from None
        if not self.allow_private:
            for address in addresses:
                if reason := non_public_reason(address):
                    raise UnsafeAddress(
                        f"host {host!r} resolves to {reason}; pass --allow-private to fetch it"
                    )
        last: Exception | None = None
        for address in addresses:
            try:
                stream = super().connect_tcp(
                    str(address), port, _bounded(timeout, "connecting"), local_address, socket_options
                )
            except DeadlinePassed as exc:
                raise httpcore.ConnectTimeout(str(exc)) from None
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
                continue
            return _DeadlineStream(stream)
        assert last is not None
        raise last


def make_client(config: IngestConfig, ssl_context: ssl.SSLContext | None = None) -> httpx.Client:
    """An httpx client whose connections go through `PinnedBackend` (no proxies from the environment).

    `ssl_context` defaults to httpx's (certifi's CA bundle, host names checked).
    """
    pool = httpcore.ConnectionPool(
        network_backend=PinnedBackend(config.allow_private),
        ssl_context=ssl_context or httpx.create_ssl_context(),
        max_connections=10,
    )
    transport = httpx.HTTPTransport()
    transport._pool = pool  # httpx has no public hook for the network backend; its own pool is replaced
    return httpx.Client(
        transport=transport,
        timeout=config.timeout_s,
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": config.user_agent},
    )


def check_url(url: str) -> Rejected | None:
    """Return a Rejected when `url` cannot be parsed, or is not http(s) with a host."""
    try:
        parts = urlsplit(url)
        host, _port = parts.hostname, parts.port  # .port raises ValueError for a bad port
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL) as exc:
        return _reject(url, "invalid_url", f"not a valid URL ({exc})")
    if parts.scheme.lower() not in ("http", "https") or not host:
        return _reject(url, "unsupported_format", "only http and https URLs with a host can be fetched")
    return None


def check_address(url: str, allow_private: bool) -> Rejected | None:
    """Return a Rejected when `url` is not a valid http(s) URL or its host resolves to a non-public
    address. (`fetch` does not need this: its connections are checked as they are made.)"""
    if (refused := check_url(url)) is not None:
        return refused
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        addresses = resolve(host, parts.port or (443 if parts.scheme == "https" else 80), None)
    except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
        return _reject(url, "unreachable", str(exc))
    if not allow_private:
        for address in addresses:
            if reason := non_public_reason(address):
                return _reject(
                    url, "unsafe_url", f"host {host!r} resolves to {reason}; pass --allow-private to fetch it"
                )
    return None


def fetch(url: str, config: IngestConfig, client: httpx.Client | None = None) -> Fetched | Rejected:
    """GET `url` under `config`'s limits; return the body or a Rejected saying why not.

    A `client` passed in must come from `make_client` (or the address checks are not made).
    """
    return _fetch_within(url, config, client, {}, errors_as_data=False)


def fetch_conditional(
    url: str,
    config: IngestConfig,
    client: httpx.Client | None = None,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched | Rejected:
    """GET `url` as `fetch` does, sending If-None-Match / If-Modified-Since when given.

    Any HTTP status comes back as a Fetched with its `status` and `headers` (a 304 has no body; a
    429 or 503 carries its Retry-After); only transport problems and the limits are a Rejected.
    """
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return _fetch_within(url, config, client, headers, errors_as_data=True)


def _fetch_within(
    url: str,
    config: IngestConfig,
    client: httpx.Client | None,
    headers: Mapping[str, str],
    errors_as_data: bool,
) -> Fetched | Rejected:
    own_client = client is None
    http = client or make_client(config)
    token = _DEADLINE.set(time.monotonic() + config.timeout_s)
    try:
        return _fetch(url, config, http, headers, errors_as_data)
    finally:
        _DEADLINE.reset(token)
        if own_client:
            http.close()


def _fetch(
    url: str, config: IngestConfig, http: httpx.Client, headers: Mapping[str, str], errors_as_data: bool
) -> Fetched | Rejected:
    current = url
    moved_to: str | None = None
    permanent = True  # every hop so far was a permanent redirect
    for _hop in range(config.max_redirects + 1):
        if (refused := check_url(current)) is not None:
            if current == url:
                return refused
            return _reject(url, refused.reason, f"redirect to {current!r}: {refused.detail}")
        try:
            with http.stream("GET", current, headers=dict(headers)) as response:
                if response.status_code in _REDIRECT_CODES and "location" in response.headers:
                    try:
                        current = urljoin(current, response.headers["location"])
                    except ValueError as exc:
                        return _reject(url, "invalid_url", f"redirect from {current} to a bad URL ({exc})")
                    permanent = permanent and response.status_code in (301, 308)
                    if permanent:
                        moved_to = current
                    continue
                if response.status_code >= 400 and not errors_as_data:  # HTTP error range
                    return _reject(url, "http_error", f"HTTP {response.status_code} from {current}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > config.max_bytes:
                    return _reject(url, "too_large", f"{declared} bytes declared, limit {config.max_bytes}")
                body = bytearray()
                for chunk in response.iter_bytes():  # each chunk as it arrives
                    body.extend(chunk)
                    if len(body) > config.max_bytes:
                        return _reject(
                            url, "too_large", f"more than {config.max_bytes} bytes; stopped reading"
                        )
                content_type = response.headers.get("content-type", "")
                return Fetched(
                    current,
                    bytes(body),
                    content_type.split(";")[0].strip().lower(),
                    response.charset_encoding,
                    response.status_code,
                    {k.lower(): v for k, v in response.headers.items()},
                    moved_to,
                )
        except UnsafeAddress as exc:
            if current == url:
                return _reject(url, "unsafe_url", str(exc))
            return _reject(url, "unsafe_url", f"redirect to {current}: {exc}")
        except httpx.TimeoutException as exc:
            return _reject(
                url, "timed_out", f"no complete answer from {current} within {config.timeout_s} s ({exc})"
            )
        except httpx.InvalidURL as exc:
            return _reject(url, "invalid_url", f"not a valid URL: {current!r} ({exc})")
        except httpx.HTTPError as exc:
            if isinstance(exc, httpx.RemoteProtocolError) and "location header" in str(exc):
                return _reject(url, "invalid_url", f"redirect from {current} to a bad URL ({exc})")
            return _reject(url, "unreachable", f"cannot fetch {current} ({exc})")
    return _reject(
        url, "too_many_redirects", f"more than {config.max_redirects} redirects, last to {current}"
    )
