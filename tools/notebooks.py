"""Keep every notebook and its MyST Markdown twin in step, and execute the notebooks.

Each `notebooks/**/NN_name.ipynb` has a twin `NN_name.md` (paired by the root `jupytext.toml`):
the `.md` is what people read and review (prose as Markdown, code in `{code-cell}` blocks, no
outputs); the `.ipynb` holds the same cells plus the stored outputs that nbval compares.

    python tools/notebooks.py sync               # make each pair agree (see `sync` below)
    python tools/notebooks.py execute [PATH...]  # run in a fresh kernel, store outputs (all if none)
    python tools/notebooks.py check              # exit 1 and say what to do if a pair disagrees
                                                 # or a notebook's outputs are older than its code

`make notebooks` runs sync, the navigation, then execute on every notebook.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from jupytext.combine import combine_inputs_with_outputs

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TEXT_FORMAT = "md:myst"
FIX = "make notebooks"
# The kernelspec ipykernel installs: JupyterLab writes exactly this on a first save.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
# Where `execute` records which code it ran (one short digest per code cell, in order).
RECORD_KEY = "selfattn"
WIDGET_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")


def notebook_paths(folder: Path = NOTEBOOKS) -> list[Path]:
    found = {p.with_suffix("") for p in folder.rglob("*.ipynb")} | {p.with_suffix("") for p in folder.rglob("*.md")}
    return sorted(p.with_suffix(".ipynb") for p in found if ".ipynb_checkpoints" not in p.parts)


def twin(path: Path) -> Path:
    return path.with_suffix(".md")


def rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


# --- what "the same cells" means ---------------------------------------------------------------


def cell_key(cell) -> tuple:
    """What the two files must agree on: type, source, tags and the collapsed flags."""
    meta = cell.get("metadata", {})
    jupyter = meta.get("jupyter", {})
    return (
        cell["cell_type"],
        cell["source"],
        tuple(meta.get("tags", [])),
        bool(jupyter.get("source_hidden")),
        bool(jupyter.get("outputs_hidden")),
    )


def describe(cell) -> str:
    first = next((line for line in cell["source"].splitlines() if line.strip()), "(empty)")
    first = first if len(first) <= 70 else first[:67] + "..."
    return f"{cell['cell_type']} cell {first!r}"


def first_difference(a_cells, b_cells) -> tuple[int, str]:
    """Index of the first cell where the two lists differ, and what differs there."""
    for index, (a, b) in enumerate(zip(a_cells, b_cells)):
        ka, kb = cell_key(a), cell_key(b)
        if ka != kb:
            what = (
                "type"
                if ka[0] != kb[0]
                else "source"
                if ka[1] != kb[1]
                else "tags"
                if ka[2] != kb[2]
                else "collapsed flags"
            )
            return index, what
    return min(len(a_cells), len(b_cells)), "number of cells"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def code_digests(nb) -> list[str]:
    return [digest(c.source) for c in nb.cells if c.cell_type == "code"]


# --- reading and writing -----------------------------------------------------------------------


class Unreadable(ValueError):
    """A notebook or twin that is not a notebook at all: one line naming it, never a traceback."""


def read_notebook(path: Path):
    try:
        return nbformat.read(path, as_version=4)
    except Exception as exc:  # NotJSONError, a bad schema, undecodable bytes: all say the same
        raise Unreadable(
            f"{rel(path)}: not a readable notebook ({_first_line(exc)}){_conflict(path)}. "
            f"Fix it by hand (or take it from git), then run {FIX}"
        ) from None


def read_text_twin(path: Path):
    # Markdown reads anything: conflict markers would pass as prose and win a sync
    conflict = _conflict(path)
    try:
        text = jupytext.read(path, fmt=TEXT_FORMAT)
    except Exception as exc:
        raise Unreadable(
            f"{rel(path)}: not readable MyST Markdown ({_first_line(exc)}){conflict}. "
            f"Fix it by hand (or take it from git), then run {FIX}"
        ) from None
    if conflict:
        raise Unreadable(
            f"{rel(path)}: not taken as it is{conflict}. Fix it by hand (or take it from git), then run {FIX}"
        )
    return text


def _first_line(exc: Exception) -> str:
    line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return line if len(line) <= 100 else line[:97] + "..."


def _conflict(path: Path) -> str:
    """Names git's merge-conflict markers when the file has them: the likely cause."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    if any(line.startswith(("<<<<<<< ", ">>>>>>> ")) or line == "=======" for line in lines):
        return "; it holds git's merge-conflict markers (<<<<<<<, =======, >>>>>>>): a merge left unresolved"
    return ""


def read_pair(path: Path):
    nb = read_notebook(path) if path.exists() else None
    text = read_text_twin(twin(path)) if twin(path).exists() else None
    return nb, text


