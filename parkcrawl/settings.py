"""Scrapy settings for parkcrawl: polite defaults, component order, documented PARKCRAWL_* settings."""

from __future__ import annotations

from parkcrawl import __version__
from parkcrawl.items import output_fields

BOT_NAME = "parkcrawl"
SPIDER_MODULES = ["parkcrawl.spiders"]
NEWSPIDER_MODULE = "parkcrawl.spiders"
# Our `crawl` command adds exit statuses a scheduler can act on (see parkcrawl/commands/crawl.py).
COMMANDS_MODULE = "parkcrawl.commands"

USER_AGENT = f"parkcrawl/{__version__} (+https://github.com/parkcrawl/parkcrawl)"
ROBOTSTXT_OBEY = True

# Politeness: AutoThrottle adapts the delay to the server's latency; a local server costs nothing.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
# Outputs of one callback processed at once. An article page yields one item and a list page a
# few dozen requests that pass the spider middlewares without waiting, while Scrapy starts this
# many worker tasks for every response: its default of 100 spent more CPU on idle tasks than the
# spider middlewares did (cProfile, 500-article bench site). Items of different pages still run
# in parallel.
CONCURRENT_ITEMS = 8
# Responses held while their items are processed (Scrapy's default 5 MB). With the page stages in
# a worker (PARKCRAWL_PAGE_PROCESSES) the downloader outruns them and Scrapy holds responses up to
# this many bytes of bodies, ~10 times that in memory: at 5 MB, ~930 of the bench site's pages
# and +55 MB of RSS by 5,000 articles; at 1 MB, ~190 and +8 MB, at the same pages per second.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 1_000_000
DOWNLOAD_DELAY = 0

# A government page is rarely over a few MB; a 20 MB "article" is a fault, not news.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Retries wait BASE, 2×BASE, 4×BASE … (at most MAX) seconds, or the server's Retry-After (at
# most RETRY_AFTER_MAX): a struggling server gets time to recover instead of a burst.
PARKCRAWL_RETRY_BACKOFF_BASE = 1.0
PARKCRAWL_RETRY_BACKOFF_MAX = 30.0
PARKCRAWL_RETRY_AFTER_MAX = 120.0

# Faults are retried with backoff, explained, never silent (see parkcrawl/middlewares.py).
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "parkcrawl.middlewares.BackoffRetryMiddleware": 550,
    "parkcrawl.middlewares.HtmlOnlyMiddleware": 540,
    # Before any parser: a page whose markup would stall it is refused as "too complex".
    "parkcrawl.middlewares.ComplexityGuardMiddleware": 535,
    "parkcrawl.middlewares.RedirectGuardMiddleware": 610,
    # Article media only from the crawl's sites, never a private address (parkcrawl/netpolicy.py);
    # before OffsiteMiddleware (50) and RobotsTxtMiddleware (100): a refused host is not even
    # asked for robots.txt, and an allowed media host's robots.txt is not filtered as off site.
    "parkcrawl.netpolicy.MediaGuardMiddleware": 40,
}

# A scheduler's crawler must not open a code-running port or a telnet console (Scrapy 2.19 turns
# both on by default).
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy checks every callback for a generator that returns a value, with inspect.getsource and
# ast.parse, for every response: its cache holds callbacks by weak reference and a bound method
# is made anew each time, so it never hits (3% of the crawl's main thread, issue 16). The check
# is a test of ours instead (tests/component/test_spider_callbacks.py).
WARN_ON_GENERATOR_RETURN_VALUE = False

# Requests carry their site (sites file) from the page that linked them.
SPIDER_MIDDLEWARES = {
    "parkcrawl.sites.SiteMiddleware": 910,
}

# Distributed mode (PARKCRAWL_DISTRIBUTED below) swaps in the Redis scheduler, state and dedup.
ADDONS = {
    # The PARKNEWS_* names of earlier releases, read with a deprecation warning (parkcrawl/renamed.py).
    "parkcrawl.renamed.RenamedSettings": -10,
    "parkcrawl.distributed.DistributedCrawl": 0,
    # Scrapy's LogStats line off while parkcrawl's progress line or bar is on (never both).
    "parkcrawl.progress.ProgressAddon": 10,
}

