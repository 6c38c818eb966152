"""Write the navigation cells (previous | contents | next) of every numbered notebook,
the contents list of each edition's 00 notebook and each edition's list of notebooks in its
README (English: notebooks/, README.md; Portuguese: notebooks/pt/, LEIA-ME.md).

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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Edition:
    """One language's series: its folder, its first notebook (which holds the contents list),
    the word for "Contents", and the README that lists it."""
    folder: Path
    contents: str
    contents_word: str
    readme: Path


EDITIONS = (
    Edition(NOTEBOOKS, CONTENTS, "Contents", README),
    Edition(NOTEBOOKS / "pt", "00_comece_aqui.ipynb", "Sumário", ROOT / "LEIA-ME.md"),
)


def series(folder: Path = NOTEBOOKS) -> list[Path]:
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown" and NAV_TAG not in cell.metadata.get("tags", []):
            match = re.search(r"^#\s+(.+)$", cell.source, flags=re.M)
            if match:
                return match.group(1).strip()
    raise ValueError("notebook has no '# Title' heading in a Markdown cell")


def nav_text(paths: list[Path], index: int, titles: dict[str, str], edition: Edition = EDITIONS[0]) -> str:
    parts = []
    if index > 0:
        prev = paths[index - 1].name
        parts.append(f"[← {titles[prev]}]({prev})")
    parts.append(f"[{edition.contents_word}]({edition.contents})")
    if index + 1 < len(paths):
        nxt = paths[index + 1].name
        parts.append(f"[{titles[nxt]} →]({nxt})")
    return " | ".join(parts)


def contents_text(paths: list[Path], titles: dict[str, str], edition: Edition = EDITIONS[0]) -> str:
    lines = [f"## {edition.contents_word}", ""]
    for path in paths:
        if path.name != edition.contents:
            lines.append(f"- [{titles[path.name]}]({path.name})")
    return "\n".join(lines)


def readme_text(paths: list[Path], titles: dict[str, str], edition: Edition = EDITIONS[0]) -> str:
    where = edition.folder.relative_to(ROOT).as_posix()
    listing = "".join(f"- [{titles[p.name]}]({where}/{p.name})\n" for p in paths)
    text = edition.readme.read_text(encoding="utf-8")
    return README_BLOCK.sub(lambda m: m.group(1) + listing + m.group(2), text)


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


def update_edition(edition: Edition, check: bool) -> tuple[int, list[str]]:
    """Rewrite (or, with `check`, only compare) one edition's navigation; return how many
    notebooks it has and which files were out of date."""
    paths = series(edition.folder)
    notebooks = {p.name: nbformat.read(p, as_version=4) for p in paths}
    titles = {name: title(nb) for name, nb in notebooks.items()}
    stale = []
    for index, path in enumerate(paths):
        nb = notebooks[path.name]
        before = nbformat.writes(nb)
        contents = contents_text(paths, titles, edition) if path.name == edition.contents else None
        after_nb = updated(nb, nav_text(paths, index, titles, edition), contents)
        after = nbformat.writes(after_nb)
        if before != after:
            stale.append(pairs.rel(path))
            if not check:
                pairs.write_notebook(after_nb, path)
                pairs.write_text(after_nb, path)
    readme = readme_text(paths, titles, edition)
    if readme != edition.readme.read_text(encoding="utf-8"):
        stale.append(edition.readme.name)
        if not check:
            edition.readme.write_text(readme, encoding="utf-8")
    return len(paths), stale


def main(argv: list[str]) -> int:
    check = "--check" in argv
    count, stale = 0, []
    for edition in EDITIONS:
        n, out_of_date = update_edition(edition, check)
        count, stale = count + n, stale + out_of_date
    if check and stale:
        print("navigation out of date in: " + ", ".join(stale) + " (run: make navigation)")
        return 1
    print(("checked " if check else "wrote ") + f"navigation of {count} notebook(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
