"""The page stages on another core: a process pool the page and participants pipelines share.

Reading an article page (decode, clean, parse, extract) and naming its people are pure CPU work,
about half of what a crawl spends per page; Scrapy's engine, the downloader and the writers run
on one core. With ``PARKCRAWL_PAGE_PROCESSES`` = N > 0 these stages run in N worker processes
while the reactor goes on fetching and writing; ``0`` runs them in the crawl's process, as
``parkcrawl reextract`` and the component tests do. ``auto`` (the default) is a worker per core
the crawl may use beyond the first, at most four: one on two cores, none on one.

One call a page where it can: PagePipeline asks its worker to name the people too when
ParticipantsPipeline follows it (a call costs the crawl's process ~0.3 ms of pickling and thread
hand-offs, so two calls a page were 12% of its CPU per article).

Why the output does not change: each stage calls the same pure function in the worker as in
process; a worker takes its tasks in the order they were sent, so with one worker the articles
reach the dedup stage in the order their pages arrived (with several, the first copy of a
duplicate to finish wins, as the first to arrive does in process). What can go wrong, and what
happens then:

- a worker dies (out of memory, a crash in a C library on a hostile page): the pool is rebuilt
  for the next pages and the page in hand is read again in the crawl's process, so no article is
  lost (``parkcrawl/page_workers/restarts`` counts it);
- Ctrl-C: the workers ignore SIGINT, which the terminal sends to the whole process group, so
  Scrapy's graceful stop still finishes the pages in hand; the pool closes after the last item.
  A forced stop (Ctrl-C twice) stops them at once: the pages they held are dropped and fetched
  again by the next run, and the process does not wait for a page, however slow;
- a worker cannot start (no /dev/shm, a process limit): the crawl logs one warning and runs the
  stages in process;
- a page keeps a worker busy longer than ``PARKCRAWL_PAGE_TIMEOUT`` seconds (a page built to be
  slow, a pathological case no guard foresaw): the workers are stopped and replaced, that page is
  dropped as ``too slow to read``, and the pages queued with it go to the new workers, so a
  scheduled run never hangs on one page (in process, with no worker, nothing can stop a stage).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
import types
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from twisted.internet.defer import Deferred

# Scrapy and Twisted are imported where the crawl's process uses them, not here: a worker
# imports this module (for _worker_started and warm_up) and needs neither.

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

# A pool that broke more often than this in one run is given up (see _in_process_after_crash).
MAX_RESTARTS = 3
# PARKCRAWL_PAGE_TIMEOUT's default: seconds one call may keep a worker. A 9 MB article page (near
# DOWNLOAD_MAXSIZE) is read in ~1.4 s and its people named in ~2.7 s; an article page, ~3 ms.
DEFAULT_TIMEOUT = 60.0


class PageTimeout(Exception):
    """A page's stage ran longer than PARKCRAWL_PAGE_TIMEOUT in a worker, which was stopped."""


class WorkersClosed(Exception):
    """The workers were closed with this page in hand: the crawl is stopping (a forced stop)."""


def processes_wanted(value: Any, cores: int | None = None) -> int:
    """PARKCRAWL_PAGE_PROCESSES: ``auto`` (a worker per core beyond the first, at most four), or
    a count ≥ 0."""
    text = str(value).strip().lower()
    if text == "auto":
        if cores is None:
            cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
                os.cpu_count() or 1
            )
        # The crawl's own process keeps one core; a worker per other core, up to four (a
        # worker reads ~300 article pages a second, more than one Scrapy process fetches).
        return max(0, min(cores - 1, 4))
    try:
        count = int(text)
    except ValueError:
        count = -1
    if count < 0 or str(count) != text:
        raise ValueError(f"PARKCRAWL_PAGE_PROCESSES must be auto or a whole number ≥ 0, got {value!r}")
    return count


def timeout_wanted(value: Any) -> float:
    """PARKCRAWL_PAGE_TIMEOUT: seconds > 0, or 0 for none."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise ValueError(f"PARKCRAWL_PAGE_TIMEOUT must be a number of seconds ≥ 0, got {value!r}")
    return seconds


def _worker_started(parent: int) -> None:
    """In each worker, first: ignore Ctrl-C, and end with the crawl's process."""
    # Ctrl-C reaches the whole process group: the crawl's process decides how to stop, and its
    # graceful stop needs the workers to finish the pages in hand.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A crawl killed outright (SIGKILL, the OOM killer) must not leave its worker behind: the
    # worker holds both ends of its task queue, so it would never read an end of file, and it
    # keeps the crawl's stdout and stderr open (a scheduler or a test reading them would wait
    # for ever). Linux ends it with its parent; elsewhere a thread watches the parent's pid.
    if not _die_with_parent():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    elif os.getppid() != parent:  # the parent died before the kernel was told to tell us
        os._exit(1)


