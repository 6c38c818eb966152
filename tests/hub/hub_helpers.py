"""A real JupyterHub on 127.0.0.1 for tests/hub/test_hub.py (issue 17).

The hub (pinned jupyterhub from requirements-hub.txt) runs from hub/.venv, the same venv that is
the students' environment: the runtime set (tools/runtime_set.py), jupyterhub-singleuser,
nbgitpuller and this library, nothing of the test tools. Its proxy is the pinned
configurable-http-proxy in hub/node_modules. `make test-hub` builds both.

Every student is a DummyAuthenticator user served by SimpleLocalProcessSpawner: a process of this
machine's user (no system accounts needed), with its own home folder (HOME, the server's root
folder, its JupyterLab settings, kernels' working folders). The hub and everything it starts live
in one temporary folder and are stopped by `Hub.stop`, which also checks that none is left.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import browser_helpers as bh

REPO = Path(__file__).resolve().parents[2]
HUB_VENV = REPO / "hub" / ".venv"
PROXY = REPO / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
HOW_TO_BUILD = "run `make test-hub`, which builds hub/.venv and hub/node_modules first"

# urllib would honour http_proxy for 127.0.0.1 on some machines; the hub is always local.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def hub_missing() -> str | None:
    """Why the hub cannot start here, or None."""
    for path in (HUB_VENV / "bin" / "jupyterhub", HUB_VENV / "bin" / "jupyterhub-singleuser", PROXY):
        if not path.exists():
            return f"{path.relative_to(REPO)} not found; {HOW_TO_BUILD}"
    return None


# --- processes, read from /proc (no extra package) ----------------------------------------------


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name may hold spaces or ')': the fields after the last ')' are fixed
        fields = stat.rsplit(")", 1)[1].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def _start_time(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def _state(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def process_tree(root: int) -> list[int]:
    children = _children()
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "(gone)"


class TreeWatch:
    """Samples the hub's process tree every `interval` seconds: every process seen (pid and start
    time, so a reused pid is not mistaken for ours) and the peak of the tree's summed RSS."""

    def __init__(self, root: int, interval: float = 0.25):
        self.root, self.interval = root, interval
        self.seen: dict[int, str] = {}
        self.peak_rss = 0
        self.peak_processes = 0
        self.mark_peak = 0  # peak since the last reset_mark(), for one phase of the test
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def sample(self) -> None:
        tree = process_tree(self.root)
        for pid in tree:
            started = _start_time(pid)
            if started is not None:
                self.seen.setdefault(pid, started)
        total = sum(rss_bytes(pid) for pid in tree)
        self.peak_rss = max(self.peak_rss, total)
        self.mark_peak = max(self.mark_peak, total)
        self.peak_processes = max(self.peak_processes, len(tree))

    def reset_mark(self) -> None:
        self.mark_peak = 0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def alive(self) -> list[int]:
        """Processes of the tree seen so far that still run (same pid, same start time; a zombie
        waiting for its parent to reap it runs nothing and holds no memory)."""
        return [pid for pid, started in self.seen.items() if _start_time(pid) == started and _state(pid) != "Z"]


# --- the hub --------------------------------------------------------------------------------------

CONFIG = """\
# Written by tests/hub/hub_helpers.py for one test run.
c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.pid_file = {work!r} + "/proxy.pid"
c.JupyterHub.db_url = "sqlite:///" + {work!r} + "/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = {work!r} + "/cookie_secret"
c.JupyterHub.pid_file = {work!r} + "/jupyterhub.pid"
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allow_all = True
# students are processes of this machine's user, each with its own home (root folder, settings)
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {homes!r} + "/{{username}}"
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.ip = "127.0.0.1"
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.args = [
    "--ServerApp.allow_root=True",  # CI runs as root; a real hub's users never are
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabApp.expose_app_in_browser=True",  # the test reads window.jupyterapp
]
"""


def _free_ports(count: int) -> list[int]:
    import socket

    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind((bh.LOCAL_HOST, 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


class Hub:
    """`with Hub(work_dir, users) as hub:` a JupyterHub at hub.url until the block ends."""

    def __init__(self, work_dir: Path, users: list[str]):
        self.work = Path(work_dir)
        self.homes = self.work / "homes"
        self.users = list(users)
        self.password = secrets.token_hex(8)
        self.port, self.hub_port, self.api_port = _free_ports(3)
        self.process: subprocess.Popen | None = None
        self.watch: TreeWatch | None = None
        self.log_path = self.work / "jupyterhub.log"
        self.left_behind: list[str] = []
        self.force_killed: list[str] = []

    @property
    def url(self) -> str:
        return f"http://{bh.LOCAL_HOST}:{self.port}"

    def home(self, user: str) -> Path:
        return self.homes / user

    def _make_homes(self) -> None:
        """Each student's home from one template: JupyterLab settings a test needs (every cell
        in the DOM, no autosave, no news); nothing else, so the course arrives by the link."""
        for user in self.users:
            settings = self.home(user) / ".jupyter" / "lab" / "user-settings"
            for relative, values in bh.LAB_SETTINGS.items():
                path = settings / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(values))

    def start(self, timeout: float = 60.0) -> None:
        self.work.mkdir(parents=True, exist_ok=True)
        self._make_homes()
        config = self.work / "jupyterhub_config.py"
        config.write_text(
            CONFIG.format(
                port=self.port,
                hub_port=self.hub_port,
                api_port=self.api_port,
                proxy=str(PROXY),
                work=str(self.work),
                password=self.password,
                homes=str(self.homes),
                singleuser=str(HUB_VENV / "bin" / "jupyterhub-singleuser"),
            )
        )
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("JUPYTER", "VIRTUAL_ENV", "PYTHON", "MPLBACKEND", "CONDA"))
        }
        env["PATH"] = f"{HUB_VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [str(HUB_VENV / "bin" / "jupyterhub"), "-f", str(config)],
            cwd=self.work,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        self.watch = TreeWatch(self.process.pid)
        self.watch.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterHub exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with _OPENER.open(f"{self.url}/hub/api/", timeout=5) as response:
                    if response.status == 200:
                        return
            except (OSError, urllib.error.HTTPError):
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"JupyterHub did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """SIGTERM to the hub, which stops the students' servers and its proxy (cleanup_servers);
        then anything of its tree still running is named in `force_killed` and killed, and
        `left_behind` names whatever survives even that."""
        if self.process is None:
            return
        if self.watch:
            self.watch.sample()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if not self.watch:
            return
        self.watch.stop()
        deadline = time.monotonic() + 15
        while self.watch.alive() and time.monotonic() < deadline:
            time.sleep(0.2)
        for pid in self.watch.alive():
            self.force_killed.append(f"{pid}: {command_line(pid)}")
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.5)
        self.left_behind = [f"{pid}: {command_line(pid)}" for pid in self.watch.alive()]

    def __enter__(self) -> Hub:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
