"""Serve the app from several Streamlit workers behind nginx (`make serve WORKERS=N PORT=8501`).

    python scripts/serve.py [--workers N] [--port 8501] [--host 0.0.0.0] [--run-dir DIR]

Starts N `streamlit run app.py` workers on free loopback ports (127.0.0.1 only), writes the nginx configuration
from deploy/nginx.conf.template into a run directory (a fresh temporary one unless --run-dir is given), checks
it with `nginx -t`, and runs nginx in the foreground as the current user on HOST:PORT, with its pid file, logs
and temporary files in the run directory (no system service). Then it watches the workers every
--check-seconds:

- a worker whose process exited (or refuses connections) is marked `down` in every upstream group, nginx is
  reloaded, and the worker is started again on its port; it is marked up once /_stcore/health answers `ok`;
- a worker that is alive but does not answer /_stcore/health (--fails-to-drain checks in a row) gets no new
  sessions; its open sessions stay with it; after --hung-seconds without an answer it is killed and restarted.

nginx's own passive check (max_fails=1 fail_timeout=--fail-timeout) and proxy_next_upstream cover the seconds
between two checks: a request to a dead worker is refused at once and passed to the next one.

The workers share one cookie secret (generated per start) so that an XSRF token issued by one is valid on the
others. Ctrl-C or SIGTERM stops nginx first (no new requests to dying workers), then every worker; if this
script is killed outright, the kernel sends SIGTERM to its children (PR_SET_PDEATHSIG).

The run directory holds state.json ({"url", "pid", "nginx_pid", "workers": [{"index", "port", "pid", "up"}], "ready"}),
which benchmarks/bench_load.py and tests/e2e/test_serve.py read to find the workers' processes.
"""
from __future__ import annotations

import argparse
import ctypes
import grp
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import settings  # noqa: E402
from settings import LIMITS  # noqa: E402

TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")
COOKIE_PREFIX = "w"  # the popdash_worker cookie names worker i as "w<i>"
START_SECONDS = 120.0  # a worker's first start imports pandas, Altair, DuckDB… (~10 s on a quiet machine)


class ServeError(Exception):
    """A failure to start or run the balancer, in Japanese and English."""

    def __init__(self, ja: str, en: str) -> None:
        super().__init__(f"{ja} / {en}")
        self.ja, self.en = ja, en


# ---------------------------------------------------------------- configuration

def render_config(ports: list[int], *, port: int, host: str, run_dir: Path, dead: frozenset[int] = frozenset(),
                  draining: frozenset[int] = frozenset(), fail_timeout: int = 5, user: str | None = None,
                  template: str | None = None) -> str:
    """The nginx configuration for workers on 127.0.0.1:`ports[i]`, listening on `host`:`port`.

    `dead`: indexes of workers marked `down` in every group (their process is gone); `draining`: indexes that get
    no new sessions but keep their pinned clients (alive, health check failing; ignored when it would leave new
    sessions no worker at all, e.g. the only worker slow under load). `fail_timeout` in seconds (the
    passive check: one failed attempt takes the worker out of that group for this long). `user`: the `user`
    directive's "name group", written only when nginx starts as root (it then drops to that user).
    Returns the text of the configuration file.
    """
    if not ports:
        raise ValueError("at least one worker")
    text = TEMPLATE.read_text(encoding="utf-8") if template is None else template

    def server(i: int, extra: str = "") -> str:
        down = " down" if i in dead else ""
        return f"127.0.0.1:{ports[i]} max_fails=1 fail_timeout={fail_timeout}s{extra}{down}"

    if not set(range(len(ports))) - dead - draining:
        draining = frozenset()  # every live worker slow: new sessions still go somewhere (not a 502)
    new = "".join(f"        server {server(i, ' down' if i in draining and i not in dead else '')};\n"
                  for i in range(len(ports)))
    pinned = []
    for i in range(len(ports)):
        lines = [f"        server {server(i)};"]
        # The others as backups, so that a pinned client of a dead worker fails over within the same request.
        lines += [f"        server 127.0.0.1:{ports[j]} backup{' down' if j in dead else ''};"
                  for j in range(len(ports)) if j != i]
        pinned.append(f"\n    upstream popdash_{COOKIE_PREFIX}{i} {{\n" + "\n".join(lines)
                      + "\n        keepalive 8;\n    }\n")
    fields = {
        "USER": f"user {user};\n" if user else "",
        "RUN": str(run_dir),
        "DEPLOY": str(TEMPLATE.parent),
        "BODY_MAX": f"{LIMITS.upload_bytes // 2**20 + 1}m",
        "SERVED_BY": "".join(f'        "~(^|, )127\\.0\\.0\\.1:{p}$" {COOKIE_PREFIX}{i};\n'
                             for i, p in enumerate(ports)),
        "POOL_OF_COOKIE": "".join(f"        {COOKIE_PREFIX}{i} popdash_{COOKIE_PREFIX}{i};\n"
                                  for i in range(len(ports))),
        "NEW_SERVERS": new,
        "PINNED_UPSTREAMS": "".join(pinned),
        "LISTEN": f"{host}:{port}" if ":" not in host else f"[{host}]:{port}",
        "TRIES": str(len(ports)),
    }
    for name, value in fields.items():
        text = text.replace(f"@{name}@", value)
    if "@" in "".join(line.split("#")[0] for line in text.splitlines()):
        raise ValueError("unfilled @FIELD@ left in the nginx template")
    return text


