"""README's "Without make" section, run as written, in a fresh venv and a fresh copy (CI runs this).

    python3.12 tools/without_make.py        # the interpreter running this script makes the venv

Takes the commands from the README's fenced block (so the section cannot drift from what is tested),
runs the two `pip install` lines, starts the `jupyter lab` line until the server answers with the
first notebook, then checks what a learner gets: the library with its [notebooks] modules, the
course's JupyterLab settings, and notebook 00 run top to bottom without an error.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### Without make", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.split("#", 1)[0].strip()]


def run(command: str, cwd: Path, **kwargs) -> None:
    print(f"without make: {command}", flush=True)
    subprocess.run(command, shell=True, cwd=cwd, check=True, **kwargs)


def main() -> int:
    commands = readme_commands()
    assert commands[0] == "python -m venv .venv" and commands[-1].startswith(".venv/bin/jupyter lab"), commands
    with tempfile.TemporaryDirectory(prefix="without-make-") as folder:
        clone = Path(folder) / "selfattn-notebooks"
        files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, check=True, capture_output=True).stdout
        for name in filter(None, files.decode().split("\0")):
            if (REPO / name).is_file():
                (clone / name).parent.mkdir(parents=True, exist_ok=True)
                (clone / name).write_bytes((REPO / name).read_bytes())
        started = time.monotonic()
        run(commands[0].replace("python", sys.executable, 1), clone)
        for command in commands[1:-1]:
            run(command, clone)
        python = clone / ".venv" / "bin" / "python"
        # the last line: JupyterLab, until it serves the first notebook
        port = socket.create_server(("127.0.0.1", 0)).getsockname()[1]
        token = secrets.token_hex(8)
        env = dict(
            os.environ,
            JUPYTER_PORT=str(port),
            JUPYTER_TOKEN=token,
            BROWSER="true",
            JUPYTER_CONFIG_DIR=str(Path(folder) / "config"),
            JUPYTER_RUNTIME_DIR=str(Path(folder) / "rt"),
        )
        extra = " --allow-root" if os.getuid() == 0 else ""
        server = subprocess.Popen(
            commands[-1] + extra,
            shell=True,
            cwd=clone,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}/api/contents/notebooks/00_start_here.ipynb?content=0&token={token}"
            for _ in range(120):
                try:
                    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url, timeout=5) as r:
                        assert json.load(r)["type"] == "notebook"
                        break
                except OSError:
                    time.sleep(0.5)
            else:
                raise SystemExit("without make: jupyter lab did not serve the first notebook within 60 s")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
        check = (
            "import sys, selfattn_lib, selfattn_lib.widgets, selfattn_lib.plots; "
            "from pathlib import Path; "
            "assert (Path(sys.prefix) / 'share/jupyter/lab/settings/overrides.json').is_file(); "
            "assert (Path(sys.prefix) / 'etc/jupyter/jupyter_server_config.json').is_file(); "
            "import nbformat; from nbclient import NotebookClient; "
            "nb = nbformat.read('notebooks/00_start_here.ipynb', 4); "
            "NotebookClient(nb, timeout=300, resources={'metadata': {'path': 'notebooks'}}).execute(); "
            "print('without make: notebook 00 ran, version', selfattn_lib.__version__)"
        )
        subprocess.run([str(python), "-c", check], cwd=clone, check=True)
        print(f"without make: the README's commands work ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
