"""`parkcrawl reextract ARGS…` with its own clock: prints one JSON line, import_s and seconds.

The same entry point as the `parkcrawl` command (parkcrawl.cli.main); the clock starts after
the interpreter and stops when the command returns, so start-up can be told from the work.
"""

from __future__ import annotations

import json
import sys
import time

began = time.perf_counter()
from parkcrawl.cli import main  # noqa: E402 - timed: the import is part of the start-up

imported = time.perf_counter()
code = main(["reextract", *sys.argv[1:]])
done = time.perf_counter()
print(json.dumps({"code": code, "import_s": round(imported - began, 3),
                  "seconds": round(done - imported, 3)}))  # fmt: skip
raise SystemExit(code)