def find_nginx() -> str | None:
    """Path of the nginx binary (PATH, then /usr/sbin where Debian puts it), or None."""
    for name in NGINX_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def nginx_command(nginx: str, conf: Path, run_dir: Path) -> list[str]:
    """nginx with its prefix, early error log and configuration all in the run directory."""
    return [nginx, "-p", str(run_dir), "-e", str(run_dir / "error.log"), "-c", str(conf)]


def validate(nginx: str, conf: Path, run_dir: Path) -> None:
    """`nginx -t` on the written configuration; raises ServeError with nginx's own message when it fails."""
    done = subprocess.run([*nginx_command(nginx, conf, run_dir), "-t", "-q"], capture_output=True, text=True)
    if done.returncode != 0:
        msg = (done.stderr or done.stdout).strip()
        raise ServeError(f"nginx の設定が不正です ({conf}): {msg}", f"nginx rejected the configuration {conf}: {msg}")


def nginx_user() -> str | None:
    """"name group" of the current user when running as root (nginx's workers would otherwise become nobody)."""
    if os.geteuid() != 0:
        return None
    return f"{pwd.getpwuid(os.geteuid()).pw_name} {grp.getgrgid(os.getegid()).gr_name}"


# ---------------------------------------------------------------- processes

def free_ports(n: int) -> list[int]:
    """n distinct free TCP ports on 127.0.0.1 (held open together while choosing, so they differ)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def port_free_or_raise(host: str, port: int) -> None:
    """Raise ServeError when `host`:`port` is taken (before any worker starts, rather than nginx failing later)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as nginx binds: TIME_WAIT does not count
        try:
            s.bind((host, port))
        except OSError as exc:
            raise ServeError(f"ポート {host}:{port} は使用中です ({exc.strerror})。PORT=… で別のポートを指定してください",
                             f"port {host}:{port} is not available ({exc.strerror}); choose another with PORT=…") \
                from None


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when this script dies, and no terminal Ctrl-C of its own (the script
    stops its children in order)."""
    os.setpgrp()
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def health(port: int, timeout: float, host: str = "127.0.0.1") -> str:
    """'ok' when the server on `host`:`port` answers /_stcore/health, 'refused' when nothing listens there,
    'unhealthy' otherwise (timeout, error status). `timeout` in seconds."""
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/_stcore/health", timeout=timeout) as r:
            return "ok" if r.status == 200 and r.read().strip() == b"ok" else "unhealthy"
    except ConnectionRefusedError:
        return "refused"
    except OSError as exc:
        return "refused" if isinstance(getattr(exc, "reason", None), ConnectionRefusedError) else "unhealthy"


@dataclass
class Worker:
    """One Streamlit process on a loopback port and what the watcher knows about it."""

    index: int
    port: int
    proc: subprocess.Popen | None = None
    up: bool = False            # routed to (health answered since its last start)
    dead: bool = False          # marked down everywhere: process gone or refusing connections
    draining: bool = False      # alive but failing health checks: no new sessions
    fails: int = 0              # health checks failed in a row
    unhealthy_since: float = 0.0
    started: float = 0.0
    restarts: int = 0
    log: Path = field(default=Path("/dev/null"))

    def start(self, env: dict[str, str]) -> None:
        cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false"]
        with self.log.open("a") as out:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
        self.started = time.monotonic()
        self.up = self.draining = False
        self.fails = 0


def stop_process(proc: subprocess.Popen | None, sig: int = signal.SIGTERM, grace: float = 10.0) -> None:
    """Send `sig`, wait up to `grace` seconds, then SIGKILL."""
    if proc is None or proc.poll() is not None:
        return
    try:
        proc.send_signal(sig)
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


class Balancer:
    """The workers, nginx and the files in the run directory."""

    def __init__(self, a: argparse.Namespace, nginx: str, run_dir: Path) -> None:
        self.a, self.nginx, self.run_dir = a, nginx, run_dir
        self.conf = run_dir / "nginx.conf"
        self.state_file = run_dir / "state.json"
        self.workers = [Worker(i, p, log=run_dir / f"worker-{i}.log") for i, p in enumerate(free_ports(a.workers))]
        self.nginx_proc: subprocess.Popen | None = None
        self.ready = False
        # One cookie secret for every worker: XSRF tokens and signed cookies issued by one are valid on all.
        self.env = {**settings.process_environment(), "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
        for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (run_dir / sub).mkdir(exist_ok=True)

    @property
    def local_host(self) -> str:
        """Where this machine reaches the balancer (loopback when nginx listens on every address)."""
        return "127.0.0.1" if self.a.host in ("0.0.0.0", "::", "") else self.a.host

    @property
    def url(self) -> str:
        return f"http://{self.local_host}:{self.a.port}"

    def write_config(self) -> None:
        text = render_config([w.port for w in self.workers], port=self.a.port, host=self.a.host,
                             run_dir=self.run_dir, dead=frozenset(w.index for w in self.workers if w.dead),
                             draining=frozenset(w.index for w in self.workers if w.draining or not w.up),
                             fail_timeout=self.a.fail_timeout, user=nginx_user())
        tmp = self.conf.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        validate(self.nginx, tmp, self.run_dir)
        tmp.replace(self.conf)

    def write_state(self) -> None:
        state = {"url": self.url, "ready": self.ready, "run_dir": str(self.run_dir), "pid": os.getpid(),
                 "nginx_pid": self.nginx_proc.pid if self.nginx_proc else None,
                 "workers": [{"index": w.index, "port": w.port, "pid": w.proc.pid if w.proc else None,
                              "up": w.up, "dead": w.dead, "draining": w.draining, "restarts": w.restarts}
                             for w in self.workers]}
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=1), encoding="utf-8")
        tmp.replace(self.state_file)

    def start(self) -> None:
        port_free_or_raise(self.a.host, self.a.port)
        for w in self.workers:
            w.start(self.env)
        deadline = time.monotonic() + START_SECONDS
        while not all(w.up for w in self.workers):
            for w in self.workers:
                if w.proc.poll() is not None:
                    tail = w.log.read_text(errors="replace")[-1500:]
                    raise ServeError(f"ワーカー {w.index} (ポート {w.port}) が起動に失敗しました: {tail}",
                                     f"worker {w.index} (port {w.port}) exited during start: {tail}")
                w.up = w.up or health(w.port, 2.0) == "ok"
            if time.monotonic() > deadline:
                raise ServeError(f"ワーカーが {START_SECONDS:.0f} 秒以内に起動しませんでした ({self.run_dir})",
                                 f"workers did not answer /_stcore/health within {START_SECONDS:.0f} s "
                                 f"(logs in {self.run_dir})")
            time.sleep(0.3)
        self.write_config()
        with (self.run_dir / "nginx.out").open("a") as out:
            self.nginx_proc = subprocess.Popen(nginx_command(self.nginx, self.conf, self.run_dir), stdout=out,
                                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                               preexec_fn=_die_with_parent)
        deadline = time.monotonic() + 15
        while health(self.a.port, 2.0, self.local_host) != "ok":
            if self.nginx_proc.poll() is not None or time.monotonic() > deadline:
                lines = (self.run_dir / "error.log").read_text(errors="replace").splitlines()
                log = "\n".join(dict.fromkeys(line.split("] ", 1)[-1] for line in lines[-6:]))
                raise ServeError(f"nginx が起動しませんでした: {log}", f"nginx did not start: {log}")
            time.sleep(0.2)
        self.ready = True
        self.write_state()

    def reload(self) -> None:
        """Rewrite and check the configuration, then SIGHUP nginx (new workers; open websockets stay)."""
        self.write_config()
        self.nginx_proc.send_signal(signal.SIGHUP)
        self.write_state()

    def check(self) -> None:
        """One round of health checks; reload nginx when a worker's routing changes."""
        if self.nginx_proc.poll() is not None:
            raise ServeError("nginx が停止しました", f"nginx exited with status {self.nginx_proc.returncode}")
        changed = False
        now = time.monotonic()
        for w in self.workers:
            exited = w.proc.poll() is not None
            status = "refused" if exited else health(w.port, self.a.check_timeout)
            if status == "ok":
                if not w.up or w.dead or w.draining:
                    log(f"worker {w.index} (port {w.port}) healthy: routed to again")
                    w.up, w.dead, w.draining, changed = True, False, False, True
                w.fails = 0
                continue
            w.fails += 1
            w.unhealthy_since = w.unhealthy_since if w.fails > 1 else now
            starting = not w.up and now - w.started < START_SECONDS
            if exited or (status == "refused" and not starting):
                if not w.dead:
                    log(f"worker {w.index} (port {w.port}) is gone ({'exited' if exited else 'refuses'}): "
                        "marked down")
                    w.dead, changed = True, True
                if exited and now - w.started > 2 * self.a.check_seconds:  # at most one restart per two checks
                    log(f"worker {w.index}: restarting")
                    w.restarts += 1
                    w.start(self.env)
                    w.dead = True
            elif w.up and w.fails >= self.a.fails_to_drain and not w.draining:
                log(f"worker {w.index} (port {w.port}) does not answer /_stcore/health: no new sessions")
                w.draining, changed = True, True
            hung = w.up and w.fails > 1 and now - w.unhealthy_since > self.a.hung_seconds
            if not exited and (hung or (not w.up and not starting)):
                log(f"worker {w.index} {'unhealthy' if w.up else 'not started'} for too long: killed")
                w.proc.kill()
                w.proc.wait(timeout=10)  # the next round restarts it
        if changed:
            self.reload()

    def stop(self) -> None:
        """nginx first (fast shutdown: no new requests reach dying workers), then every worker."""
        stop_process(self.nginx_proc, signal.SIGTERM, 10)
        for w in self.workers:
            if w.proc is not None and w.proc.poll() is None:
                w.proc.send_signal(signal.SIGTERM)
        for w in self.workers:
            stop_process(w.proc, signal.SIGTERM, 10)


