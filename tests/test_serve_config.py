"""The nginx configuration that scripts/serve.py generates for `make serve`: one group per worker plus the
first-visit group, websocket upgrade, gzip, every path in the run directory, only loopback upstreams, and
accepted by `nginx -t` (skipped, with the reason printed, where nginx is not installed)."""
from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from scripts.serve import ServeError, find_nginx, health, port_free_or_raise, render_config, validate
from settings import LIMITS

PORTS = [41001, 41002, 41003]


def conf(tmp_path, **kw) -> str:
    return render_config(PORTS, port=18080, host="127.0.0.1", run_dir=tmp_path, **kw)


def upstreams(text: str) -> dict[str, list[str]]:
    """upstream name -> its `server …` lines (without the keyword and the semicolon)."""
    return {name: re.findall(r"^\s*server\s+([^;]+);", body, re.M)
            for name, body in re.findall(r"upstream (\S+) \{(.*?)\n    \}", text, re.S)}


def location(text: str, where: str) -> str:
    return re.search(rf"location {re.escape(where)} \{{(.*?)\n        \}}", text, re.S).group(1)


def nginx_or_skip() -> str:
    nginx = find_nginx()
    if nginx is None:
        reason = "nginx not installed (make serve installs Debian's nginx-light); nginx -t check skipped"
        print(reason)
        pytest.skip(reason)
    return nginx


def test_one_group_per_worker_with_the_others_as_backups(tmp_path):
    ups = upstreams(conf(tmp_path))
    assert sorted(ups) == ["popdash_new", "popdash_w0", "popdash_w1", "popdash_w2"]
    assert ups["popdash_new"] == [f"127.0.0.1:{p} max_fails=1 fail_timeout=5s" for p in PORTS]
    assert ups["popdash_w1"] == ["127.0.0.1:41002 max_fails=1 fail_timeout=5s",
                                 "127.0.0.1:41001 backup", "127.0.0.1:41003 backup"]
    text = conf(tmp_path)
    assert "least_conn;" in re.search(r"upstream popdash_new \{(.*?)\}", text, re.S).group(1)
    # The cookie names a worker's group; the worker that answered is read from $upstream_addr.
    assert re.findall(r"^\s+(w\d) (popdash_w\d);", text, re.M) == [("w0", "popdash_w0"), ("w1", "popdash_w1"),
                                                                   ("w2", "popdash_w2")]
    assert '"~(^|, )127\\.0\\.0\\.1:41003$" w2;' in text
    assert "proxy_next_upstream_tries 3;" in text


def test_upstreams_only_on_loopback_and_no_name_resolution(tmp_path):
    text = conf(tmp_path)
    addresses = {line.split()[0].rsplit(":", 1)[0] for lines in upstreams(text).values() for line in lines}
    assert addresses == {"127.0.0.1"}
    assert set(re.findall(r"proxy_pass (\S+);", text)) == {"http://$popdash_pool"}
    # A variable proxy_pass resolves names only through `resolver`: without one, only the groups above exist.
    assert "resolver" not in text
    assert "default popdash_new;" in text


def test_websocket_location_upgrades_and_outlives_streamlit_pings(tmp_path):
    stream = location(conf(tmp_path), "= /_stcore/stream")
    assert "proxy_set_header Upgrade $http_upgrade;" in stream
    assert "proxy_set_header Connection $popdash_connection;" in stream
    assert "proxy_set_header Host $http_host;" in stream  # Streamlit compares Origin with Host
    read = int(re.search(r"proxy_read_timeout (\d+)s;", stream).group(1))
    assert read >= 120  # Streamlit pings every 30 s; the default 60 s would be too close
    assert "add_header Set-Cookie $popdash_cookie always;" in stream  # the 101 names the session's worker
    plain = location(conf(tmp_path), "/")
    assert "Upgrade" not in plain and 'proxy_set_header Connection "";' in plain


