"""The English (notebooks/) and Portuguese (notebooks/pt/) editions stay in step.

- Every notebook has its counterpart with the same number in the other edition.
- Their code cells are identical, cell by cell (code without comments, tags, collapsed flags),
  except the one language line `LANGUAGE = "en"` / `LANGUAGE = "pt"` of the first code cell; each
  edition writes its comments in its own language, and no English one is left in Portuguese; a cell added,
  removed or changed in one edition only is named, with the file and the fix.
- The Portuguese prose (Markdown outside code, math and link targets) has no English sentence
  left: no common English function word.
Each check is shown failing on a modified copy (tmp_path).
"""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ROOT / "notebooks"
PORTUGUESE = ROOT / "notebooks" / "pt"
LANGUAGE_LINE = re.compile(r'^LANGUAGE = "(?P<language>[a-z]+)"(?P<comment>\s*#.*)?$', re.M)


def by_number(folder: Path) -> dict[str, Path]:
    return {p.name[:2]: p for p in sorted(folder.glob("[0-9][0-9]_*.md"))}


def rel(path: Path) -> str:
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


# --- code cells --------------------------------------------------------------------------------


def code_cells(path: Path) -> list:
    return [c for c in jupytext.read(path, fmt="md:myst").cells if c.cell_type == "code"]


def first_line(source: str) -> str:
    line = next((s for s in source.splitlines() if s.strip()), "(empty)")
    return repr(line if len(line) <= 70 else line[:67] + "...")


def without_comments(source: str) -> str:
    """The code of a cell without its comments (read by Python's tokenizer, so a '#' inside a
    string stays): each edition comments in its own language, the code itself is the same."""
    import io
    import tokenize

    lines = source.splitlines()
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source + "\n").readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return source
    for token in reversed([t for t in tokens if t.type == tokenize.COMMENT]):
        row, col = token.start
        lines[row - 1] = lines[row - 1][:col].rstrip()
    return "\n".join(line for line in lines if line.strip())


def cell_key(cell) -> tuple:
    """What both editions must agree on: the code without comments (the language line compares
    equal whatever its language), tags and collapsed flags."""
    meta = cell.get("metadata", {})
    jupyter = meta.get("jupyter", {})
    return (
        without_comments(LANGUAGE_LINE.sub("LANGUAGE = ...", cell.source)),
        tuple(meta.get("tags", [])),
        bool(jupyter.get("source_hidden")),
        bool(jupyter.get("outputs_hidden")),
    )


def language_problem(path: Path, cells, language: str) -> str | None:
    lines = [(i, m.group("language")) for i, c in enumerate(cells) for m in LANGUAGE_LINE.finditer(c.source)]
    if not lines or lines[0][0] != 0 or len(lines) != 1:
        return (
            f"{rel(path)}: its first code cell must set the language with exactly one line "
            f'LANGUAGE = "{language}" (found {len(lines)} such line(s), in code cells '
            f"{[i + 1 for i, _ in lines]})"
        )
    if lines[0][1] != language:
        return f'{rel(path)}: LANGUAGE = "{lines[0][1]}" in this edition; expected "{language}"'
    return None


