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

import os
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


# A file name goes into Markdown links as it is: spaces, brackets or parentheses would break them.
LINKABLE_NAME = re.compile(r"^[0-9][0-9]_[\w.-]+\.ipynb$")


def series(folder: Path = NOTEBOOKS) -> list[Path]:
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def check_names(paths: list[Path]) -> None:
    bad = [p.name for p in paths if not LINKABLE_NAME.match(p.name)]
    if bad:
        raise ValueError(
            f"{pairs.rel(paths[0].parent)}: a notebook's file name becomes a link, so it must be "
            f"NN_words.ipynb with letters, digits, '_', '.' or '-' only (no spaces, brackets "
            f"or parentheses); got {', '.join(repr(b) for b in bad)}. Rename it; nothing was written."
        )


def link_text(title: str) -> str:
    """A title as Markdown link text that reads as itself: brackets and backslashes escaped."""
    return re.sub(r"([\\\[\]])", r"\\\1", title)


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
        parts.append(f"[← {link_text(titles[prev])}]({prev})")
    parts.append(f"[{edition.contents_word}]({edition.contents})")
    if index + 1 < len(paths):
        nxt = paths[index + 1].name
        parts.append(f"[{link_text(titles[nxt])} →]({nxt})")
    return " | ".join(parts)


def contents_text(paths: list[Path], titles: dict[str, str], edition: Edition = EDITIONS[0]) -> str:
    lines = [f"## {edition.contents_word}", ""]
    for path in paths:
        if path.name != edition.contents:
            lines.append(f"- [{link_text(titles[path.name])}]({path.name})")
    return "\n".join(lines)


def readme_text(paths: list[Path], titles: dict[str, str], edition: Edition = EDITIONS[0]) -> str:
    where = Path(os.path.relpath(edition.folder, edition.readme.parent)).as_posix()
    listing = "".join(f"- [{link_text(titles[p.name])}]({where}/{p.name})\n" for p in paths)
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


def update_edition(edition: Edition, check: bool) -> tuple[int, list[str], list[str]]:
    """Rewrite (or, with `check`, only compare) one edition's navigation; return how many
    notebooks it has, which files were out of date and which could not be read (a ValueError
    instead when writing: nothing is written for a series with a notebook not read)."""
    paths = series(edition.folder)
    check_names(paths)
    notebooks, unreadable = {}, []
    for path in paths:
        try:
            notebooks[path.name] = pairs.read_notebook(path)
        except pairs.Unreadable as exc:
            unreadable.append(str(exc))
    if unreadable and not check:  # nothing written half: the series' links need every title
        raise ValueError("\n".join(unreadable))
    titles = {name: title(nb) for name, nb in notebooks.items()}
    stale = []
    for index, path in enumerate(paths):
        # with --check, a notebook is still compared unless its links need a title not read
        needs = paths if path.name == edition.contents else paths[max(index - 1, 0) : index + 2]
        if any(p.name not in titles for p in needs):
            continue
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
    if unreadable:
        return len(paths), stale, unreadable
    readme = readme_text(paths, titles, edition)
    if readme != edition.readme.read_text(encoding="utf-8"):
        stale.append(edition.readme.name)
        if not check:
            edition.readme.write_text(readme, encoding="utf-8")
    return len(paths), stale, []


def main(argv: list[str]) -> int:
    check = "--check" in argv
    count, stale = 0, []
    problems = []
    for edition in EDITIONS:
        try:
            n, out_of_date, unreadable = update_edition(edition, check)
        except ValueError as exc:  # a name that cannot be a link, an unreadable notebook: the
            problems.append(str(exc))  # other edition is still done
            continue
        count, stale, problems = count + n, stale + out_of_date, problems + unreadable
    if problems:
        print("\n".join(problems), file=sys.stderr)
    if check and stale:
        print("navigation out of date in: " + ", ".join(stale) + " (run: make navigation)")
        return 1
    print(("checked " if check else "wrote ") + f"navigation of {count} notebook(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
