"""One locked environment (issue 16): the direct pins in requirements/*.in, every package they pull
in locked with hashes in requirements/lock.txt, Binder's plain pins taken from that lock, and
the environment the tests run in equal to the lock. `make lock` writes both generated files."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import zipfile
from importlib.metadata import distributions
from pathlib import Path

import pytest
from packaging.markers import Marker

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements"
LOCK = REQUIREMENTS / "lock.txt"
BINDER_REQUIREMENTS = ROOT / "binder" / "requirements.txt"
CI = ROOT / ".ci" / "run"
SUPPORTED = ("3.11", "3.12", "3.13")


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def direct_pins(path: Path) -> dict[str, str]:
    """name -> version of a requirements/*.in file; each line must be a plain `name==version`."""
    found = {}
    for raw in path.read_text().splitlines():
        line = raw.split("#")[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9_.\-]*)==([^\s;]+)", line)
        assert match, f"{path.name}: {line!r} is not a plain `name==version` pin"
        name = normalize(match.group(1))
        assert name not in found, f"{path.name}: {name} is pinned twice"
        found[name] = match.group(2)
    return found


def all_direct_pins() -> dict[str, dict[str, str]]:
    return {f"requirements/{path.name}": direct_pins(path) for path in sorted(REQUIREMENTS.glob("*.in"))}


def parse_lock(text: str) -> list[dict]:
    """The lock's entries: name, version, marker (or None), hashes, and the `-r` files they come from."""
    entries = []
    for line in text.splitlines():
        head = re.match(r"([A-Za-z0-9][A-Za-z0-9_.\-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$", line)
        if head:
            entries.append(
                {
                    "name": normalize(head.group(1)),
                    "version": head.group(2),
                    "marker": head.group(3),
                    "hashes": [],
                    "sources": set(),
                }
            )
            continue
        stripped = line.strip()
        if stripped.startswith("--hash="):
            entries[-1]["hashes"].append(stripped.split("=", 1)[1].rstrip(" \\"))
        elif entries and (source := re.match(r"#\s+(?:via\s+)?-r (\S+)", stripped)):
            entries[-1]["sources"].add(source.group(1))
        elif stripped and not stripped.startswith("#"):
            raise AssertionError(f"lock.txt: unexpected line {line!r}")
    return entries


def applies(entry: dict, environment: dict | None = None) -> bool:
    return entry["marker"] is None or Marker(entry["marker"]).evaluate(environment)


def binder_python() -> str:
    match = re.search(r"^BINDER_PYTHON=(\d+\.\d+)\b", CI.read_text(), re.M)
    assert match, ".ci/run does not say which Python it tests Binder's environment on (BINDER_PYTHON=3.x)"
    return match.group(1)


# --- the direct pins and the lock agree ---------------------------------------------------------


def test_direct_pins_are_readable_and_hold_what_each_use_needs():
    pins = all_direct_pins()
    assert set(pins) >= {"requirements/notebooks.in", "requirements/test.in", "requirements/browser.in"}
    learner = pins["requirements/notebooks.in"]
    assert {
        "numpy",
        "matplotlib",
        "ipywidgets",
        "jupyterlab-widgets",
        "jupyterlab",
        "ipykernel",
        "notebook",
        "jupytext",
    } <= set(learner)
    assert {"pytest", "hypothesis", "nbval"} <= set(pins["requirements/test.in"])
    assert "playwright" in pins["requirements/browser.in"]
    # a package pinned in two files could be pinned to two versions
    seen = {}
    for source, found in pins.items():
        for name in found:
            assert name not in seen, f"{name} is pinned in both {seen[name]} and {source}"
            seen[name] = source


def test_lock_agrees_with_the_direct_pins():
    # Fails when a requirements/*.in file was edited and `make lock` not run (or the lock edited by hand).
    entries = parse_lock(LOCK.read_text())
    stale = "; run `make lock` and commit requirements/lock.txt and binder/requirements.txt"
    for source, found in all_direct_pins().items():
        for name, version in found.items():
            locked = [e for e in entries if e["name"] == name]
            assert locked, f"{name} ({source}) is not in the lock{stale}"
            assert {e["version"] for e in locked} == {version}, (
                f"{source} pins {name}=={version}, the lock has {sorted(e['version'] for e in locked)}{stale}"
            )
            assert all(source in e["sources"] for e in locked), (
                f"the lock does not say {name} comes from {source}{stale}"
            )
    for entry in entries:
        for source in entry["sources"]:
            assert (ROOT / source).is_file(), f"the lock was made from {source}, which no longer exists{stale}"
            assert entry["name"] in direct_pins(ROOT / source), (
                f"the lock has {entry['name']} as pinned in {source}, which no longer pins it{stale}"
            )
    assert {s for e in entries for s in e["sources"]} == set(all_direct_pins()), f"a .in file is not locked{stale}"


def test_every_locked_package_has_hashes_and_one_version_per_python():
    text = LOCK.read_text()
    assert "make lock" in text.splitlines()[1], "the lock's header should name the command that writes it"
    entries = parse_lock(text)
    assert len(entries) > 100, "the lock should hold every transitive package, not only the direct pins"
    for entry in entries:
        assert entry["hashes"], f"{entry['name']} has no hash in the lock"
        assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in entry["hashes"]), entry
    # one lock for every supported Python: on each, every name resolves to exactly one version
    for minor in SUPPORTED:
        environment = {
            "python_version": minor,
            "python_full_version": f"{minor}.7",
            "sys_platform": "linux",
            "platform_system": "Linux",
            "os_name": "posix",
            "implementation_name": "cpython",
            "platform_python_implementation": "CPython",
            "platform_machine": "x86_64",
        }
        chosen = {}
        for entry in entries:
            if applies(entry, environment):
                assert entry["name"] not in chosen, f"Python {minor}: {entry['name']} twice in the lock"
                chosen[entry["name"]] = entry["version"]
        assert {"numpy", "jupyterlab", "pytest", "playwright"} <= set(chosen)


def test_installed_versions_are_the_locked_ones():
    # The environment the tests run in is the lock, so CI tests what `make lab` and Binder get.
    installed = {normalize(d.metadata["Name"]): d.version for d in distributions()}
    wanted = {e["name"]: e["version"] for e in parse_lock(LOCK.read_text()) if applies(e)}
    differ = {
        name: (version, installed.get(name)) for name, version in wanted.items() if installed.get(name) != version
    }
    assert not differ, f"installed differs from requirements/lock.txt (locked, installed): {differ}; run make install"


# --- Binder: the learner's set, plain pins from the lock ------------------------------------------


def test_binder_requirements_are_plain_pins_of_the_learners_set_from_the_lock():
    lines = [
        row.strip() for row in BINDER_REQUIREMENTS.read_text().splitlines() if row.strip() and not row.startswith("#")
    ]
    binder = {}
    for line in lines:
        # no -r, -e, `.`, options or URLs: repo2docker installs plain pins before copying the repo (cached)
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9_.\-]*)==([^\s;]+)", line)
        assert match, f"binder/requirements.txt: {line!r} is not a plain pin"
        binder[normalize(match.group(1))] = match.group(2)
    environment = {
        "python_version": binder_python(),
        "python_full_version": f"{binder_python()}.0",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
    }
    locked = {e["name"]: e["version"] for e in parse_lock(LOCK.read_text()) if applies(e, environment)}
    for name, version in binder.items():
        assert locked.get(name) == version, (
            f"Binder pins {name}=={version}, the lock has {locked.get(name)}; run make lock"
        )
    pins = all_direct_pins()
    for name, version in pins["requirements/notebooks.in"].items():
        assert binder.get(name) == version, f"binder/requirements.txt lacks {name}=={version}; run make lock"
    # no test tools on Binder (nbformat and nbclient are there anyway: the Jupyter server needs them)
    for name in ("pytest", "hypothesis", "nbval", "playwright", "greenlet", "pip"):
        assert name not in binder, f"{name} would be installed on Binder"


def test_binder_installs_this_package_after_the_requirements():
    post_build = ROOT / "binder" / "postBuild"
    assert post_build.stat().st_mode & 0o111, "binder/postBuild must be executable (repo2docker runs it as is)"
    commands = [row.strip() for row in post_build.read_text().splitlines() if row.strip() and not row.startswith("#")]
    assert commands[-1] == "python -m pip install --no-cache-dir --no-deps .", commands


def test_binder_python_is_the_one_ci_tests_binder_on():
    # Not the interpreter running this test: `make test PYTHON=python3.13` must pass too.
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    assert runtime == f"python-{binder_python()}", (
        f"binder/runtime.txt says {runtime!r} but .ci/run tests Binder's environment on Python {binder_python()}"
    )
    assert binder_python() in SUPPORTED


def test_ci_runs_every_supported_python_and_fails_when_one_is_missing():
    ci = CI.read_text()
    others = re.search(r"^OTHER_PYTHONS=\"([\d. ]+)\"", ci, re.M)
    assert others, '.ci/run should list the other supported Pythons (OTHER_PYTHONS="...")'
    assert sorted([binder_python(), *others.group(1).split()]) == sorted(SUPPORTED)
    assert "make test PYTHON=" in ci and "make test-core PYTHON=" in ci and "make binder-launch PYTHON=" in ci
    assert re.search(r"not found.*exit 1", ci), ".ci/run must fail, not skip, when a Python is missing"
    requires = re.search(r'^requires-python\s*=\s*">=(\d+\.\d+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert requires and requires.group(1) == min(SUPPORTED, key=lambda v: tuple(map(int, v.split("."))))


def test_makefile_offers_the_commands_and_installs_from_the_lock():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("lab", "test", "test-core", "lock", "binder-launch"):
        assert re.search(rf"^{target}:", makefile, re.M), f"Makefile has no {target} target"
    assert "notebooks/00_start_here.ipynb" in makefile
    assert "--nbval" in makefile and "--nbval-current-env" in makefile
    # make lab: the learner's set (requirements.txt); make test: the whole lock; both hashes checked
    assert re.search(r"^PIP := \$\(BIN\)/python -m pip install ", makefile, re.M)
    assert re.search(r"\$\(PIP\) --require-hashes -r \$\(LOCK\)", makefile)
    assert re.search(r"\$\(PIP\) --require-hashes -r \$\(LEARNER\)", makefile)
    assert "LEARNER := requirements.txt" in makefile
    assert "LOCK := requirements/lock.txt" in makefile
    assert re.search(r"^UV := uv==\d+\.\d+\.\d+$", makefile, re.M), "the lock tool must be pinned"


# --- a hash mismatch stops the install ----------------------------------------------------------


def tiny_wheel(folder: Path, payload: str) -> Path:
    """A minimal valid wheel, built here: the test needs no network and no index."""
    name, version = "selfattn_hash_probe", "1.0"
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    info = f"{name}-{version}.dist-info"
    files = {
        f"{name}.py": f"VALUE = {payload!r}\n",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test_setup\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join(f"{path},,\n" for path in files) + f"{info}/RECORD,,\n"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(zipfile.ZipInfo(path, date_time=(2026, 1, 1, 0, 0, 0)), text)
        archive.writestr(zipfile.ZipInfo(f"{info}/RECORD", date_time=(2026, 1, 1, 0, 0, 0)), record)
    return wheel


def pip_install_with_hash(tmp_path: Path, wheels: Path, digest: str, target: Path):
    requirements = tmp_path / f"requirements-{digest[:8]}.txt"
    requirements.write_text(f"selfattn-hash-probe==1.0 --hash=sha256:{digest}\n")
    # no pip configuration from the machine (indexes, find-links, constraints) reaches this run
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-index",
            "--find-links",
            str(wheels),
            "--require-hashes",
            "--no-cache-dir",
            "--disable-pip-version-check",
            "--target",
            str(target),
            "-r",
            str(requirements),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


@pytest.mark.parametrize("tampered", [False, True], ids=["hash-matches", "hash-mismatch"])
def test_install_refuses_a_file_whose_hash_differs_from_the_lock(tmp_path, tampered):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    locked_digest = hashlib.sha256(tiny_wheel(wheels, "as locked").read_bytes()).hexdigest()
    if tampered:  # the same name and version, other bytes: what a swapped upload looks like
        tiny_wheel(wheels, "tampered")
    target = tmp_path / "site"
    done = pip_install_with_hash(tmp_path, wheels, locked_digest, target)
    installed = (target / "selfattn_hash_probe.py").exists()
    if tampered:
        assert done.returncode != 0 and not installed, done.stdout + done.stderr
        assert "DO NOT MATCH THE HASHES" in done.stderr, done.stderr
        assert locked_digest in done.stderr  # pip names the expected hash...
        assert (
            hashlib.sha256((wheels / "selfattn_hash_probe-1.0-py3-none-any.whl").read_bytes()).hexdigest()
            in done.stderr
        )  # ...and the one it got
    else:
        assert done.returncode == 0 and installed, done.stdout + done.stderr
