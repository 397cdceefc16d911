"""Benchmark the newsroom under gunicorn with wrk: `make bench` (see README, "Benchmarks").

    python bench/run.py [--db sqlite|postgres] [--articles N] [--duration S] [--connections C]
                        [--mode both|uncached|cached] [--rebuild] [--no-write]

1. Builds the archive in a scratch database (SQLite in var/bench/sqlite-nN/, or the PostgreSQL
   database `newsroom_bench` at 127.0.0.1:5432): migrate, load_demo, then
   `generate_newsroom --articles N --seed 1`. An archive built before for the same N is reused;
   --rebuild builds a new one.
2. Chooses the URLs from the archive and counts each one's SQL queries in-process
   (bench/probe.py), then starts gunicorn (2 sync workers, DEBUG=0, settings `bench.settings`,
   which add two baseline views) on a free port.
3. Runs wrk against each URL (a warm-up, then DURATION seconds): req/s, p50/p95/p99 latency,
   bytes per response, and the ratio to the baselines' req/s. Public pages run twice, with the
   readers' page cache off (PAGE_CACHE=0) and on.
4. Prints a Markdown table and writes it to docs/benchmarks.md, replacing the section for the
   same database and N.

Not part of the test suite: figures depend on the machine.
"""

import argparse
import datetime
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUMMARY_LUA = ROOT / "bench" / "wrk" / "summary.lua"
DOC = ROOT / "docs" / "benchmarks.md"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "newsroom_bench"
WORKERS = 2
GENERATOR = "generate_newsroom"

PAGES = ["front-*", "list", "list-deep", "person", "company", "story"]
# The targets: (database, N, mode, row keys, what is compared, bound, text).
# "p95" is compared in milliseconds; "template"/"string" is req/s as a ratio to that baseline.
TARGETS = [
    ("postgres", 100_000, "uncached", ["article"], "p95", "<", 50),
    ("postgres", 100_000, "uncached", [*PAGES], "p95", "<", 80),
    ("postgres", 100_000, "uncached", ["feed-*"], "p95", "<", 100),
    ("postgres", 100_000, "uncached", ["search-common"], "p95", "<", 100),
    ("postgres", 100_000, "uncached", ["search-rare"], "p95", "<", 30),
    ("postgres", 100_000, "uncached", ["admin-changelist", "admin-filter-*"], "p95", "<", 300),
    ("postgres", 100_000, "uncached", ["article"], "template", ">=", 0.3),
    ("postgres", 100_000, "cached", ["article", "feed-*"], "string", ">=", 0.8),
    ("sqlite", 10_000, "uncached", ["search-common"], "p95", "<", 200),
]
DOC_INTRO = """\
# Benchmarks

Written by `make bench` (bench/run.py, see the README): one section per database and archive
size, replaced by the next run of the same kind. Latencies are what wrk saw with all its
connections open against gunicorn's two sync workers, so they include the wait for a free
worker. "alone ms" and "queries" are one warm request made in-process with Django's test
client, without load or network (for a list of URLs, the median time and the range of
queries). wrk and gunicorn share the machine,
and so does anything else running on it: compare figures from the same run (the ratio
columns), not across machines or busy days.
"""
TARGETS_TEXT = """\
Targets (issue 10), checked in the `target` column of the matching run:

- PostgreSQL, 100 000 articles, uncached, p95 latency: article < 50 ms; front pages, article
  list, person, company and story pages < 80 ms; each feed < 100 ms; search (top 20) < 100 ms
  for a common word and < 30 ms for a rare one; admin changelist < 300 ms.
- PostgreSQL, 100 000 articles: uncached article ≥ 0.3× the template baseline's req/s; cached
  article and cached feeds ≥ 0.8× the string baseline's req/s.
- SQLite, 10 000 articles: common-word search p95 < 200 ms.
"""


class Stop(Exception):
    """A reason to stop the run, said to the user without a traceback."""


def say(message: str) -> None:
    print(message, flush=True)


# -- the archive ------------------------------------------------------------------------------


