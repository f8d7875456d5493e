"""Selectors, lexicons and boilerplate patterns used by article extraction (data, not logic).

Every ordered tuple is tried first to last; the comments say why an entry sits where it does.
"""

from __future__ import annotations

import re

# -- document cleanup ---------------------------------------------------------------------------

# Elements whose content is never article text; removed (with their text) before anything else.
DROP_TAGS: tuple[str, ...] = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "canvas",
    "select",
    "option",
    "textarea",
    "button",
    "input",
    "map",
    "audio",
    "video",
    "source",
)

# Inline formatting: does not count as a tag when measuring text density (a paragraph split
# into <span>/<font> runs by a WYSIWYG editor is still one paragraph).
INLINE_TAGS: frozenset[str] = frozenset(
    {
        "a",
        "span",
        "font",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "sup",
        "sub",
        "small",
        "big",
        "s",
        "strike",
        "label",
        "abbr",
        "cite",
        "code",
        "q",
        "mark",
        "ins",
        "del",
        "nobr",
        "o:p",
    }
)

# Elements that start a new line when an element's text is laid out as paragraphs.
BLOCK_TAGS: frozenset[str] = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "tr",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "caption",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "nav",
        "aside",
        "blockquote",
        "center",
        "pre",
        "hr",
        "figure",
        "figcaption",
        "address",
        "form",
        "fieldset",
        "legend",
        "details",
        "summary",
    }
)

# Table cells are laid out side by side: a space between them, not a new line.
CELL_TAGS: frozenset[str] = frozenset({"td", "th"})

# Inline `style` that hides an element (widgets, templates, print-only copies).
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

# -- title ---------------------------------------------------------------------------------------

# Government CMSs (TRS, Hanweb, the national standard for portal metadata) publish the headline
# in these meta tags: the cleanest source there is, so they come first.
TITLE_META_NAMES: tuple[str, ...] = ("ArticleTitle", "articletitle")
# A child element of a headline holding only a number (a comment, view or word count, "(241)",
# "241条评论") is not part of the headline text.
HEADLINE_COUNTER = re.compile(r"[(（\[]?\s*\d[\d,.万千kK+]*\s*[)）\]]?\s*(条?评论|阅读|浏览|次|人)?")
# With no <title>, no title meta and no single <h1>: the first element named as a headline box
# ("<div class="Heading">", "<a id="viewpost1_TitleUrl">") holds the headline.
# (Each *_XPATH below with class/id patterns is also evaluated as the *_CLASS / *_ID patterns
# by parkcrawl.extract.body.attr_matches: the same elements, without libxml2 calling back into
# Python's re for every element, which cost more than half a millisecond a page per XPath.)
UNREFERENCED_HEADLINE_CLASS = r"(^|[\s_-])(heading|headline|title|biaoti)([\s_-]|\d|$)"
UNREFERENCED_HEADLINE_ID = r"(^|[_-]|\d)(title|heading|headline)"
UNREFERENCED_HEADLINE_XPATH = (
    f"//*[re:test(@class, '{UNREFERENCED_HEADLINE_CLASS}', 'i')"
    f" or re:test(@id, '{UNREFERENCED_HEADLINE_ID}', 'i')]"
)
UNREFERENCED_HEADLINE_MIN_CHARS = 6
# Nor a headline box: old table layouts set the headline in bold, big or centred type
# (<p align="center"><b><big>标题</big></b>) right above the first paragraph. Such an element,
# short, outside links and not ending a sentence, is the headline when a paragraph of at least
# STYLED_HEADLINE_PARAGRAPH_CHARS characters follows within its next few texts.
STYLED_HEADLINE_XPATH = (
    "//b | //strong | //big | //center | //h4 | //h5 | //h6 | //font[@size]"
    " | //*[re:test(@align, '^\\s*(center|middle)\\s*$', 'i')]"
)
STYLED_HEADLINE_MAX_CHARS = 40
STYLED_HEADLINE_PARAGRAPH_CHARS = 40
STYLED_HEADLINE_FOLLOWING_TEXTS = 3
SENTENCE_END = re.compile(r"[。！？!?；;，,：:]$")
# Titles given for sharing: used only when the <title> element is empty.
SOCIAL_TITLE_META_NAMES: tuple[str, ...] = ("og:title", "twitter:title")

