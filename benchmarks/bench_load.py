"""Load benchmark on loopback: N concurrent sessions speaking Streamlit's websocket protocol, bounded in time.

    python benchmarks/bench_load.py [--db data/bundled.duckdb] [--sessions 20 50] [--seconds 120] [--area 40203]
    python benchmarks/bench_load.py --workers 1 2 [--db …] [--sessions 20 50]   # through nginx: 1 vs 2 workers
    python benchmarks/bench_load.py --url http://127.0.0.1:8501 [--run-dir DIR]  # a running `make serve`

Without --workers or --url: one `streamlit run` started here, sessions straight to it. With --workers K…: for
each K, scripts/serve.py (nginx + K workers on loopback) is started on a free port, each worker is warmed up
directly, the levels go through nginx, and the balancer is stopped; the end compares 1 worker with K. With
--url: an already running balancer; its processes (for CPU and RSS) come from serve.py's run directory
(--run-dir, printed at its start), else only client-side figures are given.

Each simulated session does what the browser does, without a browser: GET the page, /_stcore/health (which
sets the _streamlit_xsrf cookie) and /_stcore/host-config, open ws://…/_stcore/stream with the subprotocols
["streamlit", <xsrf token>], then send BackMsg.rerun_script requests and read ForwardMsgs until
script_finished. In order: the overview (?area=…, first load by URL path), the 自然動態 page and the 将来推計
page (by page_script_hash from the `navigation` message, as a sidebar page link does), then five moves of the
TFR slider sent as fragment reruns (ClientState.fragment_id of the scenario panel, the slider's new value in
WidgetStates and in the query string, as its bind="query-params" makes the browser do). The client keeps
the frontend's message cache (cached_message_hashes / ref_hash) and the values of the sliders on the page;
other widgets are left out of WidgetStates, where the server keeps their previous values.

A step's latency runs from sending the BackMsg to its script_finished. An error is an exception element, a
non-success script_finished, page_not_found, a closed websocket, a step over its time limit, or a page that
comes back without its content (no text naming the area, no chart, no TFR slider, a slider move that leaves
the scenario's headline figure unchanged).

Sessions keep a cookie jar as a browser does (the balancer pins a session to the worker named by its
popdash_worker cookie, set on the websocket handshake). Prints one session on each cold worker first (so the
levels measure concurrency, not first imports), then per load level N: count, errors, p50/p95/max per step,
sessions per worker, peak RSS per worker (process and children, polled every 0.5 s), server CPU (in all, per
session), nginx and client CPU and the wall time; then one line per level for the README, and the 1 → K
worker ratios. Exits non-zero on any error. Budget from DESIGN.md: server RSS ≤ 1 GB with 20 sessions. Traffic goes only to 127.0.0.1.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # so that `python benchmarks/bench_load.py` can import the benchmarks package

import duckdb  # noqa: E402
import websockets  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates  # noqa: E402

from benchmarks.bench_browser import free_port, pct, rss_mb, start_server  # noqa: E402

STEPS = ("connect", "overview", "natural", "projection", "slider")
TFR_LABEL = "合計特殊出生率の目標"
MOVES = 5
STEP_TIMEOUT = 60.0  # seconds; also capped by what is left of the level's time limit
OK = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
XSRF_COOKIE = "_streamlit_xsrf"
WORKER_COOKIE = "popdash_worker"  # set by the balancer of scripts/serve.py: the worker holding the session
SERVE = ROOT / "scripts" / "serve.py"


def parse_cookies(set_cookies) -> dict[str, str]:
    """name -> value of Set-Cookie header values (attributes dropped)."""
    return dict(c.split(";")[0].split("=", 1) for c in set_cookies if "=" in c.split(";")[0])


class StepError(Exception):
    """A step that failed: the session stops there and the error is counted."""


@dataclass
class Run:
    """What one rerun request brought back."""

    seconds: float
    deltas: list = field(default_factory=list)  # ForwardMsgs of type delta (ref_hash resolved)

    def elements(self, kind: str) -> list:
        """The `kind` protos (heading, markdown, metric, slider, …) among the new elements."""
        return [getattr(m.delta.new_element, kind) for m in self.deltas
                if m.delta.WhichOneof("type") == "new_element" and m.delta.new_element.WhichOneof("type") == kind]

    def texts(self) -> list[str]:
        return [e.body for kind in ("heading", "markdown") for e in self.elements(kind)]


class Session:
    """One simulated browser tab: the websocket plus the client-side state the frontend keeps."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.ws = None
        self.cache: dict[str, ForwardMsg] = {}  # cacheable ForwardMsgs by hash, as the frontend keeps them
        self.widgets: dict[str, tuple[WidgetState, str]] = {}  # widget id -> (state, active script hash)
        self.main_script_hash = ""
        self.pages: dict[str, str] = {}  # url_pathname ("" = main page) -> page_script_hash
        self.page_hash = ""
        self.query = ""  # the address bar's query string, kept in sync from page_info_changed
        self.cookies: dict[str, str] = {}  # the browser's cookie jar for this origin

    async def get(self, path: str) -> dict[str, str]:
        """GET a path on its own connection (asyncio, no thread pool to queue behind), sending the cookies this
        client holds as a browser does (the balancer routes by its popdash_worker cookie); return the new ones."""
        host, port = self.base.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        cookie = f"Cookie: {self.cookie_header()}\r\n" if self.cookies else ""
        try:
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{cookie}Connection: close\r\n\r\n".encode())
            head, _, _ = (await reader.read()).partition(b"\r\n\r\n")  # read() returns at the server's close
        finally:
            writer.close()
        status, *headers = head.decode("latin-1").split("\r\n")
        if status.split()[1] != "200":
            raise StepError(f"GET {path}: {status}")
        new = parse_cookies(v.strip() for k, _, v in (h.partition(":") for h in headers) if k.lower() == "set-cookie")
        self.cookies |= new
        return new

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    async def connect(self, timeout: float) -> float:
        """The HTTP requests the frontend makes before its websocket, then the websocket itself."""
        t0 = time.perf_counter()
        try:
            async with asyncio.timeout(timeout):
                for path in ("/", "/_stcore/health", "/_stcore/host-config"):  # page, then the frontend's ping
                    await self.get(path)
                xsrf = self.cookies.get(XSRF_COOKIE, "")
                # The frontend passes the XSRF token (or a placeholder) and, on reconnect, its last session id
                # as extra subprotocol entries; the server selects "streamlit". Browsers send Origin and cookies.
                self.ws = await websockets.connect(
                    self.base.replace("http://", "ws://") + "/_stcore/stream",
                    subprotocols=["streamlit", xsrf or "PLACEHOLDER_AUTH_TOKEN"],
                    additional_headers={"Origin": self.base, **({"Cookie": self.cookie_header()} if self.cookies else {})},
                    max_size=None, ping_interval=None)  # the frontend sends no websocket pings
        except TimeoutError:
            raise StepError(f"not connected within {timeout:.0f} s") from None
        if self.ws.subprotocol != "streamlit":
            raise StepError(f"server selected subprotocol {self.ws.subprotocol!r}")
        # Behind scripts/serve.py the handshake's answer names the worker that holds this session.
        self.cookies |= parse_cookies(self.ws.response.headers.get_all("Set-Cookie"))
        return time.perf_counter() - t0

    def states(self, only_script: str | None = None):
        """WidgetStates as the frontend sends them (optionally only widgets drawn by one script)."""
        out = WidgetStates()
        for state, script in self.widgets.values():
            if only_script is None or script == only_script:
                out.widgets.add().CopyFrom(state)
        return out

    async def rerun(self, timeout: float, *, page_hash: str = "", page_name: str = "", query: str | None = None,
                    fragment_id: str = "", widget_states=None) -> Run:
        """Send one rerun_script BackMsg; read ForwardMsgs until this run's successful script_finished."""
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query if query is None else query
        cs.page_script_hash = page_hash
        cs.page_name = page_name
        cs.fragment_id = fragment_id
        if widget_states is not None:
            cs.widget_states.CopyFrom(widget_states)
        cs.cached_message_hashes.extend(self.cache)
        ci = cs.context_info
        ci.timezone, ci.timezone_offset, ci.locale, ci.color_scheme = "Asia/Tokyo", -540, "ja-JP", "light"
        ci.url = f"{self.base}/?{cs.query_string}"
        run = Run(0.0)
        t0 = time.perf_counter()
        try:
            async with asyncio.timeout(timeout):
                await self.ws.send(msg.SerializeToString())
                while True:
                    fwd = ForwardMsg()
                    fwd.ParseFromString(await self.ws.recv())
                    if self._handle(fwd, run):
                        break
        except TimeoutError:
            raise StepError(f"no script_finished within {timeout:.0f} s") from None
        except websockets.ConnectionClosed as exc:
            raise StepError(f"websocket closed: {exc}") from None
        run.seconds = time.perf_counter() - t0
        return run

    def _handle(self, fwd: ForwardMsg, run: Run) -> bool:
        """Apply one ForwardMsg to the client state; True once the run has finished successfully."""
        if fwd.WhichOneof("type") == "ref_hash":  # a message the client said it had cached
            if fwd.ref_hash not in self.cache:
                raise StepError(f"ref_hash {fwd.ref_hash} not in the client cache")
            cached = ForwardMsg()
            cached.CopyFrom(self.cache[fwd.ref_hash])
            cached.metadata.CopyFrom(fwd.metadata)
            fwd = cached
        elif fwd.metadata.cacheable and fwd.hash:
            self.cache[fwd.hash] = fwd
        kind = fwd.WhichOneof("type")
        if kind == "new_session":
            self.main_script_hash = fwd.new_session.main_script_hash
            self.page_hash = fwd.new_session.page_script_hash
        elif kind == "navigation":  # the page list (pages/ folder), with the hash of the page being run
            self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
            self.page_hash = fwd.navigation.page_script_hash or self.page_hash
        elif kind == "page_info_changed":
            self.query = fwd.page_info_changed.query_string
        elif kind == "page_not_found":
            raise StepError(f"page not found: {fwd.page_not_found.page_name!r}")
        elif kind == "delta":
            run.deltas.append(fwd)
            el = fwd.delta.new_element
            if fwd.delta.WhichOneof("type") == "new_element":
                if el.WhichOneof("type") == "exception":
                    e = el.exception
                    where = next((line.strip() for line in reversed(e.stack_trace) if 'File "' in line), "")
                    raise StepError(f"exception {e.type}: {e.message} {where}".strip())
                if el.WhichOneof("type") == "slider" and el.slider.type == el.slider.SLIDER:
                    self._track_slider(el.slider, fwd.metadata.active_script_hash)
        elif kind == "script_finished":
            status = fwd.script_finished
            if status in OK:
                return True
            if status != ForwardMsg.FINISHED_EARLY_FOR_RERUN:  # an st.rerun(): the next run follows
                raise StepError(f"script_finished {ForwardMsg.ScriptFinishedStatus.Name(status)}")
        return False

    def _track_slider(self, slider, script: str) -> None:
        """Register a slider's value the way the mounted widget reports it to the frontend's WidgetStateManager."""
        if slider.id in self.widgets and not slider.set_value:
            self.widgets[slider.id] = (self.widgets[slider.id][0], script)
            return
        state = WidgetState(id=slider.id)
        state.double_array_value.data.extend(slider.value if slider.set_value else slider.default)
        self.widgets[slider.id] = (state, script)

    async def goto(self, page: str, query: str, timeout: float) -> Run:
        """Change page like a sidebar page link: by hash, keeping only widgets drawn by the main script."""
        if page not in self.pages:
            raise StepError(f"page {page!r} not in the navigation message ({sorted(self.pages)})")
        kept = self.states(only_script=self.main_script_hash)
        self.widgets = {w.id: self.widgets[w.id] for w in kept.widgets}
        return await self.rerun(timeout, page_hash=self.pages[page], query=query, widget_states=kept)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by the server process and its children."""
    total = 0
    for p in [pid, *[int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
        except FileNotFoundError:
            pass
    return total / os.sysconf("SC_CLK_TCK")


def figure(run: Run) -> str:
    """The scenario's headline (first metric of the projection panel), to see that a slider move changed it."""
    metrics = run.elements("metric")
    return metrics[0].body if metrics else ""