def edition_problem(english: Path, portuguese: Path) -> str | None:
    """None if the two notebooks' code cells agree; else the first cell that does not, and the fix."""
    en, pt = code_cells(english), code_cells(portuguese)
    for path, cells, language in ((english, en, "en"), (portuguese, pt, "pt")):
        problem = language_problem(path, cells, language)
        if problem:
            return problem
    matcher = difflib.SequenceMatcher(a=[cell_key(c) for c in en], b=[cell_key(c) for c in pt], autojunk=False)
    for tag, a0, _a1, b0, _b1 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "delete":
            return (
                f"code cell {a0 + 1} of {rel(english)} ({first_line(en[a0].source)}) has no counterpart "
                f"in {rel(portuguese)} (after its code cell {b0}): copy it there"
            )
        if tag == "insert":
            return (
                f"code cell {b0 + 1} of {rel(portuguese)} ({first_line(pt[b0].source)}) has no "
                f"counterpart in {rel(english)} (after its code cell {a0}): copy it there"
            )
        a, b = en[a0], pt[b0]
        if cell_key(a)[0] != cell_key(b)[0]:
            diff = next(
                line
                for line in difflib.unified_diff(
                    cell_key(a)[0].splitlines(), cell_key(b)[0].splitlines(), lineterm="", n=0
                )
                if line[:1] in "+-" and not line.startswith(("+++", "---"))
            )
            what = f"source differs (first difference: {diff!r})"
        else:
            what = "tags or collapsed flags differ"
        return (
            f"code cell {a0 + 1} of {rel(english)} ({first_line(a.source)}) and code cell {b0 + 1} of "
            f"{rel(portuguese)}: {what}; the code must be the same in both editions"
        )
    return None


def test_every_notebook_has_its_counterpart():
    en, pt = by_number(ENGLISH), by_number(PORTUGUESE)
    assert len(en) >= 10
    assert sorted(en) == sorted(pt), (
        f"only in English: {sorted(set(en) - set(pt))}; only in Portuguese: {sorted(set(pt) - set(en))}"
    )


@pytest.mark.parametrize("number", sorted(by_number(ENGLISH)))
def test_code_cells_are_the_same_in_both_editions(number):
    english, portuguese = by_number(ENGLISH)[number], by_number(PORTUGUESE).get(number)
    assert portuguese is not None, f"{rel(english)} has no Portuguese counterpart notebooks/pt/{number}_*.md"
    problem = edition_problem(english, portuguese)
    assert problem is None, problem


def english_comments(path: Path) -> list[str]:
    """Each comment of a code cell of `path` with English words: a Portuguese learner edits these
    cells, and the answer lines and solution cells speak to them."""
    import io
    import tokenize

    found = []
    for index, cell in enumerate(code_cells(path)):
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(cell.source + "\n").readline))
        except (tokenize.TokenError, SyntaxError, IndentationError):
            continue
        for token in tokens:
            words = english_words(token.string, ENGLISH_WORDS | COMMENT_WORDS) if token.type == tokenize.COMMENT else []
            if words:
                found.append(f"{rel(path)}, code cell {index + 1}: English comment {token.string!r} ({words})")
    return found


@pytest.mark.parametrize("path", sorted(PORTUGUESE.glob("[0-9][0-9]_*.md")), ids=lambda p: p.name)
def test_the_portuguese_code_cells_comment_in_portuguese(path):
    assert english_comments(path) == []


def test_comments_may_differ_but_code_may_not(copies):
    en, pt = copies
    text = pt.read_text(encoding="utf-8")
    assert english_comments(pt) == []
    pt.write_text(
        text.replace("for c in (0.0, 10.0, -250.0):", "for c in (0.0, 10.0, -250.0):  # your answer"), encoding="utf-8"
    )
    assert edition_problem(en, pt) is None  # a comment is the edition's own
    assert english_comments(pt) and "your" in english_comments(pt)[0]
    pt.write_text(
        text.replace("for c in (0.0, 10.0, -250.0):", "for c in (0.0, 10.0, -25.0):  # 0.0, 10.0, -250.0"),
        encoding="utf-8",
    )
    assert "source differs" in edition_problem(en, pt)
    assert (
        without_comments('x = "# not a comment"  # a comment\n# only a comment\ny = 1')
        == 'x = "# not a comment"\ny = 1'
    )
    assert english_comments(by_number(ENGLISH)["01"])  # the English edition's comments are English


@pytest.fixture
def copies(tmp_path):
    """Copies of the two editions of notebook 03, to break."""
    en = shutil.copy(by_number(ENGLISH)["03"], tmp_path / "en.md")
    pt = shutil.copy(by_number(PORTUGUESE)["03"], tmp_path / "pt.md")
    assert edition_problem(Path(en), Path(pt)) is None
    return Path(en), Path(pt)