def _die_with_parent() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        return libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def warm_up() -> int:
    """Load what the first pages would (OpenCC's converters, the name model, the pinyin
    readings, the common characters that charset detection scores by) before they come, so no
    page waits on a worker's start-up: loaded on demand, they cost the first article pages ~50 ms
    more, on the crawl's critical path (the worker is its slowest stage)."""
    from parkcrawl.page import read_page

    # A whole article (title, dateline, paragraphs, an image), so every stage runs, and in
    # Traditional with pinyin, so the conversion and the annotation pass run too.
    page = (
        "<html><head><title>園區(qū)召開會(huì)議_園區(qū)新聞</title></head><body>"
        "<div class=\"path\"><a href=\"/\">首頁</a> &gt; 新聞</div><h1>園區(qū)召開會(huì)議</h1>"
        "<div class=\"info\">發布時間：2024-05-06 來源：園區辦公室</div><div class=\"content\">"
        + "<p>5月6日，管委會(huì)主任王明出席會(huì)議並講話，要求各部門加強協同、狠抓落實。</p>" * 3
        + "<p><img src=\"/a.jpg\" alt=\"會議現場\"></p></div></body></html>"
    )
    # Declared, and undeclared (charset detection: charset-normalizer, the common characters).
    for raw, content_type in (
        (page.encode(), "text/html; charset=utf-8"), (page.encode("gb18030"), "text/html")
    ):
        read_page(raw, "http://warm.up/a.html", content_type, participants=True)
    # What the worker holds now (modules, the name model, OpenCC) lives as long as it does: out
    # of the collector's walks, its full collections walk only what the pages make.
    gc.collect()
    gc.freeze()
    return os.getpid()


# Calls queued for the workers beyond one per worker. ProcessPoolExecutor queues one
# (EXTRA_QUEUED_CALLS); the rest wait for its management thread, a thread of the crawl's process
# that needs the GIL the reactor holds, so a worker that finished a page often found nothing to
# read: on the 500-article bench site the worker stood idle in stalls of up to 60 ms while 50-100
# pages waited. More queued calls only means fewer that shutdown's cancel_futures can cancel; the
# workers finish every page in hand anyway.
QUEUED_PER_WORKER = 16


def _deep_queued_pool(processes: int) -> ProcessPoolExecutor:
    """A spawn pool whose workers have QUEUED_PER_WORKER calls each waiting for them."""
    from concurrent.futures import process

    # The executor reads the module's constant once, when it makes its call queue.
    default, process.EXTRA_QUEUED_CALLS = process.EXTRA_QUEUED_CALLS, processes * QUEUED_PER_WORKER
    try:
        # spawn, not fork: the crawl's process runs the reactor and threads (DNS, feed
        # storage), and a forked copy of a lock another thread held would never be released.
        return ProcessPoolExecutor(
            processes, mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_started, initargs=(os.getpid(),),
        )
    finally:
        process.EXTRA_QUEUED_CALLS = default


@contextlib.contextmanager
def _main_module_hidden() -> Iterator[None]:
    """While the workers are made, a ``__main__`` with no file, so they do not import the crawl's.

    A spawned process first imports its parent's main module. ``scrapy crawl`` run by its
    console script has that script as ``__main__``, which imports all of Scrapy and Twisted:
    ~0.25 s and ~30 MB a worker, for nothing (a worker is sent parkcrawl functions, pickled by
    module name). ``python -m scrapy`` goes without already: multiprocessing skips a package's
    ``__main__``. The real module is back as soon as the processes exist.
    """
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


def _started_pool(processes: int) -> ProcessPoolExecutor:
    """A pool whose workers are starting now, each told to warm up."""
    with _main_module_hidden():
        pool = _deep_queued_pool(processes)
        # One call a worker, sent at once: a spawn pool makes a process per call while none is
        # idle, so all of them are made here, inside _main_module_hidden.
        for _ in range(processes):
            pool.submit(warm_up)
    return pool


# A pool the crawl command started before Scrapy built the crawl (start_early), with its size,
# until the crawl's PageWorkers takes it.
_early: tuple[int, ProcessPoolExecutor] | None = None