# Headline elements, best first: an <h1> is the usual headline, <h2>/<h3> the headline on older
# templates whose <h1> holds the logo; then class/id names CMS templates give the headline box.
HEADLINE_TAGS = ("h1", "h2", "h3")
HEADLINE_CLASS = (
    r"(^|[\s_-])(title|headline|biaoti|tit|bt|art_?tit\w*|"
    r"article[-_]?title|news[-_]?title|detail[-_]?title|con[-_]?title|main[-_]?title|"
    r"show[-_]?title|text[-_]?title|xl[-_]?bt)([\s_-]|\d|$)"
)
HEADLINE_ID = (
    r"^(title|headline|biaoti|articletitle|newstitle|arttitle|"
    r"ti|con_?title|detail_?title|show_?title)$"
)
HEADLINE_XPATH = (
    "//h1 | //h2 | //h3"
    f" | //*[re:test(@class, '{HEADLINE_CLASS}', 'i')]"
    f" | //*[re:test(@id, '{HEADLINE_ID}', 'i')]"
)

# Headlines are short: longer candidates are paragraphs or summaries.
HEADLINE_MAX_CHARS = 120
HEADLINE_MIN_CHARS = 4

# Separators between a page title and the site/channel names appended to it. "_" and "|" are
# never used inside a headline in practice; a dash only counts with spaces around it, because
# "2024-2025年" or "一带一路-中欧班列" use bare dashes inside headlines.
TITLE_STRONG_SEPARATORS = re.compile(r"\s*(?:_|\||｜|\s(?:-{1,2}|[–—－]{1,2})\s|\s::\s|\s·\s)\s*")
# A bare dash ("标题-新华网") separates a suffix only when the tail looks like a site name.
TITLE_DASH_SEPARATOR = re.compile(r"\s*[-–—－]\s*")
# "标题-搜狐财经", "标题-报社新闻-查报纸网": a bare hyphen (no spaces) before a short tail of
# words, after a headline at least BARE_SUFFIX_HEAD_RATIO times as long, ends in a site or
# column name even when the tail names no site. Not "—": "——" sets off subtitles in headlines.
TITLE_BARE_HYPHEN = re.compile(r"[-－](?=[^-－]*$)")
BARE_SUFFIX_MAX_CHARS = 8
BARE_SUFFIX_HEAD_RATIO = 2
BARE_SUFFIX_WORD = re.compile(r"^[\w\u4e00-\u9fff.·]*[A-Za-z\u4e00-\u9fff][\w\u4e00-\u9fff.·]*$")
# A trailing segment that names a site, channel or office rather than an article.
SITE_NAME_TAIL = re.compile(
    r"(网|网站|门户|门户网站|政府|人民政府|园区|产业园|开发区|高新区|新区|管委会|委员会|办公室|"
    r"频道|首页|在线|日报|晚报|时报|新闻|新闻网|报社|电视台|广播电台|平台|中心|局|厅|部|署|"
    r"集团|公司|官网|\.com|\.cn|\.net|\.org|\.gov\.cn)$",
    re.IGNORECASE,
)
# Channel names that may trail a title without a site-like ending ("_探索者", "_科技"); a
# longer trailing segment is a site only if SITE_NAME_TAIL matches and it is at most
# SITE_NAME_MAX_CHARS long ("_苏锡通科技产业园区管理委员会").
SITE_SEGMENT_MAX_CHARS = 12
SITE_NAME_MAX_CHARS = 24

# -- body ----------------------------------------------------------------------------------------