async def session(base: str, k: int, area: str, area_name: str, deadline: float, out: dict) -> None:
    """One user: overview -> 自然動態 -> 将来推計 -> MOVES slider moves; records latencies and the first error."""
    s = Session(base)
    step = "connect"

    def limit() -> float:
        left = deadline - time.perf_counter()
        if left <= 0:
            raise StepError("level time limit reached")
        return min(STEP_TIMEOUT, left)

    def record(name: str, seconds: float) -> None:
        out["steps"].setdefault(name, []).append(seconds)

    def expect(ok: bool, what: str) -> None:
        if not ok:
            raise StepError(what)

    try:
        record(step, await s.connect(limit()))
        out["worker_of"].append(s.cookies.get(WORKER_COOKIE, ""))
        step = "overview"  # first load of /?area=…: no page hash yet, page_name is the URL path ("" = main)
        run = await s.rerun(limit(), query=f"area={area}")
        record(step, run.seconds)
        expect(any(area_name in t for t in run.texts()), f"no heading or text naming {area_name}")
        expect(bool(run.elements("vega_lite_chart")), "no chart")

        step = "natural"  # a page link sends only widget-bound query params; the app keeps the area itself
        run = await s.goto("natural_change", "", limit())
        record(step, run.seconds)
        expect(bool(run.elements("vega_lite_chart")), "no chart")

        step = "projection"
        run = await s.goto("projection", f"area={area}", limit())
        record(step, run.seconds)
        tfr = [(m.delta.new_element.slider, m.delta.fragment_id) for m in run.deltas
               if m.delta.new_element.WhichOneof("type") == "slider" and m.delta.new_element.slider.label == TFR_LABEL]
        expect(bool(tfr), f"no slider labelled {TFR_LABEL}")
        slider, fragment = tfr[0]
        expect(bool(fragment), "the TFR slider is not inside a fragment")
        shown = figure(run)

        step = "slider"
        for j in range(MOVES):
            # A value in 1.30–2.10 on the slider's 0.01 grid, different for each session and from the last one.
            value = round(1.30 + ((5 * k + 17 * j) % 81) / 100, 2)
            if value == s.widgets[slider.id][0].double_array_value.data[0]:
                value = round(value + 0.05, 2)
            s.widgets[slider.id][0].double_array_value.data[:] = [value]
            params = dict(parse_qsl(s.query, keep_blank_values=True)) | {slider.query_param_key: f"{value:g}"}
            run = await s.rerun(limit(), page_hash=s.page_hash, query=urlencode(params), fragment_id=fragment,
                                widget_states=s.states())
            record(step, run.seconds)
            expect(len(run.deltas) > 0, "slider move returned no deltas")
            expect(figure(run) not in ("", shown), f"slider move to {value} left the figures at {shown!r}")
            shown = figure(run)
        step = "done"
    except StepError as exc:
        late = " (level time limit reached)" if time.perf_counter() >= deadline else ""
        out["errors"].append(f"session {k} {step}: {exc}{late}")
    except Exception as exc:  # noqa: BLE001 - a load test counts every failure
        out["errors"].append(f"session {k} {step}: {exc!r}"[:300])
    finally:
        try:
            await asyncio.wait_for(s.close(), 5)
        except Exception:  # noqa: BLE001 - closing a broken socket may fail; the error is already counted
            pass