# `parkcrawl reextract` runs the stages of this list that say `offline = True`, in this order.
ITEM_PIPELINES = {
    # One decode and one parse of the page: text fields, the breadcrumb (a site's
    # breadcrumb_selector applied), media links, fingerprints (parkcrawl/page.py).
    "parkcrawl.pipelines.PagePipeline": 100,
    "parkcrawl.pipelines.ParticipantsPipeline": 300,
    "parkcrawl.pipelines.DeduplicatePipeline": 400,
    # After dedup, so a dropped copy's media are not fetched.
    "parkcrawl.archive.pipelines.MediaDownloadPipeline": 450,
    "parkcrawl.pipelines.ReleaseRawPagePipeline": 900,
}

# `scrapy check parknews`: @page (a sample page of PARKCRAWL_CHECK_PAGES), @follows, @requests,
# @filled (parkcrawl/contracts.py; README "Checking the spider on a page").
SPIDER_CONTRACTS = {
    "parkcrawl.contracts.PageContract": 10,
    "parkcrawl.contracts.FollowsContract": 20,
    "parkcrawl.contracts.RequestsContract": 30,
    "parkcrawl.contracts.FilledContract": 40,
}

EXTENSIONS = {
    # After the feed exporter (0): an article is recorded once its line is written.
    "parkcrawl.state.CrawlState": 100,
    "parkcrawl.archive.extension.WarcArchive": 200,
    "parkcrawl.archive.mirror.MirrorWriter": 210,
    # The page and participants stages' process pool (PARKCRAWL_PAGE_PROCESSES).
    "parkcrawl.workers.PageWorkers": 150,
    # Start-up objects out of the garbage collector's walks while the spider is open.
    "parkcrawl.gcfreeze.FreezeStartupObjects": 160,
    # Before the run report: the bar is closed before the summary is logged below it.
    "parkcrawl.progress.Progress": 490,
    "parkcrawl.extensions.RunReport": 500,
}

# JSONL through Scrapy's feed exports. FEEDS stays empty here: Scrapy merges `-o`/`-O` into a
# FEEDS dict set by the project (writing both), so our crawl command adds the default output
# (PARKCRAWL_OUTPUT, appended) only when the command line and the settings name no feed.
FEED_EXPORT_ENCODING = "utf-8"
# Local feed files are written through line by line, and a torn last line is cut off before
# appending, so a killed run never leaves half a JSON object.
FEED_STORAGES = {
    "": "parkcrawl.feedstorage.DurableFileFeedStorage",
    "file": "parkcrawl.feedstorage.DurableFileFeedStorage",
}
FEED_EXPORT_FIELDS = output_fields()
# CSV feeds (-O out.csv) write participants, breadcrumb and media as JSON text, not Python repr.
FEED_EXPORTERS = {"csv": "parkcrawl.exporters.JsonFieldsCsvItemExporter"}
FEED_STORE_EMPTY = False

LOG_LEVEL = "INFO"