# Known article containers, most specific first. Each is only accepted if it holds real text
# (BODY_MIN_CHARS, low link density); otherwise the next one is tried, then the density scorer.
CONTENT_SELECTORS: tuple[str, ...] = (
    # TRS WCM: the editor's output div, used by most provincial and city government sites.
    "div.TRS_Editor",
    ".TRS_UEDITOR",
    ".trs_editor_view",
    ".trs_paper_default",
    # Hanweb (大汉) and other government CMSs: the zoomable article text box.
    "#zoom",
    "#Zoom",
    "#UCAP-CONTENT",
    ".pages_content",
    "#ozoom",
    # Park and government templates.
    ".bt_content",
    ".xl_content",
    ".xxgk_content",
    ".zw_content",
    ".detail-content",
    ".detail_content",
    ".article-content",
    ".article_content",
    "#article-content",
    "#articleContent",
    ".articleContent",
    ".art_content",
    ".news_content",
    ".news-content",
    ".newsContent",
    ".con_content",
    ".show_content",
    ".text_content",
    ".TextContent",
    # Common news CMS names.
    "#artibody",
    ".artibody",
    "#article_body",
    ".article-body",
    ".article_body",
    ".post_text",
    "#endText",
    "#text_area",
    ".rm_txt_con",
    ".show_text",
    ".main-text",
    ".main_text",
    "[itemprop=articleBody]",
)
# Generic names come last: on many templates they wrap the whole page or a sidebar box, so they
# are only trusted when the density scorer's choice lies inside them and fills most of them.
GENERIC_CONTENT_SELECTORS: tuple[str, ...] = (
    "article",
    "#content",
    ".content",
    "#detail",
    ".detail",
    "#text",
    ".text",
)
# Share of a generic container's text the density scorer's node must hold for the container to
# be used as a whole (the rest being captions, attachments and a dateline the cleanup removes).
GENERIC_CONTAINER_MIN_SHARE = 0.6

# The density scorer's node is widened to the widest ancestor (at most CLIMB_MAX_LEVELS up)
# that holds CLIMB_MIN_GAIN times its text, at most CLIMB_MAX_LINK_RATIO link text, and scores
# at least CLIMB_MIN_SCORE_SHARE of it: paragraphs set as sibling <div>s, articles split over
# table cells, where one dense part would otherwise stand for the whole.
CLIMB_MIN_GAIN = 2.0
CLIMB_MAX_LINK_RATIO = 0.1
CLIMB_MIN_SCORE_SHARE = 0.2
CLIMB_MAX_LEVELS = 6
# ... or whose text is as rich in punctuation (sentences) as the dense part's, to this share:
# headings and paragraph <div>s lower a whole article's density score, not its sentences.
CLIMB_MIN_PUNCT_SHARE = 0.8

# A known container inside the density scorer's node is used only when it holds at least this
# share of that node's text (else it is a caption or note box that happens to use the name).
KNOWN_INSIDE_MIN_SHARE = 0.3

# A container (or density-chosen node) must hold at least this much non-link text.
BODY_MIN_CHARS = 20
# A container whose text is mostly link text is a list or a menu, not an article.
BODY_MAX_LINK_RATIO = 0.5

# Element names that never hold article text, for the density scorer.
DENSITY_SKIP_TAGS: frozenset[str] = frozenset(
    {
        "head",
        "title",
        "meta",
        "link",
        "a",
        "li",
        "ul",
        "ol",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "img",
        # a paragraph is a part of the article, never the article: its container is scored instead
        "p",
    }
    | INLINE_TAGS
)

# class/id words of article boxes: the density scorer gives them a bonus (as GNE does).
CONTENT_HINT = re.compile(
    r"(^|[\s_-])(content|article|artibody|zoom|text|detail|main[-_]?text|post|news[-_]?txt|"
    r"trs_editor|zw|zhengwen|xl|body)",
    re.IGNORECASE,
)
CONTENT_HINT_BONUS = 1.5
# class/id words of page furniture: the density scorer penalises them.
NOISE_HINT = re.compile(
    r"(^|[\s_-])(nav|menu|footer|foot|header|sidebar|side|right|left|comment|recommend|"
    r"related|xgwz|xgxw|hot|rank|share|copyright|banner|ad|ads|advert|links?|friend)"
    r"([\s_-]|\d|$)",
    re.IGNORECASE,
)
NOISE_HINT_PENALTY = 0.3

