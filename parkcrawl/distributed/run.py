"""The shared run: scrapy-redis's scheduler for many workers, and knowing when their crawl is over.

See :mod:`parkcrawl.distributed` for the design. Keys: ``<prefix>:run`` (the current run's id),
``<prefix>:runs`` (the id counter), ``<prefix>:run:<id>:*`` and ``<prefix>:last_run``.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections import deque
from typing import Any

from scrapy import signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.asyncio import call_later, create_looping_call
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import load_object
from scrapy.utils.request import request_from_dict
from scrapy_redis import picklecompat
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from parkcrawl.distributed import redis_client, redis_prefix
from parkcrawl.distributed.outage import RedisOutage, close_worker, redis_outage
from parkcrawl.distributed.store import RUN_CLAIM_KEYS
from parkcrawl.state import WALK_COMPLETE

logger = logging.getLogger(__name__)

RUN_KEYS = ("requests", "dupefilter", "workers", "info", *RUN_CLAIM_KEYS)

# KEYS: current run id, run counter, state meta.  ARGV: worker, prefix.
# Join the current run, or start one; a joining worker counts as busy until its first idle, so
# nobody declares the run over while its start requests are still on their way to the queue.
_JOIN = """
local prefix = ARGV[2]
local id = redis.call('GET', KEYS[1])
if not id then
  id = tostring(redis.call('INCR', KEYS[2]))
  redis.call('SET', KEYS[1], id)
  local previous = redis.call('HGET', KEYS[3], ARGV[3]) or '0'
  redis.call('HSET', prefix .. ':run:' .. id .. ':info', 'previous_walk_complete', previous,
             'started_by', ARGV[1])
  redis.call('HSET', KEYS[3], ARGV[3], '0')
end
local info = prefix .. ':run:' .. id .. ':info'
redis.call('ZADD', prefix .. ':run:' .. id .. ':workers', redis.call('TIME')[1], ARGV[1])
redis.call('HINCRBY', info, 'workers', 1)
return {id, redis.call('HGET', info, 'previous_walk_complete')}
"""

# KEYS: queue, workers.  ARGV: worker.  Pop the best request and mark the worker busy, at once.
_POP = """
local popped = redis.call('ZPOPMIN', KEYS[1])
if #popped == 0 then return false end
redis.call('ZADD', KEYS[2], redis.call('TIME')[1], ARGV[1])
return popped[1]
"""

# KEYS: workers.  ARGV: worker.  A busy worker's heartbeat (an idle one is not in the set).
_HEARTBEAT = """
return redis.call('ZADD', KEYS[1], 'XX', 'CH', redis.call('TIME')[1], ARGV[1])
"""

# KEYS: current run id, workers, queue, info, state meta, last run, then every run key.
# ARGV: run id, worker, worker timeout (s), this worker's failure or ''.
# The worker is idle: unmark it, evict workers whose heartbeat stopped, and end the run when the
# queue is empty and nobody is busy.
_IDLE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {'gone', ''} end
redis.call('ZREM', KEYS[2], ARGV[2])
if ARGV[4] ~= '' then redis.call('HSETNX', KEYS[4], 'failed', ARGV[4]) end
local cutoff = tonumber(redis.call('TIME')[1]) - tonumber(ARGV[3])
local dead = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', cutoff)
if #dead > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', cutoff)
  redis.call('HSETNX', KEYS[4], 'failed',
             'worker ' .. dead[1] .. ' stopped answering with requests in flight')
end
if redis.call('ZCARD', KEYS[3]) > 0 then return {'work', ''} end
if redis.call('ZCARD', KEYS[2]) > 0 then return {'wait', ''} end
local failed = redis.call('HGET', KEYS[4], 'failed')
redis.call('HSET', KEYS[5], ARGV[5], failed and '0' or '1')
redis.call('DEL', KEYS[6])
if redis.call('EXISTS', KEYS[4]) == 1 then redis.call('RENAME', KEYS[4], KEYS[6]) end
redis.call('HSET', KEYS[6], 'id', ARGV[1], 'finished_by', ARGV[2],
           'finished_at', redis.call('TIME')[1])
for i = 7, #KEYS do redis.call('DEL', KEYS[i]) end
redis.call('DEL', KEYS[1])
return {'done', failed or ''}
"""