def log(msg: str) -> None:
    print(f"serve: {msg}", flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="Streamlit processes (default: cores)")
    ap.add_argument("--port", type=int, default=8501, help="the balancer's public port")
    ap.add_argument("--host", default="0.0.0.0", help="address nginx listens on (workers stay on 127.0.0.1)")
    ap.add_argument("--run-dir", type=Path, help="configuration, pid, logs, temp files (default: a new temp dir)")
    ap.add_argument("--keep-run-dir", action="store_true", help="keep the temporary run directory at exit")
    ap.add_argument("--fail-timeout", type=int, default=5, help="nginx fail_timeout in seconds (max_fails=1)")
    ap.add_argument("--check-seconds", type=float, default=2.0, help="interval of the workers' health checks")
    ap.add_argument("--check-timeout", type=float, default=5.0, help="time limit of one health check")
    ap.add_argument("--fails-to-drain", type=int, default=3, help="failed checks before no new sessions")
    ap.add_argument("--hung-seconds", type=float, default=60.0, help="unanswered checks for this long: restart")
    a = ap.parse_args(argv)
    if a.workers < 1:
        ap.error("--workers must be at least 1")
    return a


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    nginx = find_nginx()
    if nginx is None:
        print("nginx が見つかりません (`make serve` が Debian の nginx-light を導入します) / nginx not found "
              "(`make serve` installs Debian's nginx-light)", file=sys.stderr)
        return 2
    own_dir = a.run_dir is None
    run_dir = Path(tempfile.mkdtemp(prefix="popdash-serve-")) if own_dir else a.run_dir.resolve()
    run_dir.mkdir(parents=True, exist_ok=True)

    def terminate(signum, frame):  # noqa: ARG001 - signal handler signature
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)
    bal = Balancer(a, nginx, run_dir)
    code = 0
    try:
        bal.start()
        log(f"{bal.url} → {a.workers} worker(s) on 127.0.0.1:{','.join(str(w.port) for w in bal.workers)} "
            f"(run dir {run_dir}; Ctrl-C stops)")
        while True:
            time.sleep(a.check_seconds)
            bal.check()
    except KeyboardInterrupt:
        log("stopping")
    except ServeError as exc:
        print(f"serve: {exc}", file=sys.stderr)
        code = 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        bal.stop()
        if own_dir and not a.keep_run_dir:
            shutil.rmtree(run_dir, ignore_errors=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