def remove_code_cell(path: Path, index: int) -> str:
    """Delete the index-th code block of a MyST file; return its first line."""
    text = path.read_text(encoding="utf-8")
    blocks = list(re.finditer(r"```\{code-cell\}[^\n]*\n(.*?)\n```\n", text, re.S))
    block = blocks[index]
    path.write_text(text[: block.start()] + text[block.end() :], encoding="utf-8")
    return block.group(1).splitlines()[0]


def test_a_cell_removed_from_the_portuguese_edition_is_named(copies):
    en, pt = copies
    line = remove_code_cell(pt, 3)
    problem = edition_problem(en, pt)
    assert problem.startswith(f"code cell 4 of {en} ({line!r}) has no counterpart in {pt}"), problem


def test_a_cell_removed_from_the_english_edition_is_named(copies):
    en, pt = copies
    line = remove_code_cell(en, 5)
    problem = edition_problem(en, pt)
    assert problem.startswith(f"code cell 6 of {pt} ({line!r}) has no counterpart in {en}"), problem


def test_a_cell_changed_in_one_edition_is_named(copies):
    en, pt = copies
    text = pt.read_text(encoding="utf-8")
    pt.write_text(text.replace("for c in (0.0, 10.0, -250.0):", "for c in (0.0, 10.0):"), encoding="utf-8")
    problem = edition_problem(en, pt)
    assert problem.startswith(
        f"code cell 4 of {en} ('row = result.scores[2]') and code cell 4 of {pt}: "
        "source differs (first difference: '-for c in (0.0, 10.0, -250.0):')"
    ), problem


def test_a_wrong_or_missing_language_line_is_named(copies):
    en, pt = copies
    text = pt.read_text(encoding="utf-8")
    pt.write_text(text.replace('LANGUAGE = "pt"', 'LANGUAGE = "en"'), encoding="utf-8")
    assert edition_problem(en, pt) == f'{pt}: LANGUAGE = "en" in this edition; expected "pt"'
    pt.write_text(re.sub(r'LANGUAGE = "pt".*\n', "", text), encoding="utf-8")
    assert edition_problem(en, pt).startswith(f"{pt}: its first code cell must set the language")


# --- no English in the Portuguese prose --------------------------------------------------------

# Common English words that are not Portuguese words (so "a", "as", "do", "no", "se", and "for",
# as in "seja qual for", are left out).
ENGLISH_WORDS = set(
    """
the and of is are to with from this that which what each every by it its be on at not you your
we our has have than then when where how why into only but an was were will can does there these
those they their if or in one two same next more most
""".split()
)
# English that belongs in the Portuguese edition: a book title, JupyterLab's (English) menus.
ALLOWED = ("Speech and Language Processing",)


