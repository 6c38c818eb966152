"""Write the navigation cells (previous | contents | next) of every numbered notebook,
the contents list of 00_start_here and the README's list of notebooks.

    python tools/navigation.py          # rewrite the cells
    python tools/navigation.py --check  # exit 1 if any notebook is out of date

Notebooks are found by glob (notebooks/NN_*.ipynb), titles read from each one's first
Markdown heading, so a new notebook joins the series by being saved with a number. A notebook
whose cells change is written with its MyST Markdown twin (tools/notebooks.py), so the pair stays
in step.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import notebooks as pairs  # noqa: E402  (tools/notebooks.py: the notebook <-> text pairing)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"
README_BLOCK = re.compile(r"(<!-- notebooks:start -->\n).*?(<!-- notebooks:end -->)", re.S)
CONTENTS = "00_start_here.ipynb"
NAV_TAG = "navigation"
CONTENTS_TAG = "contents"


def series(folder: Path = NOTEBOOKS) -> list[Path]:
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown" and NAV_TAG not in cell.metadata.get("tags", []):
            match = re.search(r"^#\s+(.+)$", cell.source, flags=re.M)
            if match:
                return match.group(1).strip()
    raise ValueError("notebook has no '# Title' heading in a Markdown cell")


def nav_text(paths: list[Path], index: int, titles: dict[str, str]) -> str:
    parts = []
    if index > 0:
        prev = paths[index - 1].name
        parts.append(f"[← {titles[prev]}]({prev})")
    parts.append(f"[Contents]({CONTENTS})")
    if index + 1 < len(paths):
        nxt = paths[index + 1].name
        parts.append(f"[{titles[nxt]} →]({nxt})")
    return " | ".join(parts)


def contents_text(paths: list[Path], titles: dict[str, str]) -> str:
    lines = ["## Contents", ""]
    for path in paths:
        if path.name != CONTENTS:
            lines.append(f"- [{titles[path.name]}]({path.name})")
    return "\n".join(lines)


def readme_text(paths: list[Path], titles: dict[str, str]) -> str:
    listing = "".join(f"- [{titles[p.name]}](notebooks/{p.name})\n" for p in paths)
    return README_BLOCK.sub(lambda m: m.group(1) + listing + m.group(2), README.read_text(encoding="utf-8"))


def _nav_cell(text: str, where: str):
    cell = nbformat.v4.new_markdown_cell(text, metadata={"tags": [NAV_TAG]})
    cell.id = f"navigation-{where}"  # fixed ids: rewriting the same links changes nothing
    return cell


def updated(nb, text: str, contents: str | None):
    """The notebook with exactly one nav cell first and one last (and the contents list)."""
    cells = [c for c in nb.cells if NAV_TAG not in c.metadata.get("tags", [])]
    if contents is not None:
        for cell in cells:
            if CONTENTS_TAG in cell.metadata.get("tags", []):
                cell.source = contents
    nb.cells = [_nav_cell(text, "top"), *cells, _nav_cell(text, "bottom")]
    return nb


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = series()
    notebooks = {p.name: nbformat.read(p, as_version=4) for p in paths}
    titles = {name: title(nb) for name, nb in notebooks.items()}
    stale = []
    for index, path in enumerate(paths):
        nb = notebooks[path.name]
        before = nbformat.writes(nb)
        contents = contents_text(paths, titles) if path.name == CONTENTS else None
        after_nb = updated(nb, nav_text(paths, index, titles), contents)
        after = nbformat.writes(after_nb)
        if before != after:
            stale.append(path.name)
            if not check:
                pairs.write_notebook(after_nb, path)
                pairs.write_text(after_nb, path)
    readme = readme_text(paths, titles)
    if readme != README.read_text(encoding="utf-8"):
        stale.append(README.name)
        if not check:
            README.write_text(readme, encoding="utf-8")
    if check and stale:
        print("navigation out of date in: " + ", ".join(stale) + " (run: make navigation)")
        return 1
    print(("checked " if check else "wrote ") + f"navigation of {len(paths)} notebook(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
