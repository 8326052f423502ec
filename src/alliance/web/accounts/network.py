"""The address a request came from, seen through the partnership's own reverse proxies.

Behind nginx every request's ``REMOTE_ADDR`` is the proxy, so the sign-in lockout would count
every failure against one address and the audit trail would record the proxy for everyone.
``X-Forwarded-For`` carries the real client, but anyone can send that header: it is believed
only when the request came from an address in ``ALLIANCE_TRUSTED_PROXIES``, and then only as far
as the chain of trusted proxies goes. The answer is the rightmost address in the header that
is not itself a trusted proxy: entries to its left were written by the client (or by proxies
we do not run) and may be invented.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    # alliance.config has already refused malformed entries; a test overriding the setting with
    # a bad value should fail loudly too, so no error is swallowed here.
    return tuple(ipaddress.ip_network(e, strict=False) for e in entries)


def trusted_networks() -> tuple[Network, ...]:
    """The networks of ``settings.ALLIANCE_TRUSTED_PROXIES`` (empty: trust no proxy)."""
    entries: Iterable[str] = getattr(settings, "ALLIANCE_TRUSTED_PROXIES", ()) or ()
    return _networks(tuple(entries))


def parse_address(text: str) -> Address | None:
    """An IP address from a header entry, or None when the entry is not one.

    Accepts the forms proxies write: ``203.0.113.9``, ``2001:db8::1``, ``[2001:db8::1]:4711``
    and ``203.0.113.9:4711``. IPv4-mapped IPv6 (``::ffff:203.0.113.9``) becomes IPv4 so that
    lockout counts and audit records name one address one way.
    """
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # IPv4 with a port; bare IPv6 has at least two colons
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def client_address(request: HttpRequest | None) -> str | None:
    """The client's IP address for lockout counts and audit records (None when unknown).

    ``REMOTE_ADDR`` unless the immediate peer is a trusted proxy; then walk ``X-Forwarded-For``
    from the right, past trusted proxies, and answer the first address that is not one. An entry
    that is not an address stops the walk (everything left of it is the client's own text) and
    the last trusted hop is answered instead: a real address, even if not the furthest one.
    """
    if request is None:
        return None
    peer = parse_address(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    networks = trusted_networks()
    if not networks or not _trusted(peer, networks):
        return str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    nearest = peer
    for entry in reversed(forwarded.split(",")):
        if not entry.strip():
            continue
        address = parse_address(entry)
        if address is None:
            break
        if not _trusted(address, networks):
            return str(address)
        nearest = address
    return str(nearest)
