"""Every numbered notebook opens and ends with navigation that resolves, and the README lists it."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LINK = re.compile(r"\]\(([^)\s]+)\)")


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_start_here_exists():
    assert (ROOT / "notebooks/00_start_here.ipynb") in NOTEBOOKS


def test_navigation_is_up_to_date():
    out = subprocess.run([sys.executable, str(ROOT / "tools/navigation.py"), "--check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_and_last_cells_navigate_and_resolve(path):
    nb_cells = cells(path)
    for cell in (nb_cells[0], nb_cells[-1]):
        assert "navigation" in cell["metadata"].get("tags", [])
        source = "".join(cell["source"])
        targets = LINK.findall(source)
        assert "00_start_here.ipynb" in targets
        for target in targets:
            assert (path.parent / target).is_file(), f"{path.name}: broken link {target}"
    index = NOTEBOOKS.index(path)
    top = "".join(nb_cells[0]["source"])
    if index > 0:
        assert NOTEBOOKS[index - 1].name in top
    if index + 1 < len(NOTEBOOKS):
        assert NOTEBOOKS[index + 1].name in top


def test_contents_lists_every_notebook():
    contents = [c for c in cells(ROOT / "notebooks/00_start_here.ipynb")
                if "contents" in c["metadata"].get("tags", [])]
    assert len(contents) == 1
    listed = LINK.findall("".join(contents[0]["source"]))
    assert listed == [p.name for p in NOTEBOOKS if p.name != "00_start_here.ipynb"]


def test_readme_lists_every_notebook():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- notebooks:start -->")[1].split("<!-- notebooks:end -->")[0]
    assert LINK.findall(block) == [f"notebooks/{p.name}" for p in NOTEBOOKS]
