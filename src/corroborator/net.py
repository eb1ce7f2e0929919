"""Where the program may connect: http(s) URLs whose host resolves to public addresses only,
unless private ones are allowed (a receiver or a page on the same machine or network). Used by
the page fetcher (issue 27: no server-side request forgery through a submitted URL) and the
webhooks (issue 25)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from corroborator.errors import BadInputError


def is_private(address: str) -> bool:
    """Loopback, RFC 1918, link-local, unique-local, reserved, multicast (IPv4-mapped too)."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def checked_url(url: str, allow_private: bool, what: str = "URL", resolve: bool = True,
                allowed_by: str = "private addresses are allowed (an admin setting)") -> str:
    """``url`` if it may be connected to, else BadInputError saying why: an http(s) URL with a
    host, no user:password, at most 2,000 characters, its host's addresses public unless allowed."""
    if len(url) > 2000:
        raise BadInputError(f"{what}: at most 2,000 characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BadInputError(f"{what}: not a URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInputError(f"{what}: an http:// or https:// URL with a host")
    if parts.username or parts.password:
        raise BadInputError(f"{what}: no user or password in the URL")
    if allow_private or not resolve:
        return url
    try:
        infos = socket.getaddrinfo(parts.hostname, port or (443 if parts.scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise BadInputError(f"{what}: cannot resolve {parts.hostname} ({exc})") from None
    if any(is_private(info[4][0]) for info in infos):
        raise BadInputError(f"{what}: {parts.hostname} is a private or local address; only public addresses "
                            f"unless {allowed_by}")
    return url