@dataclass
class Target:
    """Where the sessions go and which processes serve them (pids re-read at every level)."""

    base: str
    label: str
    worker_pids: Callable[[], list[int]]   # Streamlit processes (their children, e.g. SQL sandboxes, included)
    nginx_pids: Callable[[], list[int]] = lambda: []  # nginx's master (its worker processes included)
    worker_bases: Callable[[], list[str]] = lambda: []  # each worker's own URL, to warm it up directly


def _alive(pids: list[int]) -> list[int]:
    return [p for p in pids if Path(f"/proc/{p}").exists()]


async def level(t: Target, n: int, seconds: float, area: str, area_name: str, base: str | None = None) -> dict:
    """Run n sessions concurrently (starts staggered over ~1 s) within `seconds`; sample each worker's RSS."""
    out: dict = {"steps": {}, "errors": [], "worker_of": []}
    workers, nginx = _alive(t.worker_pids()), _alive(t.nginx_pids())
    peak = {p: rss_mb(p) for p in workers}
    out["rss_start"] = sum(peak.values())
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.5):
            for p in _alive(workers):
                peak[p] = max(peak[p], rss_mb(p))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0, own0 = time.perf_counter(), time.process_time()
    cpu0 = {p: cpu_seconds(p) for p in workers + nginx}
    deadline = t0 + seconds

    async def staggered(k: int) -> None:
        await asyncio.sleep(k / n)
        await session(base or t.base, k, area, area_name, deadline, out)

    await asyncio.gather(*(staggered(k) for k in range(n)))
    out["wall"] = time.perf_counter() - t0
    # CPU of the server and of this client: the client must stay small next to the server on 2 cores.
    used = {p: cpu_seconds(p) - c for p, c in cpu0.items() if Path(f"/proc/{p}").exists()}
    out["cpu_server"] = sum(used.get(p, 0.0) for p in workers)
    out["cpu_nginx"] = sum(used.get(p, 0.0) for p in nginx)
    out["cpu_client"] = time.process_time() - own0
    out["measured"] = bool(workers)
    out["load"] = os.getloadavg()[0]
    stop.set()
    sampler.join()
    out["rss_peak"] = sum(peak.values())
    out["rss_per_worker"] = [peak[p] for p in workers]
    return out