def test_every_page_loads_the_reconnect_script(tmp_path):
    text = conf(tmp_path)
    plain = location(text, "/")
    assert 'sub_filter "<head>" "<head><script src=\\"/_popdash/reconnect.js\\"></script>";' in plain
    script = re.search(r"alias (\S+);", location(text, "= /_popdash/reconnect.js")).group(1)
    assert Path(script).is_file() and "popdash_worker" in Path(script).read_text()
    # The script reads the cookie, so it is not HttpOnly (a routing hint; unknown values are first visits).
    cookie = re.search(r'default "(popdash_worker=[^"]+)";', text).group(1)
    assert "HttpOnly" not in cookie and "Path=/" in cookie


def test_gzip_by_nginx_not_by_the_workers(tmp_path):
    text = conf(tmp_path)
    assert re.search(r"^\s*gzip on;", text, re.M)
    types = re.search(r"gzip_types ([^;]+);", text).group(1).split()
    assert {"application/javascript", "text/css", "application/json"} <= set(types)
    assert 'proxy_set_header Accept-Encoding "";' in location(text, "/")


def test_every_file_in_the_run_directory(tmp_path):
    text = conf(tmp_path)
    for directive in ("pid", "error_log", "access_log", "client_body_temp_path", "proxy_temp_path",
                      "fastcgi_temp_path", "uwsgi_temp_path", "scgi_temp_path"):
        path = re.search(rf"^\s*{directive} (\S+)", text, re.M).group(1)
        assert path.startswith(str(tmp_path) + "/"), directive
    assert "daemon off;" in text
    assert "listen 127.0.0.1:18080;" in text
    assert f"client_max_body_size {LIMITS.upload_bytes // 2**20 + 1}m;" in text
    assert not re.search(r"^user ", text, re.M)  # only when nginx starts as root
    assert re.findall(r"^user .*", conf(tmp_path, user="alice staff"), re.M) == ["user alice staff;"]


def test_dead_worker_down_everywhere_draining_only_for_new_sessions(tmp_path):
    ups = upstreams(conf(tmp_path, dead=frozenset({0}), draining=frozenset({2})))
    assert ups["popdash_new"] == ["127.0.0.1:41001 max_fails=1 fail_timeout=5s down",
                                  "127.0.0.1:41002 max_fails=1 fail_timeout=5s",
                                  "127.0.0.1:41003 max_fails=1 fail_timeout=5s down"]
    assert ups["popdash_w0"][0].endswith(" down")
    assert "127.0.0.1:41001 backup down" in ups["popdash_w1"]
    # A draining worker keeps its pinned clients (their websockets and uploads are there).
    assert ups["popdash_w2"][0] == "127.0.0.1:41003 max_fails=1 fail_timeout=5s"


def test_when_every_live_worker_is_draining_new_sessions_still_have_somewhere_to_go(tmp_path):
    ups = upstreams(conf(tmp_path, dead=frozenset({0}), draining=frozenset({1, 2})))
    assert [line.endswith(" down") for line in ups["popdash_new"]] == [True, False, False]
    one = upstreams(render_config([41001], port=1, host="127.0.0.1", run_dir=tmp_path, draining=frozenset({0})))
    assert one["popdash_new"] == ["127.0.0.1:41001 max_fails=1 fail_timeout=5s"]


def test_unfilled_field_is_refused(tmp_path):
    with pytest.raises(ValueError):
        render_config(PORTS, port=1, host="127.0.0.1", run_dir=tmp_path, template="listen @NOPE@;")


@pytest.mark.parametrize("ports", [[41001], PORTS])
def test_nginx_accepts_the_generated_configuration(tmp_path, ports):
    nginx = nginx_or_skip()
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / sub).mkdir()
    path = tmp_path / "nginx.conf"
    path.write_text(render_config(ports, port=18080, host="127.0.0.1", run_dir=tmp_path,
                                  dead=frozenset({0}) if len(ports) > 1 else frozenset()))
    validate(nginx, path, tmp_path)  # raises ServeError when nginx -t fails


def test_nginx_t_failure_is_reported_in_both_languages(tmp_path):
    nginx = nginx_or_skip()
    path = tmp_path / "nginx.conf"
    path.write_text(conf(tmp_path).replace("least_conn;", "least_conn; backup_everything;"))
    with pytest.raises(ServeError) as err:
        validate(nginx, path, tmp_path)
    assert "backup_everything" in err.value.en and "nginx の設定が不正です" in err.value.ja


