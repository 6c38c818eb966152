"""Every numbered notebook of each edition (English: notebooks/, Portuguese: notebooks/pt/) opens
and ends with navigation that resolves, its 00 notebook lists it, and so does its README
(README.md, LEIA-ME.md)."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import navigation  # noqa: E402

LINK = re.compile(r"\]\(([^)\s]+)\)")
EDITIONS = {edition.folder.relative_to(ROOT).as_posix(): edition for edition in navigation.EDITIONS}
NOTEBOOKS = [(name, path) for name, edition in EDITIONS.items() for path in navigation.series(edition.folder)]


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_each_edition_has_its_first_notebook():
    assert (ROOT / "notebooks/00_start_here.ipynb") in navigation.series(ROOT / "notebooks")
    assert (ROOT / "notebooks/pt/00_comece_aqui.ipynb") in navigation.series(ROOT / "notebooks/pt")


def test_navigation_is_up_to_date():
    out = subprocess.run([sys.executable, str(ROOT / "tools/navigation.py"), "--check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("edition, path", NOTEBOOKS, ids=lambda x: x if isinstance(x, str) else x.name)
def test_first_and_last_cells_navigate_and_resolve(edition, path):
    series = navigation.series(EDITIONS[edition].folder)
    contents = EDITIONS[edition].contents
    nb_cells = cells(path)
    for cell in (nb_cells[0], nb_cells[-1]):
        assert "navigation" in cell["metadata"].get("tags", [])
        source = "".join(cell["source"])
        assert f"[{EDITIONS[edition].contents_word}]({contents})" in source
        for target in LINK.findall(source):
            assert (path.parent / target).is_file(), f"{path.name}: broken link {target}"
    index = series.index(path)
    top = "".join(nb_cells[0]["source"])
    if index > 0:
        assert series[index - 1].name in top
    if index + 1 < len(series):
        assert series[index + 1].name in top


@pytest.mark.parametrize("edition", EDITIONS)
def test_contents_lists_every_notebook(edition):
    folder, first = EDITIONS[edition].folder, EDITIONS[edition].contents
    contents = [c for c in cells(folder / first) if "contents" in c["metadata"].get("tags", [])]
    assert len(contents) == 1
    listed = LINK.findall("".join(contents[0]["source"]))
    assert listed == [p.name for p in navigation.series(folder) if p.name != first]


@pytest.mark.parametrize("edition", EDITIONS)
def test_readme_lists_every_notebook(edition):
    readme = EDITIONS[edition].readme.read_text(encoding="utf-8")
    block = readme.split("<!-- notebooks:start -->")[1].split("<!-- notebooks:end -->")[0]
    assert LINK.findall(block) == [f"{edition}/{p.name}" for p in navigation.series(EDITIONS[edition].folder)]


def test_portuguese_navigation_is_in_portuguese():
    top = "".join(cells(ROOT / "notebooks/pt/03_softmax.ipynb")[0]["source"])
    assert top == (
        "[← 02 · Scores: quanto uma query combina com uma key](02_scores.ipynb) | "
        "[Sumário](00_comece_aqui.ipynb) | "
        "[04 · Combinando os values: a saída da autoatenção →](04_combinando_values.ipynb)"
    )


def test_both_first_notebooks_link_the_glossary_and_each_other():
    english = "".join("".join(c["source"]) for c in cells(ROOT / "notebooks/00_start_here.ipynb"))
    portuguese = "".join("".join(c["source"]) for c in cells(ROOT / "notebooks/pt/00_comece_aqui.ipynb"))
    assert "](../GLOSSARIO.md)" in english and "](pt/00_comece_aqui.ipynb)" in english
    assert "](../../GLOSSARIO.md)" in portuguese and "](../00_start_here.ipynb)" in portuguese
    assert (ROOT / "GLOSSARIO.md").is_file()


def test_leia_me_is_linked_from_the_readme_and_opens_the_portuguese_edition():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    leia_me = (ROOT / "LEIA-ME.md").read_text(encoding="utf-8")
    assert "](LEIA-ME.md)" in readme.split("## ")[0]  # at the top, before the first section
    badge = re.search(r"\(https://mybinder\.org/v2/gh/([^)]+)\)", leia_me).group(1)
    english_badge = re.search(r"\(https://mybinder\.org/v2/gh/([^)]+)\)", readme).group(1)
    assert badge == english_badge.replace("notebooks/00_start_here.ipynb", "notebooks/pt/00_comece_aqui.ipynb")
    assert (ROOT / badge.split("urlpath=lab/tree/")[1]).is_file()
    assert "make lab-pt" in leia_me and "make test" in leia_me
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^lab-pt:.*\n\t.*notebooks/pt/00_comece_aqui\.ipynb\)?$", makefile, re.M)


# --- hostile names and titles, unreadable notebooks (issue 26) ------------------------------------

import shutil  # noqa: E402

import nbformat  # noqa: E402
from markdown_it import MarkdownIt  # noqa: E402


def copy_edition(folder, stems=("00_start_here", "01_projections", "02_scores")):
    folder.mkdir()
    for stem in stems:
        for suffix in (".ipynb", ".md"):
            shutil.copy(ROOT / "notebooks" / f"{stem}{suffix}", folder / f"{stem}{suffix}")
    readme = folder.parent / f"README-{folder.name}.md"
    readme.write_text("# Course\n\n<!-- notebooks:start -->\n<!-- notebooks:end -->\n", encoding="utf-8")
    return navigation.Edition(folder, "00_start_here.ipynb", "Contents", readme)


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def links(markdown):
    """(text, href) of every link as a CommonMark renderer reads the Markdown."""
    found = []
    for block in MarkdownIt().parse(markdown):
        children = block.children or []
        for k, token in enumerate(children):
            if token.type == "link_open":
                end = next(m for m in range(k, len(children)) if children[m].type == "link_close")
                found.append(("".join(t.content for t in children[k + 1 : end]), token.attrs["href"]))
    return found


def test_a_title_with_brackets_is_one_link_with_its_literal_text(tmp_path):
    edition = copy_edition(tmp_path / "series")
    path = edition.folder / "01_projections.ipynb"
    nb = nbformat.read(path, as_version=4)
    heading = next(c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("# "))
    heading.source = "# 01 · Projections [draft] \\ [x\n" + heading.source.split("\n", 1)[-1]
    nbformat.write(nb, path)
    navigation.update_edition(edition, check=False)
    nav = "".join(cells(edition.folder / "02_scores.ipynb")[0]["source"])
    assert links(nav)[0] == ("← 01 · Projections [draft] \\ [x", "01_projections.ipynb")
    contents = [
        c for c in cells(edition.folder / "00_start_here.ipynb") if "contents" in c["metadata"].get("tags", [])
    ][0]
    assert ("01 · Projections [draft] \\ [x", "01_projections.ipynb") in links("".join(contents["source"]))
    readme = edition.readme.read_text(encoding="utf-8")
    assert ("01 · Projections [draft] \\ [x", "series/01_projections.ipynb") in links(readme)


def test_a_file_name_with_a_space_is_refused_and_nothing_is_written(tmp_path):
    edition = copy_edition(tmp_path / "series")
    for suffix in (".ipynb", ".md"):
        (edition.folder / f"02_scores{suffix}").rename(edition.folder / f"02_my scores{suffix}")
    before = snapshot(edition.folder)
    with pytest.raises(ValueError, match=r"(space|letters).*'02_my scores\.ipynb'"):
        navigation.update_edition(edition, check=False)
    assert snapshot(edition.folder) == before


def test_a_notebook_with_conflict_markers_is_one_line_and_the_rest_is_still_checked(tmp_path, monkeypatch, capsys):
    broken_edition = copy_edition(tmp_path / "one")
    other = copy_edition(tmp_path / "two")
    broken = broken_edition.folder / "01_projections.ipynb"
    lines = broken.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3:3] = ["<<<<<<< HEAD\n", "=======\n", ">>>>>>> theirs\n"]
    broken.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setattr(navigation, "EDITIONS", (broken_edition, other))
    before = snapshot(broken_edition.folder)
    status = navigation.main(["--check"])
    said = capsys.readouterr()
    text = said.out + said.err
    assert status == 1 and "Traceback" not in text
    named = [line for line in text.splitlines() if "01_projections.ipynb" in line and "one" in line]
    assert len(named) == 1 and "conflict" in named[0]
    assert "README-two.md" in text  # the other edition (its README is out of date) was still checked
    assert snapshot(broken_edition.folder) == before