def start_early(settings: Any) -> None:
    """Start the crawl's page workers now, if it will have any; its PageWorkers takes them.

    For the crawl command, once the arguments are checked: Scrapy then spends ~0.3 s building
    the crawl before the extensions, and a worker's start-up (an interpreter, the page stages'
    imports, OpenCC and the name model: ~0.25 s of one core) is over before the first article
    page arrives instead of after (the first pages otherwise waited for it).
    """
    global _early
    from scrapy.utils.conf import build_component_list
    from scrapy.utils.misc import load_object

    extensions = build_component_list(settings.getwithbase("EXTENSIONS"))
    if _early is not None or PageWorkers not in map(load_object, extensions):
        return
    processes = processes_wanted(settings.get("PARKCRAWL_PAGE_PROCESSES", "auto"))
    if processes:
        try:
            _early = processes, _started_pool(processes)
        except OSError:
            return  # PageWorkers tries again and says why


def close_early() -> None:
    """Stop a pool start_early made that no crawl took (the crawl failed before its extensions)."""
    global _early
    early, _early = _early, None
    if early is not None:
        _stop_pool(early[1], CLOSE_GRACE_S)


def _take_early(processes: int) -> ProcessPoolExecutor | None:
    global _early
    early, _early = _early, None
    if early is None:
        return None
    if early[0] != processes:  # settings changed in between (a spider's custom_settings)
        _stop_pool(early[1], CLOSE_GRACE_S)
        return None
    return early[1]