# Widgets inside an article container, removed before its text is read (share bars, print and
# close buttons, font-size switches, prev/next links, related-article lists, QR codes, a blog's
# calendar, video players: their buttons, speed and quality menus and error messages are no text).
# Matched against class and id; an element is only removed when it is short or mostly links,
# so a wrapper that happens to carry such a name keeps its article.
WIDGET_HINT = re.compile(
    r"(share|bdshare|jiathis|fenxiang|bshare|social|print|dayin|close|guanbi|fontsize|"
    r"font[-_]?size|zihao|zh_?size|prev|next|pager|page[-_]?nav|pagination|sxpage|"
    r"related|xgwz|xgxw|xglj|recommend|tuijian|qrcode|ewm|erweima|weixin|wechat|toolbar|"
    r"tools|article[-_]?tool|func|collect|favorite|comment|pinglun|editor[-_]?name|zrbj|"
    r"bianji|copyright|banquan|player|video|calendar|rili)",
    re.IGNORECASE,
)
WIDGET_MAX_CHARS = 200
# Class names of the furniture a widespread wiki engine (MediaWiki) sets into every article,
# whatever their size: infoboxes, maintenance notices, navigation boxes, table of contents,
# "[edit]" links. Matched as whole class tokens: removed before the article's text is read.
FURNITURE_CLASSES: frozenset[str] = frozenset(
    {"infobox", "ambox", "navbox", "vertical-navbox", "mw-editsection", "toc", "mw-jump-link",
     "catlinks", "sistersitebox", "side-box", "reflist", "references"}
)

# A box inside the article whose text is nearly all link text is a related-headlines or
# recommendation list set into the article (a floated <table> of headlines, a "推荐" box), with
# no class name to tell it by: dropped when it has LINK_BOX_MIN_LINKS links, at least
# LINK_BOX_MIN_RATIO of its text in links, and holds under LINK_BOX_MAX_SHARE of the container's
# text (a page that is all such a box is a list, and the box is then the container itself).
LINK_BOX_TAGS: frozenset[str] = frozenset({"table", "div", "ul", "ol", "dl", "section"})
LINK_BOX_MIN_LINKS = 3
LINK_BOX_MIN_RATIO = 0.8
LINK_BOX_MAX_SHARE = 0.5
# ... unless a link in it is a document: an attachment list (附件) is part of a notice.
LINK_BOX_KEEP_HREF = re.compile(
    r"\.(pdf|docx?|xlsx?|pptx?|wps|et|dps|ofd|txt|rtf|csv|zip|rar|7z|tar|gz|odt|ods|odp)"
    r"([?#]|$)",
    re.IGNORECASE,
)

# A site's legal notice (著作权声明 / 免责声明: "所有内容均由其内容合作方根据协议提供 ... 转载 ...
# 稿酬 ..."): one long unbroken block, as dense as text gets, and never the article. A
# density candidate this short whose text names NOTICE_MIN_WORDS of these words is scored
# NOTICE_PENALTY times lower (an article about copyright is longer than a notice).
NOTICE_WORDS = re.compile(
    r"著作权|版权|转载|摘编|稿酬|免责|侵权|法律责任|授权|不代表本(网|站)|本(网|站)(观点|立场)"
)
NOTICE_MIN_WORDS = 3
NOTICE_MAX_CHARS = 600
NOTICE_PENALTY = 0.1

# An article's summary box set just before its container, outside it (<div class="art_summary">
# 核心提示：…</div><div class="art_content">, an encyclopaedia's lead above its sections): one
# of the container's SUMMARY_SIBLINGS nearest preceding siblings, named like a summary or
# opening with a summary label, SUMMARY_MIN_CHARS to SUMMARY_MAX_CHARS long, with a sentence
# mark and almost no links, becomes the body's first line.
SUMMARY_HINT = re.compile(r"summary|abstract|zhaiyao|daodu|digest|tiyao", re.IGNORECASE)
SUMMARY_LABEL = re.compile(r"^[【\[]?\s*(核心提示|内容提要|内容摘要|摘要|导读|导语|提要)\s*[】\]]?\s*[:：]")
SUMMARY_SIBLINGS = 3
SUMMARY_MIN_CHARS = 10
SUMMARY_MAX_CHARS = 500
SUMMARY_MAX_LINK_RATIO = 0.2

# A list of at least FEED_MIN_ITEMS <li> items is a feed (recommendations, a news stream,
# comments): a teaser or comment inside one item can be denser than a short article, and is
# never the article, so nothing inside such an item is a density candidate.
FEED_MIN_ITEMS = 5