class Archive:
    """The scratch database, its environment, and what it was built with."""

    def __init__(self, db: str, n: int):
        self.db = db
        # One SQLite file per N, so a quick demo run does not throw away a big archive.
        self.var_dir = ROOT / "var" / "bench" / (f"sqlite-n{n}" if db == "sqlite" else db)
        self.sqlite_path = self.var_dir / "newsroom.sqlite3"
        self.url = f"{PG_SERVER}/{PG_DATABASE}" if db == "postgres" else ""

    def env(self, secret_key: str) -> dict:
        env = {
            key: value
            for key, value in os.environ.items()
            # The run's own database, cache, media and settings, whatever the shell had.
            if key
            not in {
                "DATABASE_URL",
                "REDIS_URL",
                "PAGE_CACHE",
                "DJANGO_SETTINGS_MODULE",
                "MEDIA_STORAGE_URL",
                "AWS_STORAGE_BUCKET_NAME",
            }
        }
        env.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            NEWSROOM_VAR_DIR=str(self.var_dir),
            BENCH_TEMPLATES_DIR=str(self.var_dir / "templates"),
            DEBUG="0",
            SECRET_KEY=secret_key,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            LOG_LEVEL="ERROR",
            # The editor's admin pages are measured through a session made by the probe
            # (force_login), with no second factor: production mode would require one.
            REQUIRE_2FA="0",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        )
        if self.url:
            env["DATABASE_URL"] = self.url
        return env

    # Raw connections, not Django: run.py only orchestrates.
    def _query(self, sql: str):
        if self.db == "sqlite":
            with sqlite3.connect(self.sqlite_path) as conn:
                return conn.execute(sql).fetchone()
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            return conn.execute(sql).fetchone()

    def exists(self) -> bool:
        if self.db == "sqlite":
            return self.sqlite_path.exists()
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE])
            return found.fetchone() is not None

    def built_for(self) -> int | None:
        """The N this archive was built for (a row bench/run.py leaves in it), or None."""
        try:
            row = self._query("SELECT n FROM bench_archive")
        except Exception:
            return None
        return row[0] if row else None

    def article_count(self) -> int:
        return self._query("SELECT count(*) FROM articles_article")[0]

    def drop(self) -> None:
        if self.db == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.sqlite_path}{suffix}").unlink(missing_ok=True)
        else:
            import psycopg

            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {PG_DATABASE}")
        shutil.rmtree(self.var_dir / "media", ignore_errors=True)

    def stamp(self, n: int) -> None:
        built = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        for sql in [
            "DROP TABLE IF EXISTS bench_archive",
            "CREATE TABLE bench_archive (n integer NOT NULL, built_at varchar(40) NOT NULL)",
            f"INSERT INTO bench_archive (n, built_at) VALUES ({int(n)}, '{built}')",
        ]:
            if self.db == "sqlite":
                with sqlite3.connect(self.sqlite_path) as conn:
                    conn.execute(sql)
            else:
                import psycopg

                with psycopg.connect(self.url, autocommit=True) as conn:
                    conn.execute(sql)


def manage(env: dict, *args: str, quiet: bool = False) -> subprocess.CompletedProcess:
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=quiet, text=True)
    if result.returncode != 0:
        detail = (result.stderr or "")[-2000:] if quiet else ""
        raise Stop(f"`manage.py {' '.join(args)}` failed (exit {result.returncode}).\n{detail}")
    return result


def has_generator(env: dict) -> bool:
    found = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "help", GENERATOR],
        cwd=ROOT,
        env=env,
        capture_output=True,
    )
    return found.returncode == 0


def build(archive: Archive, env: dict, n: int, seed: int, rebuild: bool) -> int:
    """Make sure the archive holds the demo plus N generated articles; return the N it has."""
    archive.var_dir.mkdir(parents=True, exist_ok=True)
    if archive.db == "postgres" and not _postgres_up():
        raise Stop(
            "PostgreSQL does not answer at 127.0.0.1:5432 (user postgres, trust auth). "
            "Start it, or run with DB=sqlite."
        )
    built_for = archive.built_for() if archive.exists() and not rebuild else None
    if built_for == n and archive.article_count() >= n:
        say(f"Reusing the {archive.db} archive built for N={n} (--rebuild for a new one).")
        manage(env, "migrate", "--noinput", "-v0")
        return n
    say(f"Building the {archive.db} archive (N={n})…")
    archive.drop()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo", "--allow-production", quiet=True)
    built = 0
    if n > 0:
        if has_generator(env):
            started = time.monotonic()
            manage(env, GENERATOR, "--articles", str(n), "--seed", str(seed))
            say(f"Generated {n} articles in {time.monotonic() - started:.0f} s.")
            built = n
        else:
            say(
                f"`manage.py {GENERATOR}` does not exist on this branch yet: measuring the "
                "demo newsroom only (N=0)."
            )
    archive.stamp(built)
    return built