def prose(markdown: str) -> str:
    """The words a reader reads as text: no code, math, link targets, HTML tags or allowed titles."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$]*\$", " ", text)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<[^>]+>", " ", text)
    for phrase in ALLOWED:
        text = text.replace(phrase, " ")
    return text


def english_in(path: Path) -> list[str]:
    """Each Markdown cell of `path` with English words in its prose: which words, and where."""
    found = []
    for index, cell in enumerate(jupytext.read(path, fmt="md:myst").cells):
        if cell.cell_type != "markdown":
            continue
        text = prose(cell.source)
        hits = [m for m in re.finditer(r"\w+", text) if m.group(0).lower() in ENGLISH_WORDS]
        if hits:
            words = sorted({m.group(0) for m in hits})
            where = " ".join(text[max(0, hits[0].start() - 40) : hits[0].end() + 40].split())
            found.append(f"{rel(path)}, cell {index + 1}: English word(s) {words} in “...{where}...”")
    return found


@pytest.mark.parametrize("path", sorted(PORTUGUESE.glob("[0-9][0-9]_*.md")), ids=lambda p: p.name)
def test_no_english_left_in_the_portuguese_prose(path):
    assert english_in(path) == []


def test_the_english_check_fires_on_an_english_sentence(tmp_path):
    copy = tmp_path / "pt.md"
    text = by_number(PORTUGUESE)["03"].read_text(encoding="utf-8")
    copy.write_text(
        text.replace("## A equação\n", "## A equação\n\nThe softmax makes every weight positive.\n"), encoding="utf-8"
    )
    found = english_in(copy)
    assert len(found) == 1 and "English word(s) ['The', 'every']" in found[0], found
    # while code, math and link targets in the same place are not prose
    copy.write_text(
        text.replace("## A equação\n", "## A equação\n\n`the_and_of` $\\text{for each}$ [tabela](the_table.ipynb)\n"),
        encoding="utf-8",
    )
    assert english_in(copy) == []


def test_the_english_edition_does_fail_the_english_check():
    """The check can tell the languages apart: run on the English notebook 01, it finds English."""
    assert english_in(by_number(ENGLISH)["01"])


# --- no English in what the Portuguese notebooks show (their outputs, their code's labels) ------

# Besides the function words above: the words the notebooks' labels use, none a Portuguese word.
LABEL_WORDS = ENGLISH_WORDS | set(
    """
weight weights output outputs row rows step steps loss mask masked head heads noun subject training
trained model word words sentence sentences changed unchanged equal equals largest lowest mean
printed correct written spread length position positions distance product factor naive stable
change share without before after first last probability matrix matrices symmetric inputs held
learned finite difference hand right accuracy snapshot could draw divide scaled unscaled
""".split()
)
# Words of the English comments (a Portuguese comment has none of them).
COMMENT_WORDS = set(
    """
solution press show expand answer change these number numbers replace function whole
size stretched machine slower every chain
""".split()
)
# Keyword arguments that are settings, never shown as text (a colour, an alignment, a legend place).
SETTINGS = {
    "ha",
    "va",
    "loc",
    "names",
    "format",
    "layout",
    "color",
    "linestyle",
    "marker",
    "cmap",
    "over",
    "invalid",
    "kind",
    "align_self",
    "max_width",
    "rotation",
    "edgecolor",
    "fmt",
    "dtype",
}


def english_words(text: str, words: set[str] = LABEL_WORDS) -> list[str]:
    """The English words of `text` (\\w+ keeps identifiers such as noun_attention_mean whole), outside
    `code spans`: a message may quote code, which is the same in both languages."""
    prose = re.sub(r"`[^`\n]*`", " ", text)
    return sorted({w for w in re.findall(r"\w+", prose) if w.lower() in words})


def shown_text(output) -> str:
    """What a learner reads of one stored output: a stream, or a result shown as plain text (an
    image's or a widget's text/plain is only its repr, never shown, so it is left out)."""
    if output.get("output_type") == "stream":
        return output.get("text", "")
    data = output.get("data", {})
    if output.get("output_type") in ("execute_result", "display_data") and set(data) <= {"text/plain"}:
        return data.get("text/plain", "")
    return ""


def english_in_outputs(path: Path) -> list[str]:
    """Each code cell of the executed notebook `path` whose stored outputs hold English words."""
    import nbformat

    found = []
    cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    for index, cell in enumerate(cells):
        text = "".join(shown_text(o) for o in cell.get("outputs", []))
        words = english_words(text)
        if words:
            line = next(row for row in text.splitlines() if english_words(row))
            found.append(
                f"{rel(path)}, code cell {index + 1} ({first_line(cell.source)}): English word(s) "
                f"{words} in its output: {line.strip()[:90]!r}"
            )
    return found


def english_literals(source: str) -> list[tuple[int, str]]:
    """The string literals of a code cell that hold English words and may be shown: every literal
    except a settings keyword's value, a subscript, or a key of the string tables ("nb.weights")."""
    import ast

    from selfattn_lib import strings

    code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
    tree = ast.parse(code)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.keyword) and parent.arg in SETTINGS:
            continue
        if isinstance(parent, ast.Subscript) or node.value in strings.STRINGS["en"] or node.value.startswith("nb."):
            continue
        # {"en": "...", "pt": "..."}[LANGUAGE]: the English entry of a per-language table, used only
        # where the library (and so its string tables) is missing: the first cell's set-up sentence
        if isinstance(parent, ast.Dict) and any(
            value is node and isinstance(key, ast.Constant) and key.value == "en"
            for key, value in zip(parent.keys, parent.values)
        ):
            continue
        if english_words(node.value):
            found.append((node.lineno, node.value))
    return found