def report(n: int, out: dict, label: str = "") -> str:
    """Print the level's table; return its one-line summary."""
    steps, errors = out["steps"], out["errors"]
    per = ", ".join(f"{x:.0f}" for x in out["rss_per_worker"]) or "—"
    print(f"\n{label}{n} concurrent sessions: wall {out['wall']:.1f} s, server RSS {out['rss_start']:.0f} MB at "
          f"start, peak {out['rss_peak']:.0f} MB (per worker: {per} MB), errors {len(errors)}")
    if out["measured"]:
        print(f"  CPU: server {out['cpu_server']:.0f} s ({out['cpu_server'] / n:.2f} s per session), nginx "
              f"{out['cpu_nginx']:.1f} s, this client {out['cpu_client']:.0f} s; machine load average (1 min) "
              f"{out['load']:.1f} on {os.cpu_count()} cores")
    else:
        print(f"  CPU: server not measured (no --run-dir with state.json), this client {out['cpu_client']:.0f} s")
    shares = Counter(out["worker_of"])
    if any(shares):
        print("  sessions per worker: " + ", ".join(f"{w} {c}" for w, c in sorted(shares.items())))
    print(f"  {'step':<11}{'count':>6}{'errors':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for name in STEPS:
        xs = [1000 * x for x in steps.get(name, [])]
        failed = sum(f" {name}:" in e for e in errors)
        cells = (f"{statistics.median(xs):>9.0f}{pct(xs, 0.95):>9.0f}{max(xs):>9.0f}" if xs else f"{'—':>9}" * 3)
        print(f"  {name:<11}{len(xs):>6}{failed:>7}{cells}")
    for e in errors[:10]:
        print(f"  ! {e}")
    if len(errors) > 10:
        print(f"  ! … and {len(errors) - 10} more")
    p95 = {name: f"{pct(steps[name], 0.95):.1f} s" if steps.get(name) else "—" for name in STEPS}
    p50 = {name: f"{statistics.median(steps[name]):.1f}" if steps.get(name) else "—" for name in STEPS}
    budget = " (budget 1 GB)" if n <= 20 else ""
    cpu = (f"server CPU {out['cpu_server'] / n:.2f} s per session; peak RSS {out['rss_peak']:.0f} MB "
           f"(per worker {per}){budget}; " if out["measured"] else "")
    return (f"{label}{n} sessions: {len(errors)} errors, p50/p95 overview {p50['overview']}/{p95['overview']}, "
            f"natural {p50['natural']}/{p95['natural']}, projection {p50['projection']}/{p95['projection']}, "
            f"slider {p50['slider']}/{p95['slider']} (fragment rerun); {cpu}wall {out['wall']:.0f} s")


async def warm_up(t: Target, seconds: float, area: str, area_name: str) -> bool:
    """One session on each cold worker (directly, not through the balancer), so that the levels measure
    concurrency, not first imports. Returns True when one failed."""
    failed = False
    for base in t.worker_bases() or [t.base]:
        warm = await level(t, 1, seconds, area, area_name, base=base)
        print(f"{t.label}warm-up, 1 session on a cold server ({base}): errors {len(warm['errors'])} "
              f"{warm['errors'][:1]}; " + ", ".join(f"{k} {1000 * statistics.median(v):.0f} ms"
                                                   for k, v in warm["steps"].items())
              + f" (slider: median of {MOVES}); RSS of all workers {warm['rss_peak']:.0f} MB")
        failed |= bool(warm["errors"])
    return failed


async def measure(t: Target, a, area_name: str) -> tuple[list[str], dict[int, dict], bool]:
    """Warm-up, then every load level on one target: (README lines, results by level, any error)."""
    failed = await warm_up(t, a.seconds, a.area, area_name)
    # The levels share the server: sessions of a finished level stay in memory as disconnected sessions
    # for server.disconnectedSessionTTL (120 s), as closed browser tabs would.
    lines, results = [], {}
    for n in a.sessions:
        out = await level(t, n, a.seconds, a.area, area_name)
        lines.append(report(n, out, t.label))
        results[n] = out
        failed |= bool(out["errors"]) or len(out["steps"].get("slider", [])) < n * MOVES
    return lines, results, failed


def read_state(run_dir: Path) -> dict:
    try:
        return json.loads((run_dir / "state.json").read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def state_target(url: str, run_dir: Path | None, label: str) -> Target:
    """A balancer of scripts/serve.py at `url`; its processes from the run directory's state.json, if given."""
    def workers() -> list[int]:
        return [w["pid"] for w in read_state(run_dir).get("workers", []) if w.get("pid")] if run_dir else []

    def nginx() -> list[int]:
        pid = read_state(run_dir).get("nginx_pid") if run_dir else None
        return [pid] if pid else []

    def bases() -> list[str]:
        return [f"http://127.0.0.1:{w['port']}" for w in read_state(run_dir).get("workers", [])] if run_dir else []

    return Target(url.rstrip("/"), label, workers, nginx, bases)


@contextmanager
def balancer(db: Path, workers: int):
    """scripts/serve.py with `workers` workers on a free loopback port over `db`; yields its Target; stopped."""
    run_dir = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(SERVE), "--workers", str(workers), "--port", str(port),
                             "--host", "127.0.0.1", "--run-dir", str(run_dir)], cwd=ROOT,
                            env={**os.environ, "POPDASH_DB": str(db)}, stdout=subprocess.DEVNULL,
                            stderr=(run_dir / "serve.err").open("w"))
    try:
        deadline = time.monotonic() + 180
        while not read_state(run_dir).get("ready"):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("serve.py did not start: " + (run_dir / "serve.err").read_text()[-2000:])
            time.sleep(0.5)
        yield state_target(read_state(run_dir)["url"], run_dir, f"[{workers} worker{'s' * (workers > 1)}] ")
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        shutil.rmtree(run_dir, ignore_errors=True)