def _postgres_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=2):
            return True
    except OSError:
        return False


# -- gunicorn ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn in its own process group, stopped however the run ends."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log = env, log
        self.start()

    def start(self) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "newsroom.wsgi:application"),
                *("--bind", f"127.0.0.1:{self.port}", "--chdir", str(ROOT)),
                *("--workers", str(WORKERS), "--worker-class", "sync"),
                # Slow pages must not be killed mid-measurement; stopping should be quick.
                *("--timeout", "120", "--graceful-timeout", "5"),
                *("--error-logfile", str(self.log), "--log-level", "warning"),
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Stop(f"gunicorn exited ({self.process.returncode}):\n{self._log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise Stop(f"gunicorn did not answer /healthz within {timeout:.0f} s:\n{self._log_tail()}")

    def _healthz_seconds(self, timeout: float) -> float:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(f"{self.base}/healthz", timeout=timeout) as response:
                response.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return float("inf")
        return time.monotonic() - started

    def settle(self, patience: float = 5) -> bool:
        """Leave every worker idle for what comes next; True if gunicorn had to restart.

        When wrk stops, sync workers still serve the requests it left queued; on a slow page
        that work would be charged to the next run. Wait for it up to `patience` seconds,
        then restart gunicorn, which drops the rest.
        """
        deadline = time.monotonic() + patience
        with ThreadPoolExecutor(WORKERS) as pool:
            while (left := deadline - time.monotonic()) > 0:
                # One health check per worker at once: all fast means no worker had a queue.
                seconds = list(pool.map(lambda _: self._healthz_seconds(left), range(WORKERS)))
                if max(seconds) < 0.25:
                    return False
        self.stop(quick=True)
        self.start()
        return True

    def _log_tail(self) -> str:
        try:
            return "\n".join(self.log.read_text().splitlines()[-30:])
        except OSError:
            return "(no log)"

    def stop(self, quick: bool = False) -> None:
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGQUIT if quick else signal.SIGTERM)
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass


# -- wrk --------------------------------------------------------------------------------------


def wrk_script(url: dict, scratch: Path) -> Path:
    """The summary script, preceded for a list of paths by a request() that cycles them."""
    if not url.get("paths"):
        return SUMMARY_LUA
    script = scratch / f"{url['key']}.lua"
    paths = ",\n".join(json.dumps(p) for p in url["paths"])  # JSON strings are Lua strings
    script.write_text(
        f"local paths = {{\n{paths}\n}}\n"
        "local counter = 1\n"
        "local threads = 0\n"
        # Each thread starts at its own place in the list.
        'function setup(thread) threads = threads + 1; thread:set("offset", threads * 97) end\n'
        "function init(args) counter = (offset or 0) % #paths + 1 end\n"
        "function request()\n"
        "  local path = paths[counter]\n"
        "  counter = counter % #paths + 1\n"
        "  return wrk.format(nil, path)\n"
        "end\n\n" + SUMMARY_LUA.read_text()
    )
    return script