def english_in_code(path: Path) -> list[str]:
    """Each code cell of `path` (MyST) with a literal label in English: in the Portuguese edition it
    would be printed or drawn in English (a plot title, a legend, a widget's description)."""
    return [
        f"{rel(path)}, code cell {index + 1}, line {line}: English literal {value!r}; "
        f'route it through strings.py (say("nb.…"))'
        for index, cell in enumerate(code_cells(path))
        for line, value in english_literals(cell.source)
    ]


# What a widget shows as words, by state key: a label, a tooltip, a placeholder, its value (HTML
# or text), the labels of its options, the titles of its sections.
WIDGET_TEXT = ("description", "tooltip", "placeholder", "value", "_options_labels", "tooltips", "titles")


def widget_words(state: dict) -> str:
    """The text a learner reads in one widget model's stored state: its HTML values with the tags
    dropped but an image's text alternative kept, and its labels."""
    import html as html_module

    parts = []
    for key in WIDGET_TEXT:
        value = state.get(key)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                item = re.sub(r'<img\b[^>]*\balt="([^"]*)"[^>]*>', r" \1 ", item)
                # a style sheet is not read; a subscript is a symbol's (d<sub>model</sub>)
                item = re.sub(r"<(style|sub)\b.*?</\1>", " ", item, flags=re.S)
                item = re.sub(r"<[^>]+>", " ", item)
                parts.append(html_module.unescape(item))
    # the page explorer (anywidget): the words its module shows, and the worked steps it was sent
    # (templates: their {placeholders} and markup are not read, nor the configuration file's
    # field names, which a message about that file quotes as they are written in it)
    shown = state.get("strings") or {}  # an explorer's {key: text}, or the shared module's {language: {key: text}}
    for value in [t for v in shown.values() for t in (v.values() if isinstance(v, dict) else [v])]:
        value = re.sub(r"\{[^{}]*\}|<(sub|sup)\b.*?</\1>|<[^>]+>", " ", str(value), flags=re.S)
        parts.append(re.sub(r"\b(positions|scaled|causal|focus|tokens|n_heads)\b", " ", value))
    return "\n".join(parts)


def block_words(block) -> str:
    """The words of one worked-steps block as the page shows them: {"k": kind, "c": runs}, a run
    being text or ["b" | "i" | "sub" | "sup" | "code", runs]."""
    if isinstance(block, dict):
        return " ".join(block_words(part) for key, part in block.items() if key != "k")
    if isinstance(block, (list, tuple)):
        tagged = bool(block) and isinstance(block[0], str) and block[0] in ("b", "i", "sub", "sup", "code")
        return " ".join(block_words(part) for part in (block[1:] if tagged else block))
    return str(block)


