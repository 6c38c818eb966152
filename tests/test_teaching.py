"""The teacher's guides (issue 15): TEACHING.md and ENSINO.md exist, link each other, are linked
from README.md and LEIA-ME.md, and name every notebook of their edition. Also the order of the
passages issue 15 moved: in 07 the labelling exercise comes before the audit's table that answers
it, and 06 and 07 link each other's reading of Proposition 1."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDES = [  # (guide, its edition's notebooks, the other guide, the README that links it)
    ("TEACHING.md", ROOT / "notebooks", "ENSINO.md", "README.md"),
    ("ENSINO.md", ROOT / "notebooks" / "pt", "TEACHING.md", "LEIA-ME.md"),
]


@pytest.mark.parametrize("guide, folder, other, readme", GUIDES)
def test_each_guide_names_every_notebook_of_its_edition(guide, folder, other, readme):
    text = (ROOT / guide).read_text(encoding="utf-8")
    links = set(re.findall(r"\]\(([^)#]+)", text))
    notebooks = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    assert len(notebooks) >= 13
    for notebook in notebooks:
        assert str(notebook.relative_to(ROOT)) in links, (guide, notebook.name)
    for link in links:  # and every link points at something that exists
        if not link.startswith("http"):
            assert (ROOT / link).exists(), (guide, link)
    assert other in links, f"{guide} does not link {other}"
    assert guide in set(re.findall(r"\]\(([^)#]+)", (ROOT / readme).read_text(encoding="utf-8"))), readme


@pytest.mark.parametrize("guide", ["TEACHING.md", "ENSINO.md"])
def test_each_guide_has_the_parts_a_teacher_needs(guide):
    text = (ROOT / guide).read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert len(headings) >= 6, headings  # prerequisites, notebooks, plans, questions, explorer, adapting
    for command in ("tools/notebooks.py sync", "tools/navigation.py", "tools/notebooks.py execute"):
        assert command in text, (guide, command)


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize(
    "path", ["notebooks/07_checking_the_chapter.ipynb", "notebooks/pt/07_conferindo_o_capitulo.ipynb"]
)
def test_07_asks_for_the_labels_before_showing_them(path):
    sources = ["".join(c["source"]) for c in _cells(ROOT / path) if c["cell_type"] == "code"]
    ask = next(k for k, s in enumerate(sources) if "audit.check_labels(my_labels" in s)
    table = next(k for k, s in enumerate(sources) if s.strip().startswith("audit.audit_table(records"))
    assert ask < table


@pytest.mark.parametrize(
    "path, other",
    [
        ("notebooks/06_masking_and_causality.md", "07"),
        ("notebooks/pt/06_mascara_e_causalidade.md", "07"),
        ("notebooks/07_checking_the_chapter.md", "06"),
        ("notebooks/pt/07_conferindo_o_capitulo.md", "06"),
    ],
)
def test_proposition_1_readings_link_each_other(path, other):
    text = (ROOT / path).read_text(encoding="utf-8")
    start = text.index("Proposi")  # the section that states Proposition 1 / Proposição 1
    section = text[text.index("> *Propos" if "06_" in path else "> **Propos", start) :]
    section = section[: section.index("\n## ")] if "\n## " in section else section
    assert f"notebook {other}" in section.lower() and "(a)" in section and "(b)" in section