def write_text(nb, path: Path) -> bool:
    """Write the `.md` twin of `nb`; True if its content changed."""
    new = jupytext.writes(nb, fmt=TEXT_FORMAT)
    old = twin(path).read_text(encoding="utf-8") if twin(path).exists() else None
    if new != old:
        twin(path).write_text(new, encoding="utf-8")
    return new != old


def stable_ids(nb, name: str) -> None:
    """Give a cell without an id, or with a clashing one, an id made from its notebook and content,
    so two maintainers who add the same cell get the same file."""
    seen = set()
    for index, cell in enumerate(nb.cells):
        if not cell.get("id") or cell.id in seen:
            cell.id = digest(f"{name}\n{index}\n{cell.source}")[:8]
        seen.add(cell.id)


def normalise(nb, name: str) -> None:
    """Metadata that does not change from one maintainer's machine or save to the next."""
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata.pop("jupytext", None)  # the pairing lives in jupytext.toml, not in each file
    info = nb.metadata.get("language_info")
    if info:
        info.pop("version", None)  # 3.11.7 on one machine, 3.11.9 on the next
    stable_ids(nb, name)


def write_notebook(nb, path: Path) -> bool:
    normalise(nb, path.stem)
    new = nbformat.writes(nb) + "\n"
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if new != old:
        path.write_text(new, encoding="utf-8")
        if twin(path).exists():
            # Jupytext in JupyterLab warns (or refuses, if they differ) when the .ipynb is newer
            # than its text twin: the twin is touched whenever the notebook is written.
            os.utime(twin(path))
    return new != old


# --- sync --------------------------------------------------------------------------------------


