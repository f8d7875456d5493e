"""A test resolver: parkcrawl's AddressGuardResolver over a fixed table instead of DNS.

``-s TWISTED_DNS_RESOLVER=tests.faults.offline_resolver.OfflineGuardResolver`` with
``-s TEST_HOSTS='{"site.parkcrawl.test": "127.0.0.1"}'``: every check of the real resolver runs,
but a name is looked up only in the table (a name not in it fails as not found), so a crawl test
can use host names without a single DNS query leaving the machine, whatever the code under test
does. Names under .test are reserved (RFC 2606) and never resolve for real anyway.
"""

from __future__ import annotations

import json
from typing import Any

from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from parkcrawl.netpolicy import AddressGuardResolver


class OfflineGuardResolver(AddressGuardResolver):
    """AddressGuardResolver whose lookups read the TEST_HOSTS table (name → IPv4 address)."""

    hosts: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> OfflineGuardResolver:
        resolver = super().from_crawler(crawler, reactor)
        resolver.hosts = json.loads(crawler.settings.get("TEST_HOSTS") or "{}")
        return resolver

    def lookup(self, name: str, timeout: Any = ()) -> defer.Deferred[str]:
        if name in self.hosts:
            return defer.succeed(self.hosts[name])
        return defer.fail(DNSLookupError(f"{name} is not in TEST_HOSTS"))
