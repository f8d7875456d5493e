"""Development tools, kept out of the installed package (the wheel and the Scrapyd egg).

Run from the repository root (``python -m tools.sitegen``, ``python -m tools.evalrun``): the
site generator, the fault-injecting and CMS test servers, the fast server of the benchmarks, the
evaluation runner and scorer, and the WARC and distributed benchmarks. Only what ``parkcrawl
demo`` and ``serve-demo`` need (``parkcrawl.devtools.demo_server``) ships with the product.
"""
