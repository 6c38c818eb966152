"""One source per notebook: each .ipynb and its MyST Markdown twin hold the same cells, and the
stored outputs come from the current code (tools/notebooks.py; `make notebooks` fixes both)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupytext.config import find_jupytext_configuration_file, load_jupytext_configuration_file

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import notebooks as pairs  # noqa: E402

PATHS = pairs.notebook_paths()


def test_the_series_is_found():
    assert len(PATHS) >= 10 and (ROOT / "notebooks/00_start_here.ipynb") in PATHS


def test_no_string_builders_left():
    assert sorted(p.name for p in (ROOT / "tools").glob("build_*.py")) == []


def test_one_jupytext_config_pairs_every_notebook_with_myst_markdown():
    config_file = find_jupytext_configuration_file(str(ROOT / "notebooks"))
    assert Path(config_file) == ROOT / "jupytext.toml"
    config = load_jupytext_configuration_file(config_file)
    for path in PATHS:  # what JupyterLab with Jupytext saves for each notebook
        assert config.default_formats(str(path)) == "ipynb,md:myst"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_notebook_and_text_twin_hold_the_same_cells(path):
    problem = pairs.pair_problem(path)
    assert problem is None, problem


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_stored_outputs_come_from_the_current_code(path):
    problem = pairs.stale_problem(path)
    assert problem is None, problem


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_metadata_is_the_same_on_every_machine(path):
    # The kernelspec ipykernel installs (read from the installed spec, not from our constant), so a
    # first save in JupyterLab changes nothing; no patch version of Python recorded.
    spec = KernelSpecManager().get_kernel_spec("python3")
    wanted = {"display_name": spec.display_name, "language": spec.language, "name": "python3"}
    nb = nbformat.read(path, as_version=4)
    text = jupytext.read(pairs.twin(path))
    assert nb.metadata["kernelspec"] == wanted
    assert text.metadata["kernelspec"] == wanted
    assert "version" not in nb.metadata.get("language_info", {})
    assert "jupytext" not in nb.metadata
    ids = [c.id for c in nb.cells]
    assert len(set(ids)) == len(ids)
    assert ids[0] == "navigation-top" and ids[-1] == "navigation-bottom"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_text_twin_is_readable_markdown_without_outputs(path):
    text = pairs.twin(path).read_text(encoding="utf-8")
    assert "```{code-cell} ipython3" in text
    assert '"outputs"' not in text and "image/png" not in text and "execution_count" not in text
    assert len(text) < 60_000  # prose and code only


def test_check_command_passes_on_the_committed_notebooks():
    out = subprocess.run(
        [sys.executable, str(ROOT / "tools/notebooks.py"), "check"], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stdout + out.stderr


# --- the checks fire, on a copy of one pair ------------------------------------------------------


@pytest.fixture
def pair(tmp_path):
    for suffix in (".ipynb", ".md"):
        shutil.copy(ROOT / "notebooks" / f"03_softmax{suffix}", tmp_path / f"03_softmax{suffix}")
    return tmp_path / "03_softmax.ipynb"


def first_index(nb, cell_type, contains):
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == cell_type and contains in c.source)


def edit_ipynb(path, change):
    nb = nbformat.read(path, as_version=4)
    change(nb)
    nbformat.write(nb, path)


def edit_md(path, old, new):
    md = pairs.twin(path)
    text = md.read_text(encoding="utf-8")
    assert old in text
    md.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_sentence_edited_only_in_the_ipynb_is_named_with_the_fix(pair):
    assert pairs.pair_problem(pair) is None and pairs.stale_problem(pair) is None
    nb = nbformat.read(pair, as_version=4)
    index = first_index(nb, "markdown", "## The equation")
    edit_ipynb(pair, lambda nb: setattr(nb.cells[index], "source", nb.cells[index].source + " Edited."))
    problem = pairs.pair_problem(pair)
    assert problem is not None
    assert "03_softmax.ipynb" in problem and "03_softmax.md" in problem
    assert f"cell {index + 1} " in problem and "## The equation" in problem and "source differs" in problem
    assert problem.endswith("Fix: make notebooks (it keeps the edited file and re-executes)")


def test_a_sentence_edited_only_in_the_md_is_named_too(pair):
    edit_md(pair, "## The equation", "## The equation, edited")
    problem = pairs.pair_problem(pair)
    assert problem is not None and "03_softmax.md" in problem and "Fix: make notebooks" in problem


@pytest.mark.parametrize("what", ["tags", "order", "type", "removed"])
def test_tags_order_type_and_count_are_compared(pair, what):
    def change(nb):
        code = first_index(nb, "code", "softmax_step")
        if what == "tags":
            nb.cells[code].metadata["tags"] = ["nbval-skip"]
        elif what == "order":
            nb.cells[code], nb.cells[code + 1] = nb.cells[code + 1], nb.cells[code]
        elif what == "type":
            nb.cells[code] = nbformat.v4.new_markdown_cell(nb.cells[code].source)
        else:
            del nb.cells[code]

    edit_ipynb(pair, change)
    assert pairs.pair_problem(pair) is not None


def test_code_changed_in_both_files_without_executing_is_stale(pair):
    # What JupyterLab with Jupytext saves when a code cell is edited and not re-run by `make notebooks`.
    nb = nbformat.read(pair, as_version=4)
    index = first_index(nb, "code", "softmax_step")
    nb.cells[index].source = nb.cells[index].source.replace("2", "1")
    nbformat.write(nb, pair)
    pairs.write_text(nb, pair)
    assert pairs.pair_problem(pair) is None
    problem = pairs.stale_problem(pair)
    assert problem is not None and "03_softmax.ipynb" in problem and "softmax_step" in problem
    assert problem.endswith("Fix: make notebooks")


def test_sync_keeps_the_edited_ipynb(pair):
    edit_ipynb(pair, lambda nb: setattr(nb.cells[1], "source", nb.cells[1].source + "\n\nA teacher's note."))
    os.utime(pair.with_suffix(".md"), (1, 1))  # outside git, the newer file is the edited one
    print(pairs.sync_one(pair))
    assert pairs.pair_problem(pair) is None
    assert "A teacher's note." in pair.with_suffix(".md").read_text(encoding="utf-8")


def test_sync_keeps_the_edited_md_with_outputs_and_ids(pair):
    before = nbformat.read(pair, as_version=4)
    edit_md(pair, "## The equation", "## The equation (edited as text)")
    os.utime(pair, (1, 1))
    pairs.sync_one(pair)
    after = nbformat.read(pair, as_version=4)
    assert pairs.pair_problem(pair) is None
    assert any("edited as text" in c.source for c in after.cells)
    assert [c.id for c in after.cells] == [c.id for c in before.cells]
    assert [c.get("outputs") for c in after.cells] == [c.get("outputs") for c in before.cells]


def test_a_cell_added_in_the_md_gets_an_id_made_from_its_content(pair, tmp_path):
    edit_md(pair, "## The equation", "A new paragraph.\n\n+++\n\n## The equation")
    os.utime(pair, (1, 1))
    other = tmp_path / "other"
    other.mkdir()
    for suffix in (".ipynb", ".md"):
        shutil.copy(pair.with_suffix(suffix), other / pair.with_suffix(suffix).name)
    pairs.sync_one(pair)
    pairs.sync_one(other / pair.name)
    ids = [c.id for c in nbformat.read(pair, as_version=4).cells]
    assert ids == [c.id for c in nbformat.read(other / pair.name, as_version=4).cells]
    assert len(set(ids)) == len(ids)


def test_widget_ids_follow_the_views_not_chance():
    nb = nbformat.read(ROOT / "notebooks/09_explorer.ipynb", as_version=4)
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    renamed = json.loads(json.dumps(nb).replace(next(iter(state)), "f" * 32))
    again = pairs.stable_widget_ids(nbformat.from_dict(renamed), "09_explorer")
    assert again == pairs.stable_widget_ids(nb, "09_explorer") == nb


# --- hostile input to the tool itself (issue 26) --------------------------------------------------


def run_main(monkeypatch, paths, *argv):
    monkeypatch.setattr(pairs, "notebook_paths", lambda folder=None: list(paths))
    return pairs.main(list(argv))


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_an_unknown_keep_value_is_refused_before_anything_is_written(pair, monkeypatch, capsys):
    # "--keep=ipnyb" (a typo) used to fall through to "the .md wins" and drop a cell added to the .ipynb
    edit_ipynb(pair, lambda nb: nb.cells.insert(2, nbformat.v4.new_markdown_cell("A teacher's new cell.")))
    before = snapshot(pair.parent)
    status = run_main(monkeypatch, [pair], "sync", "--keep=ipnyb")
    out = capsys.readouterr()
    assert status == 2
    assert "--keep" in out.err and "'ipnyb'" in out.err and "md" in out.err and "ipynb" in out.err
    assert "updated" not in out.out
    assert snapshot(pair.parent) == before


def test_execute_of_a_missing_notebook_is_one_line_and_runs_nothing(tmp_path, capsys):
    status = pairs.main(["execute", str(tmp_path / "nope.ipynb")])
    out = capsys.readouterr()
    assert status == 2
    assert out.err.count("\n") == 1 and "nope.ipynb" in out.err and "Traceback" not in out.err
    assert out.out == ""


@pytest.fixture
def conflicted(tmp_path):
    """Two pairs: 02 with git's merge-conflict markers in its .ipynb, 03 intact."""
    for stem in ("02_scores", "03_softmax"):
        for suffix in (".ipynb", ".md"):
            shutil.copy(ROOT / "notebooks" / f"{stem}{suffix}", tmp_path / f"{stem}{suffix}")
    broken = tmp_path / "02_scores.ipynb"
    text = broken.read_text(encoding="utf-8").splitlines(keepends=True)
    text[3:3] = ["<<<<<<< HEAD\n", '  "a": 1,\n', "=======\n", '  "a": 2,\n', ">>>>>>> other\n"]
    broken.write_text("".join(text), encoding="utf-8")
    return broken, tmp_path / "03_softmax.ipynb"