def test_health_tells_a_closed_port_from_a_silent_one():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        assert health(port, 1.0) == "refused"  # bound, not listening: nothing accepts
        s.listen()  # accepts (kernel backlog) but never answers
        assert health(port, 0.5) == "unhealthy"


def test_a_taken_public_port_is_refused_before_any_worker_starts():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        with pytest.raises(ServeError) as err:
            port_free_or_raise("127.0.0.1", s.getsockname()[1])
    assert "PORT=" in err.value.en and "使用中" in err.value.ja


class FakeProc:
    """A worker process as the watcher sees it: poll() is None while it runs."""

    def __init__(self):
        self.code = None
        self.pid = 4242

    def poll(self):
        return self.code

    def kill(self):
        self.code = -9

    def wait(self, timeout=None):
        return self.code


def watcher(tmp_path, monkeypatch, statuses: dict[int, str]):
    """A Balancer of two fake workers whose health answers come from `statuses`; reloads are counted."""
    from scripts import serve

    bal = serve.Balancer(serve.parse_args(["--workers", "2", "--check-seconds", "1"]), "nginx", tmp_path)
    bal.nginx_proc = FakeProc()
    bal.reloads = []
    monkeypatch.setattr(bal, "reload", lambda: bal.reloads.append(
        render_config([w.port for w in bal.workers], port=1, host="127.0.0.1", run_dir=tmp_path,
                      dead=frozenset(w.index for w in bal.workers if w.dead),
                      draining=frozenset(w.index for w in bal.workers if w.draining or not w.up))))
    monkeypatch.setattr(serve, "health", lambda port, timeout, host="127.0.0.1": statuses[port])
    started = []
    monkeypatch.setattr(serve.Worker, "start", lambda w, env: (started.append(w.index), setattr(w, "proc", FakeProc()),
                                                               setattr(w, "up", False), setattr(w, "fails", 0),
                                                               setattr(w, "started", serve.time.monotonic())))
    for w in bal.workers:
        w.proc, w.up, w.started = FakeProc(), True, serve.time.monotonic() - 100
    return bal, started


def test_watcher_marks_an_exited_worker_down_restarts_it_and_routes_to_it_when_healthy(tmp_path, monkeypatch):
    statuses = {}
    bal, started = watcher(tmp_path, monkeypatch, statuses)
    w0, w1 = bal.workers
    statuses.update({w0.port: "ok", w1.port: "ok"})
    bal.check()
    assert bal.reloads == [] and started == []
    w1.proc.code = -9  # killed
    statuses[w1.port] = "refused"
    bal.check()
    assert w1.dead and started == [1] and len(bal.reloads) == 1
    assert f"127.0.0.1:{w1.port} max_fails=1 fail_timeout=5s down" in bal.reloads[-1]  # out of every group
    bal.check()  # restarted, not listening yet: no second restart, no reload
    assert started == [1] and len(bal.reloads) == 1
    statuses[w1.port] = "ok"
    bal.check()
    assert w1.up and not w1.dead and len(bal.reloads) == 2 and " down" not in bal.reloads[-1]


def test_watcher_drains_a_silent_worker_but_keeps_its_sessions(tmp_path, monkeypatch):
    statuses = {}
    bal, started = watcher(tmp_path, monkeypatch, statuses)
    w0, w1 = bal.workers
    statuses.update({w0.port: "ok", w1.port: "unhealthy"})
    for _ in range(bal.a.fails_to_drain):
        bal.check()
    assert w1.draining and not w1.dead and len(bal.reloads) == 1 and started == []
    ups = upstreams(bal.reloads[-1])
    assert f"127.0.0.1:{w1.port} max_fails=1 fail_timeout=5s down" in ups["popdash_new"]
    assert ups["popdash_w1"][0] == f"127.0.0.1:{w1.port} max_fails=1 fail_timeout=5s"  # pinned clients stay
    w1.unhealthy_since -= bal.a.hung_seconds + 1  # silent for longer than --hung-seconds
    bal.check()
    assert w1.proc.code == -9  # killed; the next round restarts it
    bal.check()
    assert started == [1]