# KEYS: current run id, workers, info.  ARGV: run id, worker, failure or ''.
# A worker leaves: if it still held requests (it was busy) their pages are lost to this run.
_LEAVE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local was_busy = redis.call('ZREM', KEYS[2], ARGV[2])
if ARGV[3] ~= '' then redis.call('HSETNX', KEYS[3], 'failed', ARGV[3])
elseif was_busy == 1 then
  redis.call('HSETNX', KEYS[3], 'failed', 'worker ' .. ARGV[2] .. ' left with requests in flight')
end
return was_busy
"""


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def worker_failure(spider: Any, stats: Any) -> str:
    """Why this worker's share of the walk is incomplete, or '' (what CrawlState also checks)."""
    if getattr(spider, "failure", None):
        return str(spider.failure)
    lost = getattr(spider, "lost_list_pages", None)
    if lost or stats.get_value("parkcrawl/list_page_failed"):
        url = lost[0]["url"] if lost else "?"
        return f"list page {url} lost"
    cut = getattr(spider, "walk_cut", None)
    if cut:
        return f"walk cut: {cut[0]}"
    return ""


class SharedRun:
    """One distributed run in Redis: joining it, popping requests, and knowing when it is over."""

    def __init__(self, client: Any, prefix: str, worker: str, worker_timeout: float):
        self.client = client
        self.prefix = prefix
        self.worker = worker
        self.worker_timeout = worker_timeout
        self.run_id: str | None = None
        self.previous_walk_complete = False
        self.finished = False
        self._join = client.register_script(_JOIN)
        self._pop = client.register_script(_POP)
        self._heartbeat = client.register_script(_HEARTBEAT)
        self._idle = client.register_script(_IDLE)
        self._leave = client.register_script(_LEAVE)

    def key(self, name: str) -> str:
        """A key of this run (``requests``, ``dupefilter``, …)."""
        return f"{self.prefix}:run:{self.run_id}:{name}"

    @property
    def run_prefix(self) -> str:
        return f"{self.prefix}:run:{self.run_id}"

    def join(self) -> str:
        run_id, previous = self._join(
            keys=[f"{self.prefix}:run", f"{self.prefix}:runs", f"{self.prefix}:state:meta"],
            args=[self.worker, self.prefix, WALK_COMPLETE],
        )
        self.run_id = _text(run_id)
        self.previous_walk_complete = _text(previous) == "1"
        return self.run_id

    def pop(self) -> bytes | None:
        return self._pop(keys=[self.key("requests"), self.key("workers")], args=[self.worker])

    def heartbeat(self) -> None:
        self._heartbeat(keys=[self.key("workers")], args=[self.worker])

    def idle(self, failure: str = "") -> str:
        """This worker is idle: ``work`` (the queue has requests), ``wait`` (others are busy),
        ``done`` (this worker ended the run) or ``gone`` (another worker ended it)."""
        verdict, _ = self._idle(
            keys=[
                f"{self.prefix}:run",
                self.key("workers"),
                self.key("requests"),
                self.key("info"),
                f"{self.prefix}:state:meta",
                f"{self.prefix}:last_run",
                *(self.key(name) for name in RUN_KEYS),
            ],
            args=[self.run_id, self.worker, int(self.worker_timeout), failure, WALK_COMPLETE],
        )
        verdict = _text(verdict)
        if verdict in ("done", "gone"):
            self.finished = True
        return verdict

    def leave(self, failure: str = "") -> bool:
        """Leave the run (the worker is closing); True when it still held requests."""
        if self.finished or self.run_id is None:
            return False
        return bool(
            self._leave(
                keys=[f"{self.prefix}:run", self.key("workers"), self.key("info")],
                args=[self.run_id, self.worker, failure],
            )
        )