@pytest.mark.parametrize("command", ["check", "sync"])
def test_a_notebook_with_conflict_markers_is_one_line_and_the_others_are_still_done(
    conflicted, monkeypatch, capsys, command
):
    broken, intact = conflicted
    edit_md(intact, "## The equation", "## The equation, edited")  # something for the others to find
    os.utime(intact, (1, 1))
    before = broken.read_bytes()
    status = run_main(monkeypatch, [broken, intact], command)
    out = capsys.readouterr()
    assert status == 1
    said = out.out + out.err
    assert "Traceback" not in said and "NotJSONError" not in said
    lines = [line for line in said.splitlines() if "02_scores.ipynb" in line]
    assert len(lines) == 1 and "conflict" in lines[0]
    assert "03_softmax" in said  # the intact pair was still looked at
    assert broken.read_bytes() == before
    if command == "sync":
        assert pairs.pair_problem(intact) is None


def test_a_text_twin_with_conflict_markers_is_not_synced_as_prose(pair, monkeypatch, capsys):
    edit_md(pair, "## The equation", "<<<<<<< HEAD\n## The equation\n=======\n## An equation\n>>>>>>> other")
    os.utime(pair, (1, 1))
    before = snapshot(pair.parent)
    assert run_main(monkeypatch, [pair], "sync") == 1
    said = capsys.readouterr().err
    assert said.count("\n") == 1 and "03_softmax.md" in said and "conflict" in said
    assert snapshot(pair.parent) == before
