"""Article state in Redis: the SQLite store's interface, shared by the workers of a distributed crawl.

:class:`RedisArticleStateStore` answers the same calls as
:class:`parkcrawl.storage.ArticleStateStore` (open/close/get/contains/key_for_hash/same_title/
add/touch/published_since/get_meta/set_meta/claim), so :class:`parkcrawl.state.CrawlState`, the
spider and the dedup pipeline use it unchanged. Its :meth:`RedisArticleStateStore.claim` follows
:mod:`parkcrawl.dedup`'s steps in a single Lua script, which also reserves the article for one
worker: no two workers can both pass the
same URL, the same content or a near duplicate (same title, SimHash within
``NEAR_DUPLICATE_BITS``), within a run or against what earlier runs emitted.

Keys, under ``<prefix>:state:`` (they persist across runs, like the SQLite file):
``articles`` (hash: canonical URL → JSON record), ``last_seen`` (hash), ``hashes`` (hash:
content hash → canonical URL), ``titles`` (hash: normalized title → JSON {key: SimHash hex}),
``published`` (sorted set: key by YYYYMMDD) and ``meta`` (hash). A run's claims live under
``<run prefix>:`` (``urls``, ``hashes``, ``titles``) and are deleted when the run completes.
"""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Iterable
from typing import Any, Self

from parkcrawl.dedup import Claim, Verdict
from parkcrawl.extract.simhash import NEAR_DUPLICATE_BITS
from parkcrawl.storage import SeenArticle

# Lua has no 64-bit integers: SimHashes travel as 16 hex digits, compared 32 bits at a time.
_HAMMING = """
local function hamming(a, b)
  local d = 0
  for i = 1, 16, 8 do
    local x = bit.bxor(tonumber(string.sub(a, i, i + 7), 16), tonumber(string.sub(b, i, i + 7), 16))
    for j = 0, 31 do d = d + bit.band(bit.rshift(x, j), 1) end
  end
  return d
end
"""

# KEYS: run urls, run hashes, run titles, articles, last_seen, hashes, titles
# ARGV: key, url, content hash, title key, SimHash hex, near-duplicate bits, seen at,
#       '1' to compare with what earlier runs emitted (the incremental state) or '0'
_CLAIM = (
    _HAMMING
    + """
local key, url, digest, tkey, sh = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local limit = tonumber(ARGV[6])
local other = redis.call('HGET', KEYS[1], key)
if other then return {'url_duplicate', other} end
other = redis.call('HGET', KEYS[2], digest)
if other then return {'content_duplicate', other} end
local run_titles = {}
local raw = redis.call('HGET', KEYS[3], tkey)
if raw then run_titles = cjson.decode(raw) end
for u, h in pairs(run_titles) do
  if hamming(h, sh) <= limit then return {'near_duplicate', u} end
end
local event, revision, first_seen = 'new', 1, ''
local known = false
if ARGV[8] == '1' then known = redis.call('HGET', KEYS[4], key) end
if known then
  local rec = cjson.decode(known)
  if rec.content_hash == digest then
    redis.call('HSET', KEYS[5], key, ARGV[7])
    return {'unchanged', key}
  end
  event, revision, first_seen = 'changed', rec.revision + 1, rec.first_seen_at
elseif ARGV[8] == '1' then
  local copy = redis.call('HGET', KEYS[6], digest)
  if copy then return {'content_duplicate', copy} end
  raw = redis.call('HGET', KEYS[7], tkey)
  if raw then
    for k, h in pairs(cjson.decode(raw)) do
      if hamming(h, sh) <= limit then return {'near_duplicate', k} end
    end
  end
end
redis.call('HSET', KEYS[1], key, url)
redis.call('HSET', KEYS[2], digest, url)
run_titles[url] = sh
redis.call('HSET', KEYS[3], tkey, cjson.encode(run_titles))
return {event, other or '', tostring(revision), first_seen}
"""
)