# An element with at least this many direct <p> children is also scored on those paragraphs
# alone (its other children left out), as a candidate for the article.
PARAGRAPH_RUN_MIN = 3

# A page that repeats one post template (a blog archive's or a forum thread's posts: the same
# tag and class, each with its own title and date row, in separate wrappers) shows its own post
# first; the densest post further down is another one. When the chosen container is one of at
# least REPEATED_POST_MIN such blocks, each a valid text block, the first of them is taken.
REPEATED_POST_MIN = 3
REPEATED_POST_TAGS = frozenset({"div", "td", "article", "section"})

# A line that is only a count (likes, comments, shares: "89", "1.2万", "3k+").
COUNTER_LINE = re.compile(r"^\d+(\.\d+)?[万千kKwW]?\+?$")

# Lines that are furniture wherever they stand (whole line, after trimming).
BOILERPLATE_LINE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        # share, print, close, font-size and favourite widgets
        r"^[【\[]?\s*(分享到|分享至|分享)\s*[:：]?",
        r"[【\[]\s*(打印本页|打印|关闭窗口|关闭|收藏|纠错|返回顶部|字体|字号)\s*[】\]]",
        r"^(打印本页|关闭窗口|打印|关闭|返回顶部|返回列表|收藏本页|加入收藏|纠错)$",
        r"^(字体|字号)\s*[:：]?\s*[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中\s*[】\]]?\s*[【\[]?\s*小",
        r"^[【\[]?\s*(纠错|我要纠错)\s*[】\]]?$",
        # previous / next article links
        r"^(上一篇|下一篇|上一条|下一条|阅读下一篇|上篇|下篇)\s*[:：]?",
        # editor, source, author and counter lines
        (
            r"^[【\[（(]?\s*(责任编辑|责编|编辑|审核|审校|校对|终审|初审|复审|编审|监制|主编|值班编辑)"
            r"\s*[:：]"
        ),
        (
            r"^[【\[（(]?\s*(来源|作者|文章来源|信息来源|稿源|供稿|撰稿|摄影|浏览次数|浏览量|阅读量|点击数|"
            r"点击量|访问量|阅读次数|发布者|发布人|发布机构)\s*[:：]"
        ),
        r"^(浏览次数|阅读|点击|访问)\s*[:：]?\s*\d*\s*次?$",
        # copyright and registration footers
        (
            r"(版权所有|Copyright|©|\(c\)\s*\d{4}|ICP\s*备|ICP证|备案号|网站标识码|公网安备|"
            r"网安备|主办单位|承办单位|技术支持)"
        ),
        # photo-gallery and player chrome
        r"^(扫一扫|手机扫描|微信扫一扫|用微信扫描|扫描二维码)",
        r"^\d{1,2}:\d{2}\s*/\s*\d{1,2}:\d{2}$",
        r"^(?i:(pdf|word|doc|docx|wps|ofd)\s*下载\s*)+$",
        r"^(正在加载|加载中|自动播放|点击加载更多|加载更多|查看更多|展开全文|阅读全文|点击播放)",
        r"^【\s*(相关|延伸)阅读\s*】$",
        # follow buttons and image-viewer chrome of self-media pages
        r"^[+＋]\s*关注$",
        # one-word buttons and labels of reader pages ("播报" reads the article aloud, "编辑"
        # opens an encyclopaedia section's editor): a whole line of one of them is no text
        r"^(播报文章|播报|听新闻|编辑|广告|收藏|订阅)$",
        r"^查看原图(\s*\d+(\.\d+)?\s*[KkMm]B?)?$",
    )
)
# Boilerplate lines are short; a long line that merely mentions "版权所有" is article text.
BOILERPLATE_LINE_MAX_CHARS = 90

# A breadcrumb line repeated at the top of an article box ("首页 > 新闻中心 >"): separators
# between short items and no sentence punctuation. "/" is left out: it also separates dates.
BREADCRUMB_LINE = re.compile(r"^[^，。；！？,;]{0,60}?(?:>|»|→|＞)[^，。；！？,;]{0,60}$")