def english_in_widgets(path: Path) -> list[str]:
    """Each widget stored in the executed notebook `path` whose text holds English words: the
    explorer's panels, buttons and figures' alternatives are read from the saved widget state."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    states = notebook.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    found = []
    for model in states.get("state", {}).values():
        shown = widget_words(model.get("state", {}))
        words = english_words(shown)
        if words:
            line = next(text for text in shown.splitlines() if english_words(text))
            found.append(
                f"{rel(path)}, widget {model.get('model_name')}: English word(s) {words} in "
                f"{' '.join(line.split())[:90]!r}"
            )
    return found


@pytest.mark.parametrize("path", sorted(PORTUGUESE.glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.name)
def test_no_english_in_the_portuguese_outputs(path):
    assert english_in_outputs(path) == []
    assert english_in_widgets(path) == []


@pytest.mark.parametrize("path", sorted(PORTUGUESE.glob("[0-9][0-9]_*.md")), ids=lambda p: p.name)
def test_no_english_label_in_the_code_cells(path):
    """Code cells are the same in both editions, so a literal label is in one language for both:
    every label a cell prints, draws or shows comes from the string tables instead."""
    assert english_in_code(path) == []


def test_the_output_check_fires_on_an_english_output(tmp_path):
    import nbformat

    notebook = nbformat.read(by_number(PORTUGUESE)["03"].with_suffix(".ipynb"), as_version=4)
    cell = next(
        c
        for c in notebook.cells
        if c.cell_type == "code" and c.outputs and any(o.get("output_type") == "stream" for o in c.outputs)
    )
    stream = next(o for o in cell.outputs if o.get("output_type") == "stream")
    copy = tmp_path / "pt.ipynb"
    nbformat.write(notebook, copy)
    assert english_in_outputs(copy) == []
    stream["text"] += "row sums: [1. 1. 1.]\n"
    nbformat.write(notebook, copy)
    found = english_in_outputs(copy)
    assert len(found) == 1 and "English word(s) ['row']" in found[0] and "'row sums: [1. 1. 1.]'" in found[0], found
    # the English edition's outputs are English: the check tells the languages apart
    assert english_in_outputs(by_number(ENGLISH)["03"].with_suffix(".ipynb"))


def test_the_widget_check_fires_on_an_english_widget(tmp_path):
    """The explorer's stored state is read: an English panel (or button, or alt text) is named."""
    import nbformat

    notebook = nbformat.read(by_number(PORTUGUESE)["09"].with_suffix(".ipynb"), as_version=4)
    copy = tmp_path / "pt.ipynb"
    nbformat.write(notebook, copy)
    assert english_in_widgets(copy) == []
    models = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    module = next(m for m in models.values() if "pt" in (m["state"].get("strings") or {}))  # the page's words
    module["state"]["strings"]["pt"]["step_1"] = "**Step 1: projections.**"
    nbformat.write(notebook, copy)
    found = english_in_widgets(copy)
    assert len(found) == 1 and "English word(s) ['Step']" in found[0], found
    module["state"]["strings"]["pt"]["step_1"] = "**Passo 1: projeções.**"
    module["state"]["strings"]["pt"]["title"] = "The weights of row 3 sum to 1."
    nbformat.write(notebook, copy)
    assert "['The', 'of', 'row', 'to', 'weights']" in english_in_widgets(copy)[0]
    # the English edition's explorer is English: the check tells the languages apart
    assert english_in_widgets(by_number(ENGLISH)["09"].with_suffix(".ipynb"))


def test_the_code_check_fires_on_an_english_label():
    assert english_literals('ax.set_title("Training loss (log scale)")') == [(1, "Training loss (log scale)")]
    assert english_literals('print(f"step {s}: loss {x:.4f}")') == [(1, "step "), (1, ": loss ")]
    assert (
        english_literals(
            'print("tokens:", tokens)\nprint(say("nb.weights"))\nx = d["noun_attention_mean"]\n'
            'ax.legend(loc="upper right")\nplt.text(0, 0, "", ha="center")'
        )
        == []
    )


# --- numbers in the Portuguese outputs: a decimal comma, Brazilian thousands ---------------------

