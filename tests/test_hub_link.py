"""The nbgitpuller link (tools/hub_link.py) and the runtime set (tools/runtime_set.py), issue 17.

The link is checked by taking it apart the way JupyterHub and nbgitpuller do (urllib's parser, not
the tool's own code); the two-student test in tests/hub/ follows such a link on a real hub.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))

import hub_link  # noqa: E402
import runtime_set  # noqa: E402


def parts(url: str) -> tuple[str, dict[str, str]]:
    split = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(split.query, strict_parsing=True).items()}
    return f"{split.scheme}://{split.netloc}{split.path}", query


def test_link_for_the_first_english_notebook():
    url = hub_link.hub_link("https://hub.example.edu")
    where, query = parts(url)
    assert where == "https://hub.example.edu/hub/user-redirect/git-pull"
    assert query == {
        "repo": "https://github.com/selfattn/selfattn-notebooks",
        "branch": "main",
        "targetpath": "selfattn-notebooks",
        "urlpath": "lab/tree/selfattn-notebooks/notebooks/00_start_here.ipynb",
    }
    # every query value percent-encoded: no raw '/' or ':' for a hub's router to misread
    assert re.fullmatch(r"[A-Za-z0-9%._=&-]*", urlsplit(url).query)


def test_default_repository_is_the_one_the_binder_badge_names():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    badge = re.search(r"mybinder\.org/v2/gh/([^/]+/[^/]+)/", readme)
    assert badge, "README lost its Binder badge"
    assert hub_link.REPO == f"https://github.com/{badge.group(1)}"
    assert hub_link.TARGET == badge.group(1).split("/")[1]


def test_the_default_notebook_exists():
    assert (REPO / hub_link.FIRST_NOTEBOOK).is_file()


@pytest.mark.parametrize(
    "hub", ["https://hub.example.edu/", "https://hub.example.edu/hub/", " https://hub.example.edu "]
)
def test_hub_address_is_normalised(hub):
    assert parts(hub_link.hub_link(hub))[0] == "https://hub.example.edu/hub/user-redirect/git-pull"


def test_hub_under_a_path_keeps_it():
    url = hub_link.hub_link(
        "http://127.0.0.1:8000/jupyter", repo="/srv/course", branch="week-3", notebook="notebooks/09_explorer.ipynb"
    )
    where, query = parts(url)
    assert where == "http://127.0.0.1:8000/jupyter/hub/user-redirect/git-pull"
    assert query["repo"] == "/srv/course" and query["branch"] == "week-3"
    assert query["urlpath"] == "lab/tree/selfattn-notebooks/notebooks/09_explorer.ipynb"


@pytest.mark.parametrize(
    "argument, kwargs",
    [
        ("hub", {"hub": "hub.example.edu"}),
        ("hub", {"hub": "ftp://hub.example.edu"}),
        ("hub", {"hub": "https://hub.example.edu/?next=x"}),
        ("repo", {"hub": "https://h.edu", "repo": "my repo"}),
        ("branch", {"hub": "https://h.edu", "branch": ""}),
        ("branch", {"hub": "https://h.edu", "branch": "week 3"}),
        ("branch", {"hub": "https://h.edu", "branch": "a..b"}),
        ("notebook", {"hub": "https://h.edu", "notebook": "notebooks/00_start_here.md"}),
        ("notebook", {"hub": "https://h.edu", "notebook": "../secret.ipynb"}),
        ("notebook", {"hub": "https://h.edu", "notebook": "/etc/x.ipynb"}),
        ("target", {"hub": "https://h.edu", "target": "a/b"}),
    ],
)
def test_bad_arguments_are_named(argument, kwargs):
    with pytest.raises(ValueError, match=rf"^{argument}: expected .*; got "):
        hub_link.hub_link(**kwargs)


@pytest.mark.parametrize(
    "argument, kwargs",
    [
        ("hub", {"hub": "https://hub example.edu"}),
        ("hub", {"hub": "https://hub.example.edu/my hub"}),
        ("hub", {"hub": "https://hub.example.edu:abc"}),
        ("hub", {"hub": "https://hub.example.edu:99999"}),
        ("hub", {"hub": 'https://hub.example.edu/"x"'}),
        ("hub", {"hub": "https://hub.example.edu/<x>"}),
        ("hub", {"hub": "https://hub.example.edu/a\tb"}),
        ("hub", {"hub": "http://[::1"}),
        ("notebook", {"hub": "https://h.edu", "notebook": "notebooks/99_missing.ipynb"}),
    ],
)
def test_hostile_arguments_are_named_not_made_into_a_broken_link(argument, kwargs):
    # issue 26: each of these printed a link (exit 0), or said "Invalid IPv6 URL" without the argument
    with pytest.raises(ValueError, match=rf"^{argument}: expected .*; got "):
        hub_link.hub_link(**kwargs)


def test_a_password_in_the_hub_address_is_refused_and_not_repeated():
    with pytest.raises(ValueError, match=r"^hub: expected .*password.*; got ") as caught:
        hub_link.hub_link("https://teacher:s3cret@hub.example.edu")
    assert "s3cret" not in str(caught.value)
    done = run_tool("--hub", "https://teacher:s3cret@hub.example.edu")
    assert done.returncode == 2 and done.stdout == "" and "s3cret" not in done.stderr


def test_a_valid_port_and_an_ipv6_hub_still_work():
    assert parts(hub_link.hub_link("http://[::1]:8000/"))[0] == "http://[::1]:8000/hub/user-redirect/git-pull"
    assert parts(hub_link.hub_link("https://hub.example.edu:8443"))[0].startswith("https://hub.example.edu:8443/hub/")


def run_tool(*args):
    return subprocess.run(
        [sys.executable, str(REPO / "tools" / "hub_link.py"), *args], capture_output=True, text=True, timeout=60
    )


def test_command_line_prints_one_link():
    done = run_tool("--hub", "https://hub.example.edu", "--branch", "spring")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1
    assert parts(done.stdout.strip())[1]["branch"] == "spring"


def test_command_line_without_hub_says_what_is_missing():
    done = run_tool()
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("hub: missing")


def test_make_hub_link_prints_the_link():
    done = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "-C",
            str(REPO),
            "hub-link",
            "HUB=https://hub.example.edu",
            "NOTEBOOK=notebooks/09_explorer.ipynb",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert parts(done.stdout.strip())[1]["urlpath"].endswith("/notebooks/09_explorer.ipynb")


# --- the runtime set ---------------------------------------------------------------------------


def pin_names(pins):
    return {re.split(r"[=<>!~\[; ]", pin, maxsplit=1)[0].lower().replace("_", "-") for pin in pins}


def test_runtime_set_holds_what_the_notebooks_import_and_no_test_tool():
    names = pin_names(runtime_set.runtime_requirements())
    assert {"numpy", "matplotlib", "ipywidgets", "jupyterlab-widgets", "jupyterlab", "ipykernel"} <= names
    assert not names & {"pytest", "hypothesis", "nbval", "playwright", "axe-playwright-python"}


def test_runtime_set_is_part_of_the_lock():
    locked = {}  # the universal lock may hold one version per Python
    for line in (REPO / "requirements/lock.txt").read_text().splitlines():
        found = re.match(r"([A-Za-z0-9_.-]+)==([^ ;\\]+)", line)
        if found:
            locked.setdefault(found[1].lower().replace("_", "-"), set()).add(found[2])
    runtime = runtime_set.runtime_requirements()
    assert runtime and all("==" in pin for pin in runtime)
    for pin in runtime:
        name, version = pin.split(";")[0].strip().split("==")
        assert version in locked.get(name.lower().replace("_", "-"), set()), pin


def test_runtime_set_with_anything_but_plain_pins_is_an_error(tmp_path):
    path = tmp_path / "requirements.txt"
    path.write_text("numpy==2.4.6\n-e .\n")
    with pytest.raises(ValueError, match="expected plain pins"):
        runtime_set.runtime_requirements(path)


def test_hub_pins_are_exact_and_apart_from_the_runtime_set():
    hub = [
        line.strip()
        for line in (REPO / "requirements-hub.txt").read_text().splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    assert pin_names(hub) == {"jupyterhub", "nbgitpuller"}
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", pin) for pin in hub)
    assert not pin_names(hub) & pin_names(runtime_set.runtime_requirements())


def test_proxy_is_pinned_exactly_and_locked():
    import json

    package = json.loads((REPO / "hub" / "package.json").read_text())
    lock = json.loads((REPO / "hub" / "package-lock.json").read_text())
    version = package["dependencies"]["configurable-http-proxy"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), "pin configurable-http-proxy to one version"
    assert lock["packages"]["node_modules/configurable-http-proxy"]["version"] == version
    # every package of the lock carries its hash, so `npm ci` installs exactly these bytes
    assert all("integrity" in entry for name, entry in lock["packages"].items() if name)


def test_readme_teaching_a_class_gives_the_links_and_pins_as_they_are():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Teaching a class", 1)[1].split("\n## ", 1)[0]
    assert hub_link.hub_link("https://hub.example.edu") in section
    hub_pins = [
        line.strip()
        for line in (REPO / "requirements-hub.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert all(pin in section for pin in hub_pins), hub_pins
    assert "make hub-link HUB=" in section and "make test-hub" in section
    assert "Time budget" in section


def test_both_editions_give_their_own_link():
    # The Portuguese first notebook's link, as the tool makes it, in README and in LEIA-ME's section.
    link = hub_link.hub_link("https://hub.example.edu", notebook="notebooks/pt/00_comece_aqui.ipynb")
    assert link in (REPO / "README.md").read_text(encoding="utf-8")
    leia = (REPO / "LEIA-ME.md").read_text(encoding="utf-8")
    assert link in leia.split("## Para uma turma inteira (JupyterHub)", 1)[1].split("\n## ", 1)[0]