def compare(results: dict[int, dict[int, dict]]) -> list[str]:
    """1 worker vs N workers per load level: p95 per step and wall time, as ratios (1 worker / N workers)."""
    if 1 not in results or len(results) < 2:
        return []
    lines = []
    for k in sorted(results):
        if k == 1:
            continue
        for n, many in results[k].items():
            one = results[1].get(n)
            if not one:
                continue
            cells = []
            for name in STEPS[1:]:
                a, b = one["steps"].get(name), many["steps"].get(name)
                if a and b:
                    cells.append(f"{name} p95 {pct(a, 0.95):.1f} → {pct(b, 0.95):.1f} s (×{pct(a, 0.95) / pct(b, 0.95):.1f})")
            lines.append(f"{n} sessions, 1 → {k} workers: " + ", ".join(cells)
                         + f"; wall {one['wall']:.0f} → {many['wall']:.0f} s")
    return lines


async def run(a) -> int:
    con = duckdb.connect(str(a.db), read_only=True)
    try:
        row = con.execute("SELECT name_ja FROM areas WHERE area_code = ?", [a.area]).fetchone()
    finally:
        con.close()
    if row is None:
        raise SystemExit(f"area {a.area} not in {a.db}")
    lines, failed, results = [], False, {}
    if a.workers:  # one run: a fresh balancer per worker count, the same levels through each
        for k in a.workers:
            with balancer(a.db, k) as t:
                got, results[k], bad = await measure(t, a, row[0])
            lines += got
            failed |= bad
    elif a.url:
        got, _, failed = await measure(state_target(a.url, a.run_dir, "[balancer] "), a, row[0])
        lines += got
    else:
        proc, base = start_server(a.db)
        try:
            got, _, failed = await measure(Target(base, "", lambda: [proc.pid]), a, row[0])
            lines += got
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print()
    print("\n".join(lines + compare(results)))
    return 1 if failed else 0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=ROOT / "data" / "bundled.duckdb")
    ap.add_argument("--sessions", type=int, nargs="*", default=[20, 50])
    ap.add_argument("--seconds", type=float, default=120, help="time limit per load level")
    ap.add_argument("--area", default="40203", help="area code every session opens")
    ap.add_argument("--workers", type=int, nargs="*", default=[],
                    help="start scripts/serve.py (nginx + N workers) for each count, e.g. --workers 1 2")
    ap.add_argument("--url", help="a running balancer (make serve), e.g. http://127.0.0.1:8501")
    ap.add_argument("--run-dir", type=Path, help="with --url: serve.py's run directory (state.json: CPU, RSS)")
    a = ap.parse_args()
    a.db = a.db.resolve()
    if a.url and a.workers:
        ap.error("--url measures a running balancer; --workers starts its own")
    sys.exit(asyncio.run(run(a)))


if __name__ == "__main__":
    main()