# Rows of a government information-disclosure table (索引号/发文机关/成文日期 …) printed above
# a document: metadata, not article text. Matched with the spaces squeezed out ("索 引 号").
DISCLOSURE_META_LINE = re.compile(
    r"^(索引号|分类|主题分类|体裁分类|组配分类|服务对象|发文机关|发布机构|成文日期|发布日期|"
    r"标题|名称|文号|发文字号|有效性|主题词|关键词|公开方式|公开范围|公开时限|生效日期|废止日期|"
    r"所属机构|内容概述)[:：]"
)

# Lines that end the article: what follows them is furniture (related lists, comments).
BODY_END_MARKERS = re.compile(
    r"^[【\[]?\s*(相关(阅读|新闻|文章|链接|报道|稿件)|延伸阅读|推荐阅读|热点推荐|更多精彩|"
    r"网友评论|发表评论|我要评论|相关附件|"
    # closing headings of news portals, blogs and self-media pages (issue 19)
    r"相关内容|相关推荐|文章评论|最新评论|热门评论|精彩评论|猜你喜欢|为您推荐|为你推荐|"
    r"大家都在看|你可能还想看|其他人也在看|热门推荐|热门文章|编辑推荐)\s*[】\]]?\s*[:：]?$"
)

# Lines that close an article on news portals and self-media platforms: the platform's
# disclaimer, the keyword line, the feedback/report menu, the forum invitation and the
# responsible-editor line. The body is cut there (after some text was kept); what follows is
# comments, recommendations and menus.
BODY_END_LINES = re.compile(
    r"^(特别声明|免责声明)\s*[:：]"
    r"|^以上内容.{0,40}(上传并发布|信息存储服务|不代表本(站|网|平台)(观点|立场))"
    r"|仅提供信息存储服务"
    r"|^文章关键词\s*[:：]"
    r"|^(我要反馈|举报|不喜欢|我要纠错)(\s|$)"
    r"|^进入[【\[].{1,20}[】\]]讨论"
    r"|^[（(【\[]?\s*(责任编辑|责编)\s*[:：]"
    r"|^转载请注明"
    r"|^郑\s*重\s*声\s*明"
    r"|^本[贴帖]跟从标题"
    # the toolbar under an old portal article (发送给朋友 / 打印本文 / 返回页首 | 关闭窗口)
    r"|^(发送给朋友|推荐给朋友|打印本文|返回页首)$"
)

# -- dates ---------------------------------------------------------------------------------------

# Publication-date meta tags, most authoritative first: the government portal standard, then
# the news CMS names, then Open Graph (often the last update rather than the publication).
DATE_META_NAMES: tuple[str, ...] = (
    "PubDate",
    "pubdate",
    "publishdate",
    "PublishDate",
    "publish_date",
    "publish-date",
    "article:published_time",
    "og:article:published_time",
    "og:release_date",
    "news:published_time",
    "datePublished",
    "firstpublishedtime",
    # other CMS names: Sina's Weibo card, Tencent's, generic "publishtime"/"pubtime"
    "weibo: article:create_at",
    "weibo:article:create_at",
    "apub:time",
    "publishtime",
    "publish_time",
    "pubtime",
    # journal pages (Highwire/PRISM tags of academic publishers)
    "citation_publication_date",
    "citation_date",
    "prism.publicationDate",
    "dc.date.issued",
    "DC.date",
)

