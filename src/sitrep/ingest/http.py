"""Fetch one URL safely: every hop checked against private addresses, redirects bounded, size capped.

Redirects are followed here, not by httpx, so each hop's host is resolved and checked before it is
contacted. The body is streamed and reading stops at `max_bytes`. Problems come back as a `Rejected`
with a stable reason (unsafe_url, unreachable, http_error, too_large, too_many_redirects,
unsupported_format), never as an exception.

Known gap: the address check resolves the host, then httpx resolves it again to connect; a DNS server
that answers differently the second time (DNS rebinding) is not caught.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from sitrep.config import IngestConfig
from sitrep.model import Rejected

logger = logging.getLogger(__name__)

STAGE = "ingest"
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 65_536  # bytes read per streamed chunk


@dataclass(frozen=True)
class Fetched:
    """A fetched response body: the final URL after redirects, its bytes and content type."""

    url: str
    content: bytes
    content_type: str
    charset: str | None


def _reject(url: str, reason: str, detail: str) -> Rejected:
    return Rejected(None, STAGE, reason, detail, url, None)


def check_address(url: str, allow_private: bool) -> Rejected | None:
    """Return a Rejected when `url` is not http(s) or its host resolves to a non-public address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _reject(url, "unsupported_format", "only http and https URLs with a host can be fetched")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except (socket.gaierror, UnicodeError) as exc:
        return _reject(url, "unreachable", f"cannot resolve host {parts.hostname!r} ({exc})")
    if allow_private:
        return None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if (
            address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
            or address.is_multicast or address.is_unspecified or not address.is_global
        ):  # fmt: skip
            return _reject(
                url,
                "unsafe_url",
                f"host {parts.hostname!r} resolves to non-public address {address}; "
                "pass --allow-private to fetch it",
            )
    return None


def fetch(url: str, config: IngestConfig, client: httpx.Client | None = None) -> Fetched | Rejected:
    """GET `url` under `config`'s limits; return the body or a Rejected saying why not."""
    own_client = client is None
    http = client or httpx.Client(
        timeout=config.timeout_s, follow_redirects=False, headers={"User-Agent": config.user_agent}
    )
    try:
        return _fetch(url, config, http)
    finally:
        if own_client:
            http.close()


def _fetch(url: str, config: IngestConfig, http: httpx.Client) -> Fetched | Rejected:
    current = url
    for _hop in range(config.max_redirects + 1):
        if (refused := check_address(current, config.allow_private)) is not None:
            return (
                refused
                if current == url
                else _reject(url, refused.reason, f"redirect to {current}: {refused.detail}")
            )
        try:
            with http.stream("GET", current) as response:
                if response.status_code in _REDIRECT_CODES and "location" in response.headers:
                    current = urljoin(current, response.headers["location"])
                    continue
                if response.status_code >= 400:  # HTTP error range
                    return _reject(url, "http_error", f"HTTP {response.status_code} from {current}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > config.max_bytes:
                    return _reject(url, "too_large", f"{declared} bytes declared, limit {config.max_bytes}")
                body = bytearray()
                for chunk in response.iter_bytes(_CHUNK):
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
                )
        except httpx.TimeoutException as exc:
            return _reject(
                url, "unreachable", f"no answer from {current} within {config.timeout_s} s ({exc!r})"
            )
        except httpx.HTTPError as exc:
            return _reject(url, "unreachable", f"cannot fetch {current} ({exc})")
    return _reject(
        url, "too_many_redirects", f"more than {config.max_redirects} redirects, last to {current}"
    )