def committed_cells(path: Path):
    """The cells of `path` as last committed, or None outside git or for a new file."""
    if not path.is_relative_to(ROOT):
        return None
    out = subprocess.run(
        ["git", "show", f"HEAD:{path.relative_to(ROOT).as_posix()}"], cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode != 0:
        return None
    nb = (
        nbformat.reads(out.stdout, as_version=4)
        if path.suffix == ".ipynb"
        else jupytext.reads(out.stdout, fmt=TEXT_FORMAT)
    )
    return [cell_key(c) for c in nb.cells]


def edited_side(path: Path, nb, text) -> str:
    """Which file of a disagreeing pair was edited: the one that differs from the last commit;
    if both or neither do, the newer file."""
    old_nb, old_text = committed_cells(path), committed_cells(twin(path))
    nb_changed = old_nb is None or old_nb != [cell_key(c) for c in nb.cells]
    text_changed = old_text is None or old_text != [cell_key(c) for c in text.cells]
    if nb_changed != text_changed:
        return "ipynb" if nb_changed else "md"
    return "ipynb" if path.stat().st_mtime > twin(path).stat().st_mtime else "md"


def sync_one(path: Path, keep: str | None = None) -> str:
    nb, text = read_pair(path)
    if nb is None and text is None:
        raise FileNotFoundError(path)
    if text is None:
        write_text(nb, path)
        return f"{rel(twin(path))}: written from the notebook"
    if nb is None:
        write_notebook(text, path)
        return f"{rel(path)}: new notebook written from {twin(path).name} (not executed yet)"
    if [cell_key(c) for c in nb.cells] == [cell_key(c) for c in text.cells]:
        changed = write_notebook(nb, path) | write_text(nb, path)
        return f"{rel(path)}: in step" + (" (metadata normalised)" if changed else "")
    side = keep or edited_side(path, nb, text)
    if side == "ipynb":
        write_notebook(nb, path)
        write_text(nb, path)
        return f"{rel(twin(path))}: updated from the edited {path.name}"
    for cell in text.cells:
        cell.id = ""  # a cell matched in the notebook keeps its id; a new one gets a stable_ids id
    combined = combine_inputs_with_outputs(text, nb, fmt=TEXT_FORMAT)
    write_notebook(combined, path)
    write_text(combined, path)
    return f"{rel(path)}: updated from the edited {twin(path).name} (outputs kept; execute to refresh)"


# --- check -------------------------------------------------------------------------------------


def pair_problem(path: Path) -> str | None:
    """None if the notebook and its text twin hold the same cells; else what differs and the fix."""
    nb, text = read_pair(path)
    if text is None:
        return f"{rel(path)} has no text twin {twin(path).name}. Fix: {FIX}"
    if nb is None:
        return f"{rel(twin(path))} has no notebook {path.name} (a new notebook?). Fix: {FIX}"
    index, what = first_difference(nb.cells, text.cells)
    if index == len(nb.cells) == len(text.cells):
        return None
    shown = nb.cells[index] if index < len(nb.cells) else text.cells[index]
    return (
        f"{rel(path)} and {twin(path).name} disagree at cell {index + 1} ({describe(shown)}): "
        f"{what} differs ({len(nb.cells)} cells in the .ipynb, {len(text.cells)} in the .md). "
        f"One was edited without the other. Fix: {FIX} (it keeps the edited file and re-executes)"
    )


def stale_problem(path: Path) -> str | None:
    """None if every code cell's stored output came from its current source."""
    nb = read_notebook(path)
    recorded = nb.metadata.get(RECORD_KEY, {}).get("executed_code")
    code = [c for c in nb.cells if c.cell_type == "code"]
    if recorded is None:
        return f"{rel(path)} was not executed by `{FIX}` (no record of the code it ran). Fix: {FIX}"
    for index, (cell, was) in enumerate(zip(code, recorded)):
        if digest(cell.source) != was:
            return (
                f"{rel(path)}: code cell {index + 1} ({describe(cell)}) changed since the notebook "
                f"was executed; its stored outputs are older than its source. Fix: {FIX}"
            )
    if len(code) != len(recorded):
        return f"{rel(path)}: {len(code)} code cells now, {len(recorded)} when it was executed. Fix: {FIX}"
    return None


# --- execute -----------------------------------------------------------------------------------


def stable_widget_ids(nb, name: str):
    """Replace the random widget model ids by ids derived from the notebook name and the order in
    which the views reach them, so re-executing a notebook does not rewrite its widget state."""
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    if not state:
        return nb
    shown = [
        out["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in out.get("data", {})
    ]
    order, queue = [], list(shown)
    while queue:
        model = queue.pop(0)
        if model in state and model not in order:
            order.append(model)
            queue.extend(WIDGET_ID.findall(json.dumps(state[model], sort_keys=True)))
    masked = {m: WIDGET_ID.sub("ID", json.dumps(state[m], sort_keys=True)) for m in state if m not in order}
    order += sorted(masked, key=masked.get)  # models no view reaches: ordered by what they hold
    mapping = {m: hashlib.sha256(f"{name}:{i}".encode()).hexdigest()[:32] for i, m in enumerate(order)}
    text = WIDGET_ID.sub(lambda m: mapping.get(m.group(0), m.group(0)), json.dumps(nb))
    return nbformat.from_dict(json.loads(text))


def execute(path: Path, timeout: int = 300) -> float:
    """Run the notebook top to bottom in a fresh kernel and store outputs and widget state.
    Cells tagged `raises-exception` may raise; any other error stops with a message."""
    from nbclient import NotebookClient

    nb = read_notebook(path)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,
        coalesce_streams=True,  # one stream output per cell, however it was flushed
        record_timing=False,
    )  # timestamps would change on every run
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    nb = stable_widget_ids(nb, path.stem)
    nb.metadata[RECORD_KEY] = {"executed_code": code_digests(nb)}
    write_notebook(nb, path)
    write_text(nb, path)  # a new notebook's twin learns its kernel's language (`ipython3` cells)
    return elapsed


# --- command line ------------------------------------------------------------------------------

KEEP_CHOICES = ("md", "ipynb")


def each(paths, work) -> list[str]:
    """work(path) for every path; an unreadable file is one line and the others are still done."""
    problems = []
    for path in paths:
        try:
            said = work(path)
        except Unreadable as exc:
            problems.append(str(exc))
            continue
        if said:
            print(said)
    return problems


def main(argv: list[str]) -> int:
    command, args = (argv[0], argv[1:]) if argv else ("check", [])
    if command == "sync":
        keep = next((a.split("=", 1)[1] for a in args if a.startswith("--keep=")), None)
        if keep is not None and keep not in KEEP_CHOICES:  # a typo must not choose for the user
            print(
                f"--keep (make: KEEP=) must be 'md' or 'ipynb' (the file whose cells win); "
                f"got {keep!r}. Nothing was written.",
                file=sys.stderr,
            )
            return 2
        problems = each(notebook_paths(), lambda path: sync_one(path, keep))
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    if command == "execute":
        paths = [Path(a).resolve() for a in args] or notebook_paths()
        missing = [rel(p) for p in paths if not p.is_file()]
        if missing:  # before any kernel starts: none is executed
            print(f"execute: no such notebook: {', '.join(missing)}. Nothing was executed.", file=sys.stderr)
            return 2
        total, problems = 0.0, []
        for path in paths:
            try:
                elapsed = execute(path)
            except Unreadable as exc:  # the others are still executed
                problems.append(str(exc))
                print(exc, file=sys.stderr)
                continue
            total += elapsed
            print(f"{rel(path)}: executed in {elapsed:.1f} s", flush=True)
        print(f"all {len(paths) - len(problems)} notebook(s): {total:.1f} s")
        return 1 if problems else 0
    if command == "check":
        problems = []
        for path in notebook_paths():
            try:
                found = [pair_problem(path), stale_problem(path) if path.exists() else None]
            except Unreadable as exc:
                found = [str(exc)]
            problems += [p for p in found if p]
        print("\n".join(problems) or f"{len(notebook_paths())} notebook pair(s) in step and executed")
        return 1 if problems else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