# Labels of the publication date in a dateline, strongest first; 成文日期 (the day a document
# was signed) is only used when a page gives no publication date at all.
DATE_LABELS_PUBLISHED = re.compile(
    r"(发布时间|发布日期|发表时间|发表日期|发文日期|公开日期|公布日期|上线时间|刊发时间|"
    r"更新时间|时间|日期|(?:发表|发布|发贴|张贴|刊登|更新)于)\s*[:：]?\s*$"
)
# A label after the date: "于2005年8月12日16:12在〖某论坛〗发表" (forum and blog footers);
# matched at the end of the date (re.match with a position: no "^").
DATE_LABELS_PUBLISHED_AFTER = re.compile(r"\s*(?:在[^，。\n]{0,24}?)?(发表|发布|发帖|发贴)")
# Labels that name the page's own publication outright, as a dateline or a 信息公开 metadata
# table prints them (not the bare 时间/日期, not 更新时间). A date under one of them, shown to the
# reader, outranks a PubDate-like meta that falls on another day: on government CMSs the meta is
# often the time a page was re-published or migrated, which no reader is shown.
DATE_LABELS_ISSUED = re.compile(
    r"(发布时间|发布日期|发文日期|生成日期|公开日期|公布日期)\s*[:：]?\s*$"
)
DATE_LABELS_WRITTEN = re.compile(r"(成文日期|成文时间|印发日期|签发日期)\s*[:：]?\s*$")
# Dates that are not the article's: the clock in a site header ("今天是2024年11月22日").
DATE_LABELS_IGNORED = re.compile(r"(今天是|今天|今日|当前时间|现在时间|截止|截至)\s*[:：]?\s*$")
# How many characters before a date are searched for its label.
DATE_LABEL_WINDOW = 12
# A dateline is searched this far before the article container (and after it, for templates
# that print the date under the article), counted in characters of text.
DATELINE_WINDOW_BEFORE = 400
DATELINE_WINDOW_AFTER = 200
# A body line this short that carries a date and a dateline word is a dateline, not text.
DATELINE_MAX_CHARS = 120
DATELINE_WORDS = re.compile(
    r"(发布|发表|时间|日期|来源|作者|浏览|点击|阅读|编辑|字号|字体|打印|分享|记者|通讯员)"
)

# An unlabelled byline among the first lines of a body: a short line holding one date and a
# few words (a column, paper, site or author names: "新闻中心 2020-03-05 10:21",
# "2003-7-24 某某晚报"), no sentence punctuation. Searched in the first BYLINE_LEAD_LINES lines
# until a paragraph (a line of BYLINE_PARAGRAPH_CHARS or with a full stop) has started.
BYLINE_MAX_CHARS = 60
BYLINE_REST_MAX_CHARS = 36
BYLINE_LEAD_LINES = 6
BYLINE_PARAGRAPH_CHARS = 60
BYLINE_SENTENCE = re.compile(r"[，。；！？,;!?]")

# Elements templates put the publication date in ("<span class="pubtime">", "id="paperdate"").
# Used when no dateline is found around the headline; only short texts are read.
DATE_ELEMENT_CLASS = (
    r"(^|[\s_-])(pub|publish|release|post|fb|fabu|paper|article|news|info|"
    r"content|detail|art)?[-_]?(date|time|shijian|riqi)([\s_-]|\d|$)"
)
DATE_ELEMENT_ID = (
    r"^(pub|publish|release|post|fb|fabu|paper|article|news|info|content|detail|art)?"
    r"[-_]?(date|time|shijian|riqi)\d*$"
)
DATE_ELEMENT_XPATH = (
    f"//*[re:test(@class, '{DATE_ELEMENT_CLASS}', 'i') or re:test(@id, '{DATE_ELEMENT_ID}', 'i')]"
)
DATE_ELEMENT_MAX_CHARS = 60

# JSON-LD blocks longer than this are not parsed (a page's structured data is a few KB).
JSON_LD_MAX_CHARS = 200_000

# Dates in URLs (".../202411/t20241122_123.html", ".../2024-11/22/c_1.htm"), the last resort.
URL_DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"/t?((?:19|20)\d{2})(\d{2})(\d{2})_"),
    re.compile(r"/((?:19|20)\d{2})-(\d{2})/(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})(\d{2})/(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})/(\d{2})(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})-(\d{2})-(\d{2})/"),
)

# -- source --------------------------------------------------------------------------------------

# The government portal standard's source meta, then the names news CMSs use.
SOURCE_META_NAMES: tuple[str, ...] = ("ContentSource", "contentsource", "source", "og:source")
SOURCE_LABEL = re.compile(r"(?:文章来源|信息来源|稿件来源|来源|稿源)\s*[:：]\s*")
# Where a source value ends: a run of spaces, a full-width space, a line end, the next dateline
# field or a date.
SOURCE_END = re.compile(
    r"(\s{2,}|[\n\u3000\xa0]|\||｜|浏览|作者|点击|阅读|发布|时间|日期|编辑|责任|字号|字体|【|\[|"
    r"打印|分享|(?:19|20)\d{2}\s*[-/.年]|$)"
)
# Brackets and punctuation around a source value ("（新华社）", "人民网。").
SOURCE_STRIP = " \t:：,，。;；、（）()【】[]<>《》\"'“”"
SOURCE_MAX_CHARS = 40