# KEYS: articles, last_seen, hashes, titles, published, meta
# ARGV: key, record JSON (without revision and first_seen_at), seen at, published score or '',
#       then meta name/value pairs
_ADD = """
local key, seen_at = ARGV[1], ARGV[3]
local rec = cjson.decode(ARGV[2])
local revision, first_seen = 1, seen_at
local old = redis.call('HGET', KEYS[1], key)
if old then
  local o = cjson.decode(old)
  first_seen = o.first_seen_at
  if o.content_hash == rec.content_hash then revision = o.revision else revision = o.revision + 1 end
  if redis.call('HGET', KEYS[3], o.content_hash) == key then redis.call('HDEL', KEYS[3], o.content_hash) end
  if type(o.title_key) == 'string' then
    local raw = redis.call('HGET', KEYS[4], o.title_key)
    if raw then
      local t = cjson.decode(raw)
      t[key] = nil
      if next(t) == nil then redis.call('HDEL', KEYS[4], o.title_key)
      else redis.call('HSET', KEYS[4], o.title_key, cjson.encode(t)) end
    end
  end
end
rec.revision = revision
rec.first_seen_at = first_seen
redis.call('HSET', KEYS[1], key, cjson.encode(rec))
redis.call('HSET', KEYS[2], key, seen_at)
redis.call('HSET', KEYS[3], rec.content_hash, key)
if type(rec.title_key) == 'string' and type(rec.simhash) == 'string' then
  local t = {}
  local raw = redis.call('HGET', KEYS[4], rec.title_key)
  if raw then t = cjson.decode(raw) end
  t[key] = rec.simhash
  redis.call('HSET', KEYS[4], rec.title_key, cjson.encode(t))
end
if ARGV[4] ~= '' then redis.call('ZADD', KEYS[5], tonumber(ARGV[4]), key)
else redis.call('ZREM', KEYS[5], key) end
for i = 5, #ARGV, 2 do redis.call('HSET', KEYS[6], ARGV[i], ARGV[i + 1]) end
return {tostring(revision), first_seen}
"""

STATE_KEYS = ("articles", "last_seen", "hashes", "titles", "published", "meta")
RUN_CLAIM_KEYS = ("urls", "hashes", "titles")


def simhash_hex(value: int | None) -> str | None:
    return None if value is None else f"{value:016x}"


def published_score(published_at: str | None) -> str:
    """``2024-10-22T09:40+08:00`` → ``20241022`` (the date the re-check window compares)."""
    day = (published_at or "")[:10]
    digits = day.replace("-", "")
    return digits if len(day) == 10 and digits.isdigit() else ""