class SharedScheduler(Scheduler):
    """scrapy-redis's scheduler for one run shared by many workers; the run ends when all are idle.

    Settings: PARKCRAWL_REDIS_PREFIX, PARKCRAWL_DISTRIBUTED_IDLE_POLL (how often an idle worker
    looks for work and for the end, s), PARKCRAWL_DISTRIBUTED_HEARTBEAT (s) and
    PARKCRAWL_DISTRIBUTED_WORKER_TIMEOUT (s without a heartbeat before a busy worker counts as
    gone and the run as incomplete). While Redis is down (:mod:`parkcrawl.distributed.outage`,
    PARKCRAWL_REDIS_DOWN_TIMEOUT) new requests are kept in memory and sent when it is back, and
    the worker neither takes requests nor counts as idle.
    """

    def __init__(
        self,
        server: Any,
        *,
        crawler: Any,
        prefix: str,
        idle_poll: float,
        heartbeat: float,
        worker_timeout: float,
        outage: RedisOutage | None = None,
        **kwargs: Any,
    ):
        super().__init__(server, persist=True, **kwargs)
        self.crawler = crawler
        self.stats = crawler.stats
        self.outage = outage
        # Requests to send once Redis is back, with whether the dupefilter must still see them
        # (False: the failed attempt may already have marked them seen).
        self._unsent: deque[tuple[Any, bool]] = deque()
        worker = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(2)}"
        self.run = SharedRun(server, prefix, worker, worker_timeout)
        self.idle_poll = idle_poll
        self.heartbeat_interval = heartbeat
        self._heartbeat_loop: Any = None
        self._pull_loop: Any = None
        self._wake_call: Any = None
        self._wake_pending = False
        self._robots_asked: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedScheduler:
        settings = crawler.settings
        serializer = settings.get("SCHEDULER_SERIALIZER")
        outage = redis_outage(crawler)
        scheduler = cls(
            redis_client(settings),
            crawler=crawler,
            outage=outage,
            prefix=redis_prefix(settings, crawler.spidercls.name),
            idle_poll=settings.getfloat("PARKCRAWL_DISTRIBUTED_IDLE_POLL", 0.1),
            heartbeat=settings.getfloat("PARKCRAWL_DISTRIBUTED_HEARTBEAT", 10.0),
            worker_timeout=settings.getfloat("PARKCRAWL_DISTRIBUTED_WORKER_TIMEOUT", 120.0),
            queue_cls=settings.get("SCHEDULER_QUEUE_CLASS") or "scrapy_redis.queue.PriorityQueue",
            serializer=load_object(serializer) if isinstance(serializer, str) else serializer,
        )
        outage.on_recovery(scheduler._recovered)
        return scheduler

    def open(self, spider: Any) -> None:
        self.spider = spider
        run_id = self.run.join()
        self.queue = load_object(self.queue_cls)(
            server=self.server,
            spider=spider,
            key=self.run.key("requests"),
            serializer=self.serializer,
        )
        self.df = RFPDupeFilter(
            self.server,
            key=self.run.key("dupefilter"),
            debug=self.crawler.settings.getbool("DUPEFILTER_DEBUG"),
        )
        self.stats.set_value("parkcrawl/distributed/run", run_id)
        self.stats.set_value("parkcrawl/distributed/worker", self.run.worker)
        logger.info(
            "distributed run %s of %s (worker %s; %d requests queued)",
            run_id,
            self.run.prefix,
            self.run.worker,
            len(self.queue),
        )
        self.crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        self._heartbeat_loop = create_looping_call(self._heartbeat)
        self._heartbeat_loop.start(self.heartbeat_interval, now=False)
        # Scrapy's engine asks the scheduler for requests only when a download ends or the spider
        # is idle. A worker with some requests in flight and free slots would therefore leave
        # requests another worker queued meanwhile (a list page's articles) until its next
        # download ends, a whole server round trip, while the queue holds work. Every idle_poll
        # seconds the engine is woken to fill its free slots (it takes nothing when they are full).
        self._pull_loop = create_looping_call(self._pull)
        self._pull_loop.start(self.idle_poll, now=False)

    def close(self, reason: str) -> None:
        # Never flush: the queue and dupefilter belong to every worker of the run. The worker
        # that ends the run deletes them.
        for loop in (self._heartbeat_loop, self._pull_loop):
            if loop is not None and loop.running:
                loop.stop()
        if self._wake_call is not None:
            self._wake_call.cancel()
        failure = worker_failure(self.spider, self.stats)
        if reason != "finished" and not failure:
            failure = f"worker {self.run.worker} closed early ({reason})"
        if self._unsent:
            self._send_unsent()
        if self._unsent:
            self.stats.set_value("parkcrawl/distributed/unsent_requests", len(self._unsent))
            failure = failure or f"worker {self.run.worker} could not send {len(self._unsent)} requests"
        if self._call(self.run.leave, failure, default=False):
            logger.warning("left distributed run %s with requests in flight", self.run.run_id)
        if self.outage is not None and self.outage.outages:
            self.stats.set_value("parkcrawl/distributed/redis_outages", self.outage.outages)

    def _call(self, func: Any, *args: Any, default: Any) -> Any:
        """``func(*args)`` through the outage guard (when there is one)."""
        if self.outage is None:
            return func(*args)
        return self.outage.call(func, *args, default=default)

    def _heartbeat(self) -> None:
        # A missed beat is not fatal (the worker timeout allows many); the outage guard logs it.
        self._call(self.run.heartbeat, default=None)

    def enqueue_request(self, request: Any) -> bool:
        if self._unsent or (self.outage is not None and self.outage.down):
            self._unsent.append((request, True))  # behind the others: keep their order
            return True
        sent = self._call(self._send, request, True, default=None)
        if sent is None:
            self._unsent.append((request, False))
            return True
        return sent

    def _send(self, request: Any, check: bool) -> bool:
        """Push a request to the run's queue unless the dupefilter has seen it (``check``)."""
        seen = not request.dont_filter and self.df.request_seen(request)
        if seen and check:
            self.df.log(request, self.spider)
            self._fetch_robots_early(request)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def _fetch_robots_early(self, request: Any) -> None:
        """Fetch robots.txt of a host whose request another worker already queued.

        A worker that joins a run finds its start requests already queued by the first worker,
        so it has nothing to download until that worker's pages add requests; only then, with
        its first popped request, would it fetch robots.txt, and every request it took would wait
        that round trip while the first worker's were downloading. Fetched now, while the other
        worker walks to the first list page, it is ready when the articles come. Once per host;
        RobotsTxtMiddleware keeps the answer, so a host already asked costs nothing.
        """
        netloc = urlparse_cached(request).netloc
        if netloc in self._robots_asked:
            return
        self._robots_asked.add(netloc)
        engine = self.crawler.engine
        downloader = getattr(engine, "downloader", None)
        middlewares = getattr(getattr(downloader, "middleware", None), "middlewares", ())
        robots = next((m for m in middlewares if isinstance(m, RobotsTxtMiddleware)), None)
        if robots is None or request.meta.get("dont_obey_robotstxt"):
            return  # ROBOTSTXT_OBEY is off, or the request would not ask anyway
        # The middleware logs and counts its own errors (and then allows everything).
        deferred_from_coro(robots.robot_parser(request))

    def _recovered(self) -> None:
        """Redis is back: check that it still holds the run, then send what was kept."""
        assert self.outage is not None
        current = self._call(self.server.get, f"{self.run.prefix}:run", default=b"?")
        if current != b"?" and not self.run.finished and _text(current or "") != self.run.run_id:
            # A Redis restarted without persistence: the queue and the claims are gone, and
            # this worker alone cannot redo the run.
            close_worker(
                self.crawler,
                f"Redis at {self.outage.url} lost distributed run {self.run.run_id} during an "
                "outage (restarted without its data?): the crawl is incomplete",
            )
            return
        self._send_unsent()

    def _send_unsent(self) -> None:
        """Send the requests kept while Redis was down, in order, until one fails."""
        # Taken off before sending: the call that finds Redis back sends the rest itself.
        while self._unsent:
            request, check = self._unsent.popleft()
            if self._call(self._send, request, check, default=None) is None:
                self._unsent.appendleft((request, False))  # it may have been marked seen
                return

    def next_request(self) -> Any:
        if self._unsent:
            self._send_unsent()
        if not self._has_room():
            self.stats.inc_value("parkcrawl/distributed/left_queued")
            return None
        data = self._call(self.run.pop, default=None)
        if not data:
            if self.outage is not None and self.outage.down:
                self._wake_later()  # look again soon: nothing else wakes a stalled engine
            return None
        self.stats.inc_value("scheduler/dequeued/redis")
        obj = (self.serializer or picklecompat).loads(data)
        return request_from_dict(obj, spider=self.spider)

    def _has_room(self) -> bool:
        """Whether this worker can start another request now, so it may take one from the queue.

        Scrapy's engine takes requests until CONCURRENT_REQUESTS (16) are in its downloader,
        although a site's slot downloads only CONCURRENT_REQUESTS_PER_DOMAIN (8) at a time: with
        the scheduler in memory the rest just wait their turn. From a shared queue they would
        wait in this worker while another worker has free slots: when a list page's articles
        arrive one worker took 16 and the other found the queue empty, and at the end one worker
        downloaded its last 8 while the other sat idle (issue 16, 2 workers vs 1). So a request
        is taken only while fewer are waiting here (in the downloader, not transferring) than
        the slots could start at once, and always when none is waiting: at most one waits for a
        full slot, while a crawl of several sites still fills every site's slots.
        A response that ends frees a slot and asks again, and so does the pull every idle_poll.
        It also keeps a worker within CONCURRENT_REQUESTS_PER_DOMAIN: Scrapy 2.19's slot starts
        its queued requests as asyncio tasks and counts them as transferring only once they run,
        so a slot holding many starts them all at once (14 in flight at the bench's server for
        a limit of 8, before this check; 8 after).
        """
        downloader = getattr(self.crawler.engine, "downloader", None)
        slots = getattr(downloader, "slots", None)
        active = getattr(downloader, "active", None)
        if slots is None or active is None:
            return True
        transferring = sum(len(slot.transferring) for slot in slots.values())
        waiting = len(active) - transferring
        # A slot with a request already queued cannot start one now; one with a download delay
        # starts one at a time, whatever its concurrency.
        room = sum(
            0 if slot.queue else
            min(1, max(0, slot.free_transfer_slots())) if slot.delay else
            max(0, slot.free_transfer_slots())
            for slot in slots.values()
        )  # fmt: skip
        return waiting < max(1, room)

    def has_pending_requests(self) -> bool:
        if self._unsent or (self.outage is not None and self.outage.down):
            return True  # not idle while it cannot know: the run's end is decided in Redis
        return bool(self._call(len, self.queue, default=1))

    def __len__(self) -> int:
        """Requests queued in the run (0 while Redis is down), and this worker's unsent ones."""
        return self._call(len, self.queue, default=0) + len(self._unsent)

    def spider_idle(self, spider: Any) -> None:
        """Close only when the whole run is over; otherwise look again in ``idle_poll`` seconds."""
        if self.outage is not None and self.outage.given_up:
            return  # the worker is closing with the outage as its failure
        verdict = self._call(self.run.idle, worker_failure(spider, self.stats), default=None)
        if verdict in ("done", "gone"):
            self.stats.set_value("parkcrawl/distributed/ended_run", int(verdict == "done"))
            logger.info("distributed run %s is over", self.run.run_id)
            return
        self.stats.inc_value("parkcrawl/distributed/idle_waits")
        self._wake_later()
        raise DontCloseSpider

    def _wake_later(self) -> None:
        if not self._wake_pending:
            self._wake_pending = True
            self._wake_call = call_later(self.idle_poll, self._wake)

    def _wake(self) -> None:
        self._wake_pending = False
        self._pull()

    def _pull(self) -> None:
        # Scrapy re-checks an idle spider on its 5-second heartbeat; waking the engine's
        # scheduling loop sooner lets an idle worker take new requests (or notice the end)
        # within idle_poll. Without that private hook, the heartbeat still does it.
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None and slot.closing is None:
            slot.nextcall.schedule()


def shared_run(crawler: Any) -> SharedRun:
    """The run of this worker's SharedScheduler (distributed mode only)."""
    scheduler = crawler.engine.scheduler if crawler.engine else None
    if not isinstance(scheduler, SharedScheduler):
        raise TypeError("distributed components need SharedScheduler (PARKCRAWL_DISTRIBUTED)")
    return scheduler.run