# -- breadcrumb ----------------------------------------------------------------------------------

# Text that introduces a breadcrumb trail.
BREADCRUMB_MARKERS = re.compile(
    r"(当前位置|您的位置|你的位置|所在位置|所在的位置|现在位置|现在的位置|当前页面)\s*[:：]?"
)
# class/id words of a breadcrumb element (matched against attributes only: "location" also
# appears in every script that reads window.location). "current" ("mm_current", "curr_nav")
# is weaker, so any element found here must show separators (BREADCRUMB_SEPARATORS) between
# 2..BREADCRUMB_MAX_ITEMS short items; only a "crumb" element may draw its separators in CSS.
BREADCRUMB_CLASS = "crumb|position|location|dqwz|weizhi|curpos|cur_pos|current"
BREADCRUMB_ID = "crumb|position|location|dqwz|weizhi|curpos|cur_pos"
BREADCRUMB_ATTR_XPATH = (
    f"//*[re:test(@class, '{BREADCRUMB_CLASS}', 'i') or re:test(@id, '{BREADCRUMB_ID}', 'i')]"
)
BREADCRUMB_CSS_ONLY = re.compile(r"crumb", re.IGNORECASE)
BREADCRUMB_MAX_ITEMS = 8
# "->" and "-->" from old table layouts come before ">" so their dashes go with them.
BREADCRUMB_SEPARATORS = re.compile(r"\s*(?:-+>+|=>|>+|»|›|→|＞+|/|\\|\||｜)\s*")
# Trailing items that name the page kind rather than a section.
BREADCRUMB_DROP_TAIL: frozenset[str] = frozenset(
    {"正文", "详情", "正文内容", "内容", "详细内容", "文章详情", "新闻详情", "详细信息"}
)
BREADCRUMB_MAX_CHARS = 200
BREADCRUMB_ITEM_MAX_CHARS = 30

# -- shared character classes ----------------------------------------------------------------

# Chinese (and ASCII) sentence punctuation: article text is full of it, menus are not.
PUNCTUATION = frozenset("，。、；：？！“”‘’（）《》【】…—,.;:?!\"'()")

# -- descriptive metas and the last-modified date (issue 17, schema 1.3) -----------------------

# Summary and keyword metas: the government standard's Description / Keywords (国办发〔2017〕47号,
# beside ArticleTitle, PubDate, ContentSource), then the news and social names.
DESCRIPTION_META_NAMES: tuple[str, ...] = (
    "Description",
    "description",
    "og:description",
    "twitter:description",
)
KEYWORDS_META_NAMES: tuple[str, ...] = ("Keywords", "keywords", "news_keywords")
# Keyword lists are separated by commas, 、 or semicolons; spaces only where nothing else is.
KEYWORD_SEPARATORS = re.compile(r"\s*[,，;；、|｜]\s*")
KEYWORD_MAX_CHARS = 40
DESCRIPTION_MAX_CHARS = 1000
# Last-modified metas, most specific first (schema.org, Open Graph, Dublin Core).
MODIFIED_META_NAMES: tuple[str, ...] = (
    "dateModified",
    "article:modified_time",
    "og:article:modified_time",
    "og:updated_time",
    "lastmodified",
    "last-modified",
    "ModifiedDate",
    "dc.date.modified",
    "DCTERMS.modified",
    # www.gov.cn ("2020-03-05-10:21:00"), Sina's Weibo card
    "lastmodifiedtime",
    "weibo: article:update_at",
    "weibo:article:update_at",
)
# A labelled modification date in a dateline ("更新时间：2024-10-20 09:00"); the date must
# follow the label within MODIFIED_LABEL_GAP characters.
MODIFIED_LABEL = re.compile(r"(更新时间|更新日期|修改时间|修改日期|最后更新|最后修改|更新于|修改于)\s*[:：]?\s*")
MODIFIED_LABEL_GAP = 2
# Breadcrumb hrefs that lead nowhere.
DEAD_HREF = re.compile(r"^\s*(javascript:|#|mailto:|$)", re.IGNORECASE)