class RedisArticleStateStore:
    """The articles earlier runs emitted, in Redis under ``<prefix>:state:``; shared by workers."""

    def __init__(self, client: Any, prefix: str, host: str | None = None):
        self.client = client
        self.prefix = prefix
        # The output file's recorded offset is per machine: each worker appends to its own file.
        self.host = host or socket.gethostname()
        self.keys = {name: f"{prefix}:state:{name}" for name in STATE_KEYS}
        self._claim = client.register_script(_CLAIM)
        self._add = client.register_script(_ADD)
        self._open = False

    @classmethod
    def from_url(cls, url: str, prefix: str) -> RedisArticleStateStore:
        import redis

        return cls(redis.Redis.from_url(url, decode_responses=True), prefix)

    @classmethod
    def from_settings(cls, settings: Any, prefix: str) -> RedisArticleStateStore:
        """The store on REDIS_URL with the crawl's Redis parameters (timeouts, retry)."""
        from parkcrawl.distributed import redis_client

        return cls(redis_client(settings, decode_responses=True), prefix)

    def open(self) -> None:
        # No lock: every change is one atomic script, so concurrent workers cannot corrupt it.
        self.client.ping()
        self._open = True

    def close(self) -> None:
        self._open = False

    def batch(self) -> contextlib.AbstractContextManager[None]:
        """Changes are atomic one by one (Lua scripts); a batch groups nothing more here."""
        return contextlib.nullcontext()

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _seen(self, key: str, raw: str | None, last_seen: str | None) -> SeenArticle | None:
        if raw is None:
            return None
        rec = json.loads(raw)
        return SeenArticle(
            key,
            rec["url"],
            rec["content_hash"],
            int(rec["revision"]),
            rec["first_seen_at"],
            last_seen or rec["first_seen_at"],
            rec.get("published_at"),
            rec.get("etag"),
            rec.get("last_modified"),
        )

    def get(self, key: str) -> SeenArticle | None:
        pipe = self.client.pipeline(transaction=False)
        pipe.hget(self.keys["articles"], key)
        pipe.hget(self.keys["last_seen"], key)
        raw, last_seen = pipe.execute()
        return self._seen(key, raw, last_seen)

    def contains(self, key: str) -> bool:
        return bool(self.client.hexists(self.keys["articles"], key))

    def key_for_hash(self, content_hash: str) -> str | None:
        return self.client.hget(self.keys["hashes"], content_hash)

    def add(
        self,
        key: str,
        url: str,
        content_hash: str,
        seen_at: str,
        *,
        published_at: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        title_key: str | None = None,
        simhash: int | None = None,
        meta: dict[str, str] | None = None,
    ) -> SeenArticle:
        """Record an article as written; a new hash for a known key is a new revision."""
        record = {
            "url": url,
            "content_hash": content_hash,
            "published_at": published_at,
            "etag": etag,
            "last_modified": last_modified,
            "title_key": title_key,
            "simhash": simhash_hex(simhash),
        }
        pairs = [
            part for name, value in (meta or {}).items() for part in (self._meta_name(name), value)
        ]
        revision, first_seen = self._add(
            keys=[self.keys[name] for name in STATE_KEYS],
            args=[
                key,
                json.dumps(record, ensure_ascii=False),
                seen_at,
                published_score(published_at),
                *pairs,
            ],
        )
        return SeenArticle(
            key,
            url,
            content_hash,
            int(revision),
            first_seen,
            seen_at,
            published_at,
            etag,
            last_modified,
        )

    def same_title(self, title_key: str) -> list[tuple[str, int]]:
        raw = self.client.hget(self.keys["titles"], title_key)
        return [(key, int(h, 16)) for key, h in json.loads(raw).items()] if raw else []

    def _meta_name(self, name: str) -> str:
        return f"{name}@{self.host}" if name.startswith("offset:") else name

    def get_meta(self, name: str) -> str | None:
        return self.client.hget(self.keys["meta"], self._meta_name(name))

    def set_meta(self, name: str, value: str) -> None:
        self.client.hset(self.keys["meta"], self._meta_name(name), value)

    # Articles recorded whose page is not in a WARC archive (parkcrawl.state.CrawlState): a set,
    # so that workers whose archives fail at once add and remove keys without losing each other's.
    def unarchived(self) -> set[str]:
        return set(self.client.smembers(self._unarchived_key))

    def mark_unarchived(self, added: Iterable[str], archived: Iterable[str]) -> None:
        added, archived = list(added), list(archived)
        pipe = self.client.pipeline()
        if added:
            pipe.sadd(self._unarchived_key, *added)
        if archived:
            pipe.srem(self._unarchived_key, *archived)
        pipe.execute()

    @property
    def _unarchived_key(self) -> str:
        return f"{self.prefix}:state:unarchived"

    def touch(self, key: str, seen_at: str) -> None:
        if self.contains(key):
            self.client.hset(self.keys["last_seen"], key, seen_at)

    def published_since(self, date: str) -> list[SeenArticle]:
        score = published_score(date)
        if not score:
            return []
        keys = self.client.zrangebyscore(self.keys["published"], int(score), "+inf")
        if not keys:
            return []
        raws = self.client.hmget(self.keys["articles"], keys)
        seen = self.client.hmget(self.keys["last_seen"], keys)
        return [a for a in map(self._seen, keys, raws, seen) if a is not None]

    def __len__(self) -> int:
        return int(self.client.hlen(self.keys["articles"]))

    # --- distributed dedup ---
    def claim(
        self,
        run_prefix: str,
        key: str,
        url: str,
        content_hash: str,
        title_key: str,
        simhash: int,
        seen_at: str,
        *,
        use_state: bool = True,
    ) -> Claim:
        """Decide an article's fate and, when it is new or changed, reserve it for this worker."""
        reply = self._claim(
            keys=[
                *(f"{run_prefix}:{name}" for name in RUN_CLAIM_KEYS),
                *(self.keys[name] for name in ("articles", "last_seen", "hashes", "titles")),
            ],
            args=[
                key,
                url,
                content_hash,
                title_key,
                simhash_hex(simhash),
                NEAR_DUPLICATE_BITS,
                seen_at,
                "1" if use_state else "0",
            ],
        )
        if len(reply) == 2:
            return Claim(Verdict(reply[0]), reply[1])
        event, other, revision, first_seen = reply
        return Claim(Verdict(event), other, int(revision), first_seen or None)