# --- parkcrawl's own settings -------------------------------------------------------------
# PARKCRAWL_OUTPUT: the JSONL file a crawl appends to when no -o/-O or FEEDS is given.
PARKCRAWL_OUTPUT = "output/parknews.jsonl"
# PARKCRAWL_START_URL: the site's home page when `-a start_url` is not given (the environment
#   variable of the same name is read too).
PARKCRAWL_START_URL = None
# PARKCRAWL_PATH: the section path walked from the home page, levels separated by "/".
PARKCRAWL_PATH = "动态要闻/园区信息"
# PARKCRAWL_CONVERT_SCRIPT: convert text to Simplified Chinese (False keeps the page's script).
PARKCRAWL_CONVERT_SCRIPT = True
# PARKCRAWL_MAX_EXTRACTION_FAILURE_SHARE: above this share of article pages failing extraction
#   the run exits non-zero (the site's layout probably changed).
PARKCRAWL_MAX_EXTRACTION_FAILURE_SHARE = 0.2
# PARKCRAWL_STATE_ENABLED: remember emitted articles so each run emits only new or changed ones.
PARKCRAWL_STATE_ENABLED = True
# PARKCRAWL_STATE_DIR: where the SQLite state lives (one run at a time may use it).
PARKCRAWL_STATE_DIR = "output/state"
# PARKCRAWL_STATE_SYNC_INTERVAL / _BATCH: articles are recorded in the state only after an fsync
#   of the feed files has made their lines durable, at most every INTERVAL seconds or BATCH
#   articles (one fsync per article would cost a disk flush each; a run killed in between leaves
#   lines written but not recorded, which the next run adopts from the feed).
PARKCRAWL_STATE_SYNC_INTERVAL = 1.0
PARKCRAWL_STATE_SYNC_BATCH = 200
# PARKCRAWL_STOP_AFTER_KNOWN_PAGES: an incremental run stops paginating after this many list pages
#   in a row that hold only known articles.
PARKCRAWL_STOP_AFTER_KNOWN_PAGES = 1
# --- crawler traps and pathological pages (README "Exit status", "Incremental runs") ---------
# PARKCRAWL_MAX_LIST_PAGES: list pages one section's walk may request (a large real section has
#   a few thousand); past it the walk is cut and the run says so. 0: no cap.
PARKCRAWL_MAX_LIST_PAGES = 5000
# PARKCRAWL_MAX_URL_VARIANTS: query variants of one list-page path that listed no article new to
#   the walk (?sort=RAND self-links, a calendar) before further variants are refused; a real pager
#   (?page=N) lists new articles on every page and is never counted. 0: no cap.
PARKCRAWL_MAX_URL_VARIANTS = 50
# PARKCRAWL_MAX_ATTRIBUTES / _ELEMENTS / _NESTING_DEPTH: a page's markup beyond these (attributes
#   in one tag, elements, nesting depth) is refused as "too complex" before it is parsed; real
#   pages measured at most 35 / 913 / 16, and the worst page within them costs seconds, not
#   minutes (a list page of 50,000 elements: ~2.5 s of link finding). 0 turns one off.
PARKCRAWL_MAX_ATTRIBUTES = 1000
PARKCRAWL_MAX_ELEMENTS = 50_000
PARKCRAWL_MAX_NESTING_DEPTH = 500
# PARKCRAWL_SITES_FILE: the sites file `-a site=NAME` / `-a sites=all` read (README "Many sites,
#   many machines"); `-a sites_file=PATH` overrides it. Relative to the directory the crawl runs in.
PARKCRAWL_SITES_FILE = "sites.toml"

# --- distributed mode (parkcrawl/distributed.py; README "Many sites, many machines") ------------
# PARKCRAWL_DISTRIBUTED: share one crawl between processes and machines through Redis: the request
#   queue and dupefilter (scrapy-redis), the incremental state and the dedup decisions.
PARKCRAWL_DISTRIBUTED = False
# REDIS_URL: the Redis server every worker uses (scrapy-redis's setting), e.g. redis://10.0.0.5:6379/0.
REDIS_URL = None
# PARKCRAWL_REDIS_PREFIX: the keys' prefix (default parkcrawl:<spider name>); crawls that must not
#   share a queue or state use different prefixes.
PARKCRAWL_REDIS_PREFIX = None
# PARKCRAWL_DISTRIBUTED_IDLE_POLL: how often (s) an idle worker looks for new requests and for the
#   end of the run; PARKCRAWL_DISTRIBUTED_HEARTBEAT: how often (s) a busy worker says it is alive;
#   PARKCRAWL_DISTRIBUTED_WORKER_TIMEOUT: a busy worker silent this long (s) counts as gone (its
#   requests in flight are lost, and the run is recorded as an incomplete walk).
PARKCRAWL_DISTRIBUTED_IDLE_POLL = 0.1
PARKCRAWL_DISTRIBUTED_HEARTBEAT = 10.0
PARKCRAWL_DISTRIBUTED_WORKER_TIMEOUT = 120.0
# PARKCRAWL_REDIS_DOWN_TIMEOUT: how long (s) a distributed worker rides out a Redis it cannot reach
#   (requests and items wait in memory, one WARNING) before it closes with a failure naming Redis
#   and exit status 1. Keep it below PARKCRAWL_DISTRIBUTED_WORKER_TIMEOUT, or the other workers
#   count a worker that waited for Redis as gone.
PARKCRAWL_REDIS_DOWN_TIMEOUT = 30.0
# PARKCRAWL_RUNS_DIR: where each run's report is written as JSON (empty: not written).
PARKCRAWL_RUNS_DIR = "output/runs"
# PARKCRAWL_HTML_REPORT_ENABLED: also write the run report as one self-contained HTML page beside
#   the JSON (articles per month, drops with examples, sites, participants, slowest pages).
PARKCRAWL_HTML_REPORT_ENABLED = True
# PARKCRAWL_PROGRESS_ENABLED / _INTERVAL: a progress line (pages fetched, articles written,
#   dropped, queue size, rate) every INTERVAL seconds; _TO_STDERR also prints it to stderr.
PARKCRAWL_PROGRESS_ENABLED = True
PARKCRAWL_PROGRESS_INTERVAL = 10.0
PARKCRAWL_PROGRESS_TO_STDERR = False
# Worker processes that read article pages and name their people (parkcrawl/workers.py): "auto"
# is one per core beyond the first (at most four), 0 reads them in the crawl's process.
PARKCRAWL_PAGE_PROCESSES = "auto"
# PARKCRAWL_PAGE_TIMEOUT: seconds a page worker may spend on one page's stage before the workers
#   are replaced and the page is dropped as "too slow to read" (0: no limit; none in process).
PARKCRAWL_PAGE_TIMEOUT = 60.0