class PageWorkers:
    """The pool (or none: ``run`` then calls the function here), one per crawl."""

    def __init__(self, processes: int, stats: Any = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.processes = processes
        self.stats = stats
        self.timeout = timeout
        self.restarts = 0
        self.timeouts = 0
        self.closed = False
        self._pool: ProcessPoolExecutor | None = None
        # Pools stopped because one of their pages ran too long, and that page's call: the other
        # calls they held are innocent and go to the next pool.
        self._stopped: weakref.WeakSet[ProcessPoolExecutor] = weakref.WeakSet()
        self._too_slow: set[Future[Any]] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> PageWorkers:
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        processes = processes_wanted(crawler.settings.get("PARKCRAWL_PAGE_PROCESSES", "auto"))
        if not processes:
            raise NotConfigured("PARKCRAWL_PAGE_PROCESSES is 0 (or one core): pages read in process")
        timeout = timeout_wanted(crawler.settings.get("PARKCRAWL_PAGE_TIMEOUT", DEFAULT_TIMEOUT))
        workers = cls(processes, crawler.stats, timeout)
        # Started now, while Scrapy builds the rest of the crawl: a worker's start-up (an
        # interpreter, OpenCC, the name model: about a second) overlaps the engine's, and the
        # first article does not wait for it.
        workers._start()
        # After the engine has closed the scraper: every item has left the pipelines by then.
        crawler.signals.connect(workers.close, signal=signals.spider_closed)
        # A crawl that stops before its spider opens (a bad argument) closes them too.
        crawler.signals.connect(workers.close, signal=signals.engine_stopped)
        # So does a forced stop (Ctrl-C twice), which stops the reactor and sends neither.
        crawler.signals.connect(workers._close_with_reactor, signal=signals.engine_started)
        return workers

    def _close_with_reactor(self) -> None:
        from twisted.internet import reactor

        reactor.addSystemEventTrigger("before", "shutdown", self.close)  # type: ignore[attr-defined]

    @property
    def active(self) -> bool:
        return self._pool is not None

    def _start(self) -> None:
        try:
            self._pool = _take_early(self.processes) or _started_pool(self.processes)
            if self.stats is not None:
                self.stats.set_value("parkcrawl/page_workers/processes", self.processes)
        except OSError as exc:
            logger.warning("page workers could not start (%s): pages are read in process", exc)
            self._pool = None

    def close(self) -> None:
        self.closed = True
        pool, self._pool = self._pool, None
        if pool is not None:
            _stop_pool(pool, CLOSE_GRACE_S)

    async def run(self, function: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        """``function(*args, **kwargs)`` in a worker; here when there is none or it died."""
        pool = self._pool
        if pool is None:
            if self.closed:
                raise WorkersClosed("the page workers are closed")
            return function(*args, **kwargs)
        try:
            future = pool.submit(function, *args, **kwargs)
        except (BrokenProcessPool, RuntimeError):  # broken, or shut down under us
            return self._in_process_after_crash(pool, function, args, kwargs)
        from scrapy.utils.defer import maybe_deferred_to_future

        timer = self._watch(pool, future)
        try:
            return await maybe_deferred_to_future(_deferred(future))
        except BrokenProcessPool:
            if future in self._too_slow:
                self._too_slow.discard(future)
                raise PageTimeout(f"over {self.timeout:g} s in a page worker") from None
            if self.closed:
                # Not read again here: the crawl is stopping and nobody waits for this page (a
                # forced stop would otherwise read every queued page on the reactor thread).
                raise WorkersClosed("the page workers were closed") from None
            if pool in self._stopped and self._pool is not None:
                return await self.run(function, *args, **kwargs)  # stopped for another page
            return self._in_process_after_crash(pool, function, args, kwargs)
        finally:
            if timer is not None and timer.active():
                timer.cancel()

    def _watch(self, pool: ProcessPoolExecutor, future: Future[Any]) -> Any:
        """A reactor timer that stops the pool if ``future`` is not done in time (None: no limit)."""
        if not self.timeout:
            return None
        from twisted.internet import reactor

        return reactor.callLater(self.timeout, self._stop_slow, pool, future)  # type: ignore[attr-defined]

    def _stop_slow(self, pool: ProcessPoolExecutor, future: Future[Any]) -> None:
        if future.done() or pool is not self._pool:
            return  # done in time, or its pool already stopped (its call will be sent again)
        self._too_slow.add(future)
        self._stopped.add(pool)
        self.timeouts += 1
        if self.stats is not None:
            self.stats.inc_value("parkcrawl/page_workers/timeouts")
        logger.warning(
            "a page kept a page worker busy over %g s (PARKCRAWL_PAGE_TIMEOUT): the workers are "
            "replaced and the page dropped", self.timeout,
        )
        # The killed worker breaks the pool, which fails every call it held.
        _stop_pool(pool, 0.0)
        self._start()

    def _in_process_after_crash(
        self, pool: ProcessPoolExecutor, function: Callable[..., _T], args: Any, kwargs: Any
    ) -> _T:
        if self._pool is pool:
            pool.shutdown(wait=False, cancel_futures=True)
            self.restarts += 1
            if self.stats is not None:
                self.stats.inc_value("parkcrawl/page_workers/restarts")
            if self.restarts > MAX_RESTARTS:
                # Workers that cannot live here (cannot import parkcrawl, killed at once): the
                # rest of the run reads its pages in process, as PARKCRAWL_PAGE_PROCESSES=0.
                logger.warning(
                    "page workers died %d times: the rest of the pages are read in process",
                    self.restarts,
                )
                self._pool = None
            else:
                logger.warning("a page worker died: restarting the pool; this page is read in process")
                self._start()
        return function(*args, **kwargs)


# Seconds close() lets the workers finish before it kills them. An idle worker exits at once; one
# still in a page when the crawl stops (a forced stop: Ctrl-C twice) is reading a page nobody
# will read the result of, and the interpreter's exit would wait for it (ProcessPoolExecutor
# joins its workers at exit), however long the page takes.
CLOSE_GRACE_S = 0.5


def _stop_pool(pool: ProcessPoolExecutor, grace: float) -> None:
    """Shut the pool down, its queued calls cancelled; kill the workers not gone after ``grace``."""
    # No public way to reach a pool's workers before Python 3.14 (kill_workers): its processes.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(1.0)  # reaped: SIGKILL is not refused, it only takes a moment


def _deferred(future: Future[_T]) -> Deferred[_T]:
    """A Deferred fired in the reactor's thread when ``future`` is done (any reactor)."""
    from twisted.internet import reactor
    from twisted.internet.defer import Deferred

    deferred: Deferred[_T] = Deferred()

    def settle(done: Future[_T]) -> None:
        if done.cancelled():  # the pool shut down with the page still queued
            deferred.errback(BrokenProcessPool("the page workers were shut down"))
            return
        exc = done.exception()
        if exc is not None:
            deferred.errback(exc)
        else:
            deferred.callback(done.result())

    future.add_done_callback(lambda done: reactor.callFromThread(settle, done))  # type: ignore[attr-defined]
    return deferred


def get_workers(crawler: Any) -> PageWorkers | None:
    """The crawl's live page workers, or None when the pages are read in process (no crawler,
    PARKCRAWL_PAGE_PROCESSES=0, or a pool given up)."""
    workers = crawler.get_extension(PageWorkers) if crawler else None
    return workers if workers is not None and workers.active else None
