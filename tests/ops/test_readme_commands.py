"""Every command the README documents runs, and prints what it should.

The README marks each block of commands (see tests/ops/readme.py): `<!-- tested -->` blocks run
here, one command after another, in a scratch directory that looks like the repository root
(symlinks to .venv, fixtures/, the Makefile…), so `output/` of the real tree is left alone. The
demo site's address in the README, `http://127.0.0.1:8000`, is replaced by the test server's.
Every command needs an entry in EXPECTED below, and every entry a command in the README: adding a
command to the README means saying here what it prints.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from parkcrawl.items import output_fields
from tests.ops import readme
from tests.ops.conftest import DemoOutput, free_port
from tests.support import ROOT, validate_lines

README = ROOT / "README.md"
DEMO_ADDRESS = "http://127.0.0.1:8000"
# `<!-- tested: NAME -->` blocks and the test that runs them.
RUNNERS = {
    "scrapyd": "tests/ops/test_scrapyd.py",
    "scrapyd.conf": "tests/ops/test_scrapyd.py",
    "duckdb": "tests/ops/test_readme_commands.py::test_duckdb_block_on_demo_output",
    "systemd": "tests/ops/test_readme_commands.py::test_systemd_units_verify",
    "cron": "tests/ops/test_readme_commands.py::test_cron_line_crawls_quietly",
    "check": "tests/ops/test_contracts_and_parse.py",
}
REAL_SITE = "https://park.example.gov.cn/"
CHECKOUT = "/srv/parkcrawl"
# What the scratch root links to in the real one.
LINKED = ("Makefile", "pyproject.toml", "scrapy.cfg", "fixtures", "README.md")


@dataclass(frozen=True)
class Expect:
    status: int = 0
    out: tuple[str, ...] = ()  # stdout must have lines starting with these
    out_exact: str | None = None
    err: tuple[str, ...] = ()  # substrings stderr must contain
    err_lines: int | None = None  # the exact number of stderr lines
    jsonl: tuple[str, int] | None = None  # a file it writes, and its number of lines
    server: bool = False  # runs until stopped: started, asked for a page, stopped with Ctrl-C
    skip: str | None = None


DEMO_RUN = Expect(
    out=(
        "articles written: 29",
        "output: output/demo/parknews.jsonl  (log: output/demo/logs/demo.log)",
    ),
    jsonl=("output/demo/parknews.jsonl", 29),
)
EXPECTED: dict[str, Expect] = {
    "make demo": DEMO_RUN,
    "make test": Expect(skip="runs the whole suite, this test included"),
    "parkcrawl demo": DEMO_RUN,
    "parkcrawl stats output/demo/parknews.jsonl": Expect(
        out=(
            "articles: 29 in output/demo/parknews.jsonl",
            "  2024-10  7",
            "  2024-11  13",
            "  2024-12  9",
            "    7  周文博 (园区党工委书记)",
            "pages with no date: 0",
        ),
    ),
    "parkcrawl serve-demo --port 8000": Expect(server=True),
    "parkcrawl crawl -a start_url=http://127.0.0.1:8000/index.html -O demo.jsonl": Expect(
        err=("articles written: 29",),
        jsonl=("demo.jsonl", 29),
    ),
    "echo '園(yuán)區(qū)主(zhǔ)任(rèn)張(zhāng)偉(wěi)' | parkcrawl clean": Expect(
        out_exact="园区主任张伟\n"
    ),
    "echo '园区管委会主任张伟出席会议。' | parkcrawl people": Expect(
        out_exact='{"file": "-", "participants": [{"name": "张伟", "role": "园区管委会主任"}]}\n',
    ),
    "parkcrawl stats no-such-file.jsonl": Expect(
        status=2,
        err=("parkcrawl stats: error: cannot read no-such-file.jsonl",),
        err_lines=1,
    ),
}


@dataclass
class Result:
    status: int
    stdout: str
    stderr: str
    workdir: Path
    page_status: int | None = None


def without_comment(command: str) -> str:
    """The command without a trailing `# comment` (quotes in README commands hold no #)."""
    return re.sub(r"\s+#\s.*$", "", command).strip()


def command_blocks() -> list[list[str]]:
    """The commands of each `<!-- tested -->` block, without their comments."""
    return [
        [without_comment(command) for command in block.commands()]
        for block in readme.blocks(README)
        if block.marker == "tested" and block.detail is None
    ]


def readme_commands() -> list[str]:
    return [command for block in command_blocks() for command in block]


def test_every_command_block_is_marked() -> None:
    problems = []
    for block in readme.blocks(README):
        if block.runs_commands and block.marker is None:
            problems.append(
                f"README.md:{block.line}: a ```{block.language} block without "
                "<!-- tested -->, <!-- tested: NAME --> or <!-- untested: REASON -->"
            )
        if block.marker == "untested" and not block.detail:
            problems.append(f"README.md:{block.line}: <!-- untested --> needs a reason")
        if block.marker == "tested" and block.detail and block.detail not in RUNNERS:
            problems.append(f"README.md:{block.line}: no test runs <!-- tested: {block.detail} -->")
    assert not problems, "\n".join(problems)


def test_every_tested_command_has_an_expectation() -> None:
    commands = readme_commands()
    missing = [c for c in commands if c not in EXPECTED]
    stale = [c for c in EXPECTED if c not in commands]
    assert not missing, (
        "README commands with no expected output in tests/ops/test_readme_commands.py "
        f"(add them to EXPECTED): {missing}"
    )
    assert not stale, f"EXPECTED names commands the README no longer has: {stale}"


def test_every_named_runner_has_blocks() -> None:
    for name in RUNNERS:
        assert readme.named(README, name), f"no README block is marked <!-- tested: {name} -->"


@pytest.fixture(scope="module")
def scratch_roots(tmp_path_factory: pytest.TempPathFactory) -> Callable[[], Path]:
    """Make directories that look like the repository root to make, scrapy and parkcrawl."""
    # `make demo` first brings .venv up to date with pyproject.toml; do that here, in the real
    # root, so a scratch root's make never reinstalls the project from the scratch directory.
    if subprocess.run(["make", "-q", "install"], cwd=ROOT, check=False).returncode != 0:
        subprocess.run(["make", "-s", "install"], cwd=ROOT, check=True, timeout=600)

    def scratch_root() -> Path:
        root = tmp_path_factory.mktemp("readme-root")
        for name in LINKED:
            (root / name).symlink_to(ROOT / name)
        (root / ".venv").symlink_to(Path(sys.prefix))
        return root

    return scratch_root


def _run(command: str, root: Path, env: dict[str, str]) -> Result:
    proc = subprocess.run(
        ["bash", "-c", command],
        cwd=root,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr, root)


def _serve(command: str, root: Path, env: dict[str, str]) -> Result:
    """Start a command that serves until Ctrl-C, fetch its index page, stop it with SIGINT."""
    port = free_port()
    command = command.replace("--port 8000", f"--port {port}")
    proc = subprocess.Popen(
        ["bash", "-c", f"exec {command}"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = proc.stdout.readline() if proc.stdout else ""  # the server says where it is
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=30) as resp:
            page_status = resp.status
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    return Result(proc.returncode, first + out, err, root, page_status)


@pytest.fixture(scope="module")
def results(scratch_roots: Callable[[], Path], demo_site_url: str) -> dict[str, Result]:
    """Every tested README command, run once: each block in a scratch root of its own, its
    commands in README order, the blocks side by side (crawls mostly wait on the network)."""
    env = {k: v for k, v in os.environ.items() if k != "PARKCRAWL_START_URL"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"

    def run_block(commands: list[str]) -> dict[str, Result]:
        root = scratch_roots()
        done = {}
        for command in commands:
            expect = EXPECTED.get(command)
            if expect is None or expect.skip:
                continue
            runnable = command.replace(DEMO_ADDRESS, demo_site_url)
            done[command] = (_serve if expect.server else _run)(runnable, root, env)
        return done

    blocks = command_blocks()
    with ThreadPoolExecutor(max_workers=len(blocks) or 1) as pool:
        return {k: v for block in pool.map(run_block, blocks) for k, v in block.items()}


@pytest.mark.parametrize("command", readme_commands())
def test_readme_command(command: str, results: dict[str, Result]) -> None:
    expect = EXPECTED.get(command)
    if expect is None:
        pytest.fail(f"no expectation for README command {command!r} (see EXPECTED)")
    if expect.skip:
        pytest.skip(expect.skip)
    result = results[command]
    context = (
        f"{command}\n--- stdout:\n{result.stdout[-2000:]}\n--- stderr:\n{result.stderr[-2000:]}"
    )
    assert result.status == expect.status, context
    lines = result.stdout.splitlines()
    for wanted in expect.out:
        assert any(line.startswith(wanted) for line in lines), f"no line {wanted!r}… in\n{context}"
    if expect.out_exact is not None:
        assert result.stdout == expect.out_exact, context
    for wanted in expect.err:
        assert wanted in result.stderr, f"{wanted!r} not in\n{context}"
    if expect.err_lines is not None:
        assert len(result.stderr.splitlines()) == expect.err_lines, context
    if expect.jsonl:
        name, count = expect.jsonl
        path = result.workdir / name
        items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        assert len(items) == count, context
        validate_lines(items, path)
    if expect.server:
        assert result.page_status == 200, context
        assert result.stdout.startswith("serving "), context


def test_duckdb_block_on_demo_output(demo_output: DemoOutput, tmp_path: Path) -> None:
    pytest.importorskip("duckdb", reason="duckdb is not installed (it is in the test extra)")
    (block,) = readme.named(README, "duckdb")
    (tmp_path / "output").mkdir()
    shutil.copy(demo_output.feed, tmp_path / "output" / "parknews.jsonl")
    proc = subprocess.run(
        [sys.executable, "-W", "error", "-c", block.text],
        cwd=tmp_path,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]

    def row(*cells: str) -> re.Pattern[str]:
        return re.compile(r"│\s*" + r"\s*│\s*".join(map(re.escape, cells)) + r"\s*│")

    # every output field, typed
    assert f"{len(output_fields())} columns" in proc.stdout
    for name in output_fields():
        assert re.search(rf"\b{name}\"?: '", block.text), f"the DuckDB view does not declare {name}"
    for month, count in (("2024-10", "7"), ("2024-11", "13"), ("2024-12", "9")):
        assert row(month, count).search(proc.stdout), f"{month} {count} not in\n{proc.stdout}"
    assert "█" * 30 in proc.stdout  # the busiest month's bar
    for name, count in (("周文博", "7"), ("陈立群", "5"), ("许静", "3"), ("顾海峰", "3")):
        assert row(name, count).search(proc.stdout), f"{name} {count} not in\n{proc.stdout}"
    # the demo's credits (fixtures/demo/articles.toml): 韩露 edits two pages, one of each other role
    for role, count in (("编辑", "2"), ("作者", "1"), ("摄影", "1"), ("记者", "1"), ("通讯员", "1")):
        assert row(role, count).search(proc.stdout), f"{role} {count} not in\n{proc.stdout}"


def test_systemd_units_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    names = []
    for block in readme.named(README, "systemd"):
        first = block.text.splitlines()[0]
        assert first.startswith("# /etc/systemd/system/"), first
        name = first.rsplit("/", 1)[1]
        # the README's checkout /srv/parkcrawl is this one, so ExecStart's program exists
        (tmp_path / name).write_text(block.text.replace("/srv/parkcrawl", str(ROOT)), "utf-8")
        names.append(name)
    assert sorted(names) == ["parknews.service", "parknews.timer"]
    proc = subprocess.run(
        [analyze, "verify", *names],
        cwd=tmp_path,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0 and not proc.stdout.strip() and not proc.stderr.strip(), (
        proc.stdout + proc.stderr
    )


def test_cron_line_crawls_quietly(scratch_roots: Callable[[], Path], demo_site_url: str) -> None:
    (block,) = readme.named(README, "cron")
    (line,) = [c for c in block.commands()]
    fields = line.split(None, 5)
    assert len(fields) == 6, "five time fields, then the command"
    root = scratch_roots()
    (root / "output").mkdir()  # a checkout has output/ (output/.gitkeep)
    command = (
        fields[5].replace(CHECKOUT, str(root)).replace(REAL_SITE, f"{demo_site_url}/index.html")
    )
    env = {k: v for k, v in os.environ.items() if k != "PARKCRAWL_START_URL"}
    proc = subprocess.run(
        ["bash", "-c", command],
        cwd="/",
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    # cron mails whatever the command prints: a successful run prints nothing
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", ""), proc.stderr[-3000:]
    items = [
        json.loads(line)
        for line in (root / "output" / "parknews.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(items) == 29
    validate_lines(items, "cron run")
    log = (root / "output" / "parknews.log").read_text(encoding="utf-8")
    assert "articles written: 29" in log
    # the systemd service runs the same crawl
    (service,) = [b for b in readme.named(README, "systemd") if "ExecStart=" in b.text]
    (exec_start,) = [x for x in service.text.splitlines() if x.startswith("ExecStart=")]
    assert exec_start.removeprefix("ExecStart=") == fields[5].split(" && ", 1)[1].replace(
        f"PARKCRAWL_START_URL={REAL_SITE} .venv/", f"{CHECKOUT}/.venv/"
    )
    assert f"Environment=PARKCRAWL_START_URL={REAL_SITE}" in service.text