def run_wrk(server: Server, url: dict, script: Path, args, seconds: float, cookie: str) -> dict:
    command = [
        "wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{seconds}s",
        "--timeout", "60s", "-s", str(script),
    ]  # fmt: skip
    if url["group"] == "admin":
        command += ["-H", f"Cookie: {cookie}"]
    command.append(server.base + url["path"])
    result = subprocess.run(command, capture_output=True, text=True)
    line = next((x for x in result.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if result.returncode != 0 or line is None:
        raise Stop(f"wrk failed on {url['path']}:\n{result.stdout}\n{result.stderr}")
    return json.loads(line.removeprefix("BENCH_JSON "))


def measure(server: Server, url: dict, args, scratch: Path, cookie: str) -> dict:
    script = wrk_script(url, scratch)
    if args.warmup > 0:
        run_wrk(server, url, script, args, args.warmup, cookie)
        server.settle()
    raw = run_wrk(server, url, script, args, args.duration, cookie)
    server.settle()
    requests = raw["requests"] or 1
    errors = sum(raw[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))
    return {
        "rps": raw["requests"] / (raw["duration_us"] / 1e6) if raw["duration_us"] else 0,
        "p50": raw["p50_us"] / 1000,
        "p95": raw["p95_us"] / 1000,
        "p99": raw["p99_us"] / 1000,
        "bytes": raw["bytes"] // requests,
        "non_2xx_3xx": raw["status_errors"],
        "errors": errors,
    }


# -- the report -------------------------------------------------------------------------------


def _matches(key: str, patterns: list[str]) -> bool:
    return any(key == p or (p.endswith("*") and key.startswith(p[:-1])) for p in patterns)


def target_note(db: str, n: int, mode: str, key: str, row: dict, baselines: dict) -> str:
    notes = []
    for t_db, t_n, t_mode, keys, metric, op, bound in TARGETS:
        if (t_db, t_n, t_mode) != (db, n, mode) or not _matches(key, keys):
            continue
        if metric == "p95" and not row["rps"]:
            notes.append(f"p95 {op} {bound} ms ✗ (no request finished)")
            continue
        if metric == "p95":
            value, text = row["p95"], f"p95 {op} {bound} ms"
        else:
            base = baselines.get(f"baseline-{metric}")
            value = row["rps"] / base if base else 0
            text = f"{op} {bound}× {metric}"
        met = value < bound if op == "<" else value >= bound
        notes.append(f"{text} {'✓' if met else '✗'}")
    return "; ".join(notes)


def table(db: str, n: int, mode: str, rows: list[tuple[dict, dict, dict]]) -> str:
    """rows: (url, wrk figures, probe figures)."""
    baselines = {u["key"]: figures["rps"] for u, figures, _ in rows if u["group"] == "baseline"}
    with_targets = any(t[:3] == (db, n, mode) for t in TARGETS)
    header = ["url", "req/s", "p50 ms", "p95 ms", "p99 ms", "alone ms", "queries", "bytes"]
    header += ["× template", "× string"] + (["target"] if with_targets else [])
    align = ["---"] + ["---:"] * 9 + (["---"] if with_targets else [])
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    for url, figures, probe in rows:
        low, high = probe["queries"]
        label = f"{url['label']} `{_short(url['path'])}`"
        if probe["status"] != [200]:
            label += f" (status {', '.join(map(str, probe['status']))})"
        if figures["non_2xx_3xx"] or figures["errors"]:
            label += f" ⚠ {figures['non_2xx_3xx']} non-2xx/3xx, {figures['errors']} errors"
        ratios = [
            f"{figures['rps'] / baselines[b]:.2f}" if baselines.get(b) else "–"
            for b in ("baseline-template", "baseline-string")
        ]
        # No finished request: wrk's percentiles are zeros, not figures.
        latency = [f"{figures[p]:.1f}" if figures["rps"] else "–" for p in ("p50", "p95", "p99")]
        cells = [
            label,
            f"{figures['rps']:.{0 if figures['rps'] >= 10 else 1}f}",
            *latency,
            f"{probe['ms']:.1f}",
            str(low) if low == high else f"{low}–{high}",
            f"{figures['bytes']:,}".replace(",", " "),
            *ratios,
        ]
        if with_targets:
            cells.append(target_note(db, n, mode, url["key"], figures, baselines))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _short(path: str, width: int = 60) -> str:
    return path if len(path) <= width else path[: width - 1] + "…"


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {model}"


def commit() -> str:
    found = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    dirty = subprocess.run(
        # The figures being written are not a change to what was measured.
        ["git", "status", "--porcelain", "--", ".", ":!docs/benchmarks.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return (found.stdout.strip() or "unknown") + (" (with local changes)" if dirty else "")


def write_doc(key: str, section: str) -> None:
    """Replace this DB/N's section of docs/benchmarks.md (or add it), keeping the others."""
    begin, end = f"<!-- bench {key} -->", f"<!-- /bench {key} -->"
    block = f"{begin}\n{section.strip()}\n{end}\n"
    text = DOC.read_text() if DOC.exists() else DOC_INTRO + "\n" + TARGETS_TEXT
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end) + r"\n?", re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip() + "\n\n" + block
    DOC.write_text(text)


# -- the run ----------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--articles", "-n", type=int, default=0, help="generated articles (N)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per URL")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=0, help="wrk threads (default: nproc)")
    parser.add_argument("--mode", choices=["both", "uncached", "cached"], default="both")
    parser.add_argument("--rebuild", action="store_true", help="build a new archive")
    parser.add_argument("--no-write", action="store_true", help="leave docs/benchmarks.md")
    args = parser.parse_args(argv)
    if args.threads <= 0:
        args.threads = max(1, min(len(os.sched_getaffinity(0)), args.connections))
    return args


def make_command(args) -> str:
    parts = [f"make bench DB={args.db} N={args.articles}", f"DURATION={args.duration:g}"]
    parts.append(f"CONNECTIONS={args.connections}")
    if args.mode != "both":
        parts.append(f"MODE={args.mode}")
    return " ".join(parts)


def probe(env: dict, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench.probe", *args], cwd=ROOT, env=env, text=True
    )
    if result.returncode != 0:
        raise Stop(f"bench/probe.py {args[0]} failed (exit {result.returncode}).")


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv=None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        say("wrk is not installed. On Debian or Ubuntu: sudo apt-get install -y wrk")
        return 2

    # Ctrl-C and a plain `kill` both end in the `finally` that stops gunicorn.
    signal.signal(signal.SIGTERM, _interrupt)
    archive = Archive(args.db, args.articles)
    env = archive.env("bench-" + secrets.token_urlsafe(48))
    scratch = archive.var_dir / "run"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    server = None
    load_before = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    try:
        n = build(archive, env, args.articles, args.seed, args.rebuild)
        manage(env, "collectstatic", "--noinput", "-v0")
        plan_file = scratch / "plan.json"
        probe(env, "plan", str(plan_file))
        plan = json.loads(plan_file.read_text())
        say(f"{plan['published']} published articles ({plan['articles']} in all).")

        modes = ["uncached", "cached"] if args.mode == "both" else [args.mode]
        results = {}
        for number, mode in enumerate(modes):
            mode_env = dict(env, PAGE_CACHE="0") if mode == "uncached" else dict(env)
            queries_file = scratch / f"queries-{mode}.json"
            probe(mode_env, "queries", str(plan_file), str(queries_file))
            counted = json.loads(queries_file.read_text())
            # Admin pages are not cached for readers: measured once, in the first run.
            urls = [u for u in plan["urls"] if u["group"] != "admin" or number == 0]
            server = Server(mode_env, scratch / f"gunicorn-{mode}.log")
            say(f"\n{mode}: gunicorn at {server.base}, {len(urls)} URLs × {args.duration:g} s")
            rows = []
            for url in urls:
                figures = measure(server, url, args, scratch, plan["cookie"])
                p95 = f"{figures['p95']:>7.1f} ms" if figures["rps"] else "      – ms"
                alone = counted[url["key"]]
                say(
                    f"  {url['label'][:50]:<50} {figures['rps']:>7.1f} req/s  p95 {p95}"
                    f"  alone {alone['ms']:>7.1f} ms  {alone['queries'][1]:>3} q"
                )
                rows.append((url, figures, counted[url["key"]]))
            server.stop()
            server = None
            results[mode] = rows
    except Stop as problem:
        say(f"\nbench: {problem}")
        return 1
    except KeyboardInterrupt:
        say("\nbench: interrupted.")
        return 130
    finally:
        if server is not None:
            server.stop()

    titles = {
        "uncached": "Uncached (gunicorn started with `PAGE_CACHE=0`)",
        "cached": "Cached (readers' page cache on, the default)",
    }
    database = "PostgreSQL" if args.db == "postgres" else "SQLite"
    size = f"{n:,}".replace(",", " ")
    missing = n != args.articles
    section = [
        f"## {database}, N = {size}\n",
        f"- date: {datetime.date.today().isoformat()}",
        f"- commit: {commit()}",
        f"- database: {database} ({archive.url or archive.sqlite_path.relative_to(ROOT)}),"
        f" {plan['published']} published articles, {plan['articles']} in all",
        f"- N: {n} generated articles (seed {args.seed}) on top of the demo newsroom"
        + (f"; {args.articles} were asked for, but there is no generator" if missing else ""),
        f"- machine: {machine()}; load average {load_before} before the run",
        f"- load: wrk, {args.connections} connections, {args.threads} threads, {args.warmup:g} s"
        f" warm-up then {args.duration:g} s per URL; gunicorn, {WORKERS} sync workers,"
        f" DB_CONN_MAX_AGE={env.get('DB_CONN_MAX_AGE', '0')}",
        f"- command: `{make_command(args)}`"
        f" (runs `python bench/run.py {' '.join(sys.argv[1:] if argv is None else argv)}`)",
    ]
    for mode, rows in results.items():
        section += ["", f"### {titles[mode]}", "", table(args.db, n, mode, rows)]
    text = "\n".join(section) + "\n"
    say("\n" + text)
    if not args.no_write:
        write_doc(f"{args.db} n={n}", text)
        say(f"Written to {DOC.relative_to(ROOT)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