# A number written the Python way (0.305, 100000; 100.000 is Brazilian thousands, not 100.0)
PYTHON_NUMBER = re.compile(r"(?<![\w.,{])[-−]?\d+\.\d+|(?<![\w.,])\d{5,}(?![\w.,]*\d)")
BRAZILIAN_THOUSANDS = re.compile(r"^[1-9]\d{0,2}(\.\d{3})+$")
# What stays Python: a numpy array as print() writes it (bracketed, numbers apart by spaces, no
# commas), `code`, a learner's answer quoted back, and a section number (Corolário 1.1).
PYTHON_TEXT = re.compile(
    r"\[[\[\]\s\d.eE+\-naif]*(\]|$)|^[\s\d.eE+\-]+\]+\s*$|`[^`\n]*`|'[^'\n]*'|“[^”\n]*”|\bveio \S+|"
    r"\b(Corolário|Lema|Teorema|Proposição|Seção) \d+(\.\d+)+",
    re.M,
)


def python_numbers(text: str) -> list[str]:
    text = PYTHON_TEXT.sub(" ", text)
    return [n for n in PYTHON_NUMBER.findall(text) if not BRAZILIAN_THOUSANDS.match(n.lstrip("-−"))]


def read_texts(output):
    """Every text a learner reads in one stored output: a stream; Markdown (the worked steps); HTML
    (tables) with its tags dropped; plain text when it is all there is."""
    if output.get("output_type") == "stream":
        yield output.get("text", "")
    data = output.get("data", {})
    if "text/markdown" in data:
        yield data["text/markdown"]
    if "text/html" in data:
        page = re.sub(r"<(style|script)\b.*?</\1>", " ", data["text/html"], flags=re.S)
        yield re.sub(r"<[^>]+>", " ", page)
    if set(data) <= {"text/plain"}:
        yield data.get("text/plain", "")


def python_numbers_in_outputs(path: Path) -> list[str]:
    """Each line of the executed notebook's outputs, and of its stored widgets, with a number
    written the Python way."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    found = []
    cells = [c for c in notebook.cells if c.cell_type == "code"]
    for index, cell in enumerate(cells):
        for output in cell.get("outputs", []):
            for text in read_texts(output):
                for line in text.splitlines():
                    if python_numbers(line):
                        found.append(
                            f"{rel(path)}, code cell {index + 1} ({first_line(cell.source)}): "
                            f"{python_numbers(line)} in {line.strip()[:90]!r}"
                        )
    states = notebook.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    for model in states.get("state", {}).values():
        for line in widget_words(model.get("state", {})).splitlines():
            if python_numbers(line):
                found.append(
                    f"{rel(path)}, widget {model.get('model_name')}: {python_numbers(line)} in "
                    f"{' '.join(line.split())[:90]!r}"
                )
    return found


@pytest.mark.parametrize("path", sorted(PORTUGUESE.glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.name)
def test_the_portuguese_outputs_write_numbers_with_a_decimal_comma(path):
    assert python_numbers_in_outputs(path) == []


def test_the_decimal_check_fires_on_a_python_number(tmp_path):
    import nbformat

    assert python_numbers("perda 0.6941, acurácia 44.2%, n = 100000") == ["0.6941", "44.2", "100000"]
    assert python_numbers("perda 0,6941, acurácia 44,2 %, n = 100.000 (Corolário 1.1) `x = 0.5`") == []
    assert python_numbers("pesos: [0.5646 0.4354 0.    ]") == []  # numpy's print of an array
    notebook = nbformat.read(by_number(PORTUGUESE)["08"].with_suffix(".ipynb"), as_version=4)
    copy = tmp_path / "pt.ipynb"
    nbformat.write(notebook, copy)
    assert python_numbers_in_outputs(copy) == []
    stream = next(
        o
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream"
    )
    stream["text"] += "antes do treino  acurácia 44.2%, peso no substantivo: média 0.266\n"
    nbformat.write(notebook, copy)
    found = python_numbers_in_outputs(copy)
    assert len(found) == 1 and "['44.2', '0.266']" in found[0], found
    # the English edition writes Python's numbers: the check tells the editions apart
    assert python_numbers_in_outputs(by_number(ENGLISH)["08"].with_suffix(".ipynb"))