# PARKCRAWL_PROGRESS_BAR: "auto" draws a progress bar (tqdm) instead of the line when stderr is a
#   terminal; True always, False never. Scrapy's LogStats line is off while either is on.
PARKCRAWL_PROGRESS_BAR = "auto"
# PARKCRAWL_CHECK_PAGES: the sample pages `scrapy check parknews` runs the callbacks' contracts on,
#   by name, each resolved against the start URL ("home" missing: the start page itself). The
#   defaults are pages of the demo site (fixtures/site); for a real site pass its own, e.g.
#   -s 'PARKCRAWL_CHECK_PAGES={"listing": "/news/list.html", "article": "/news/1.html"}'.
PARKCRAWL_CHECK_PAGES = {
    "home": "",
    "listing": "/dtyw/yqxx/index.html",
    "article": "/dtyw/yqxx/202410/t20241016_10220.html",
}

# --- the archive (parkcrawl/archive; README "Archive and replay") ---------------------------
# PARKCRAWL_WARC_ENABLED: write every downloaded response with its request to WARC files.
PARKCRAWL_WARC_ENABLED = True
# PARKCRAWL_WARC_DIR: where parknews-<UTC timestamp>-<serial>.warc.gz files are written.
PARKCRAWL_WARC_DIR = "output/warc"
# PARKCRAWL_WARC_MAX_SIZE: start a new WARC file once one reaches this many bytes.
PARKCRAWL_WARC_MAX_SIZE = 1_000_000_000
# PARKCRAWL_WARC_CDXJ: write a CDXJ index (.cdxj) beside each finished WARC file.
PARKCRAWL_WARC_CDXJ = True
# PARKCRAWL_WACZ_ENABLED: at the end of a run, package its WARC files, their CDXJ index and a
# list of its articles (title, date) into <prefix>-<timestamp>.wacz beside them, the file
# ReplayWeb.page opens (`parkcrawl wacz` makes one from any WARC files). Needs
# PARKCRAWL_WARC_ENABLED. Off by default: the package holds a second copy of the run's WARC files.
PARKCRAWL_WACZ_ENABLED = False
# PARKCRAWL_MIRROR_ENABLED: also save each page as a plain file under PARKCRAWL_MIRROR_DIR.
PARKCRAWL_MIRROR_ENABLED = False
PARKCRAWL_MIRROR_DIR = "output/mirror"
# Article media are archived where a redirect leads (MediaDownloadPipeline), if the fetch policy
#   below allows each hop.
MEDIA_ALLOW_REDIRECTS = True

# --- where a crawl may connect (parkcrawl/netpolicy.py; README "Archive and replay") ----------
# PARKCRAWL_MEDIA_HOSTS: article images and attachments are fetched only from a start URL's host
#   ("site", the default) or from any host of its registrable domain ("domain": img.park.gov.cn
#   for www.park.gov.cn, by the Public Suffix List snapshot inside tldextract); every redirect hop
#   is checked again. Others are refused and counted (parkcrawl/media/refused/off_site): an
#   article of a third-party site must not make the crawler fetch what it likes.
PARKCRAWL_MEDIA_HOSTS = "site"
# PARKCRAWL_MEDIA_ALLOWED_HOSTS: more hosts (each with its subdomains) media may come from, e.g.
#   ["img.example-cdn.cn"] for a site whose pictures live on a CDN.
PARKCRAWL_MEDIA_ALLOWED_HOSTS: list[str] = []
# Private, loopback, link-local and reserved addresses (10.x, 127.x, 169.254.169.254, fc00::/7 …)
#   are refused — as a URL's literal host and as a DNS answer for any name but the start hosts —
#   unless a start URL's host is itself one (the demo and the tests on 127.0.0.1).
TWISTED_DNS_RESOLVER = "parkcrawl.netpolicy.AddressGuardResolver"
