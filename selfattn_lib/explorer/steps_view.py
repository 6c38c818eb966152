"""The worked steps (`selfattn_lib.steps`, their one author) as data the page draws as literal text.

`steps.Rendered` holds blocks of Markdown with LaTeX. The page has no MathJax and must never read
a learner's label as markup, so each block becomes a small tree: a node is a string (shown as it
is, with textContent) or [tag, [nodes]] with tag one of "sub", "sup", "b". The LaTeX the steps
write (x_{1}, e^{...}, \\frac, \\sqrt, \\cdot, bmatrix, ...) is spelled with Unicode.
"""

from __future__ import annotations

import re

__all__ = ["page_blocks", "latex_nodes", "text_nodes"]

_SYMBOLS = {
    "cdot": " · ",
    "approx": " ≈ ",
    "le": " ≤ ",
    "ge": " ≥ ",
    "alpha": "α",
    "sum": "Σ",
    "max": "max",
    "times": " × ",
    "ldots": "…",
    "cdots": "⋯",
    "quad": "  ",
    "infty": "∞",
}
_ESCAPED = re.compile(r"\\([\\`*_|\[\]#$<{}])")
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_PLAIN = re.compile(r"[^{}\\_^&]+")  # a run of characters the formula shows as they are


def _merge(nodes: list) -> list:
    out: list = []
    for node in nodes:
        if isinstance(node, str):
            if not node:
                continue
            if out and isinstance(out[-1], str):
                out[-1] += node
                continue
        out.append(node)
    return out


def _tidy(nodes: list, comma: bool) -> list:
    """Spaces as a reader expects them ("[0.2, 0.7]", one space around "·"); with `comma`
    (Portuguese), "; " between a vector's numbers. The numbers themselves come written in the
    learner's way from steps.py (rounding.written, its one author)."""
    out = []
    for node in nodes:
        if isinstance(node, str):
            node = re.sub(r" {2,}", " ", node).replace(" ,", ",").replace("[ ", "[").replace(" ]", "]")
            node = re.sub(r" *\x00 *", "; " if comma else ", ", node)
            out.append(node)
        else:
            out.append([node[0], _tidy(node[1], comma)])
    return out


def latex_nodes(source: str, comma: bool = False) -> list:
    """The nodes of a LaTeX formula as the steps write it."""
    nodes, end = _latex(source, 0, closing=False)
    return _tidy(_merge(nodes), comma)


def _group(s: str, i: int) -> tuple[list, int]:
    """A {group} or a single character/command at s[i:]."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i < len(s) and s[i] == "{":
        return _latex(s, i + 1, closing=True)
    if i < len(s) and s[i] == "\\":
        nodes, j = _command(s, i)
        return nodes, j
    return ([s[i]] if i < len(s) else []), i + 1


def _command(s: str, i: int) -> tuple[list, int]:
    m = _COMMAND.match(s, i)
    if not m:  # \, \! \$ \{ ...
        ch = s[i + 1] if i + 1 < len(s) else ""
        return ([{",": " ", "!": "", ";": " ", ":": " "}.get(ch, ch)]), i + 2
    name, j = m.group(1), m.end()
    if name in ("begin", "end"):
        _, j = _group(s, j)  # {bmatrix}
        return (["["] if name == "begin" else ["]"]), j
    if name in ("mathrm", "text", "mathbf", "operatorname"):
        return _group(s, j)
    if name == "frac":
        top, j = _group(s, j)
        bottom, j = _group(s, j)
        return ["("] + top + [") / ("] + bottom + [")"], j
    if name == "sqrt":
        inside, j = _group(s, j)
        return ["√"] + inside, j
    if name in ("left", "right"):
        return [], j
    return [_SYMBOLS.get(name, name)], j


def _latex(s: str, i: int, closing: bool) -> tuple[list, int]:
    nodes: list = []
    while i < len(s):
        ch = s[i]
        if ch == "}" and closing:
            return _merge(nodes), i + 1
        if ch == "{":
            inner, i = _latex(s, i + 1, closing=True)
            nodes += inner
        elif ch == "\\":
            more, i = _command(s, i)
            nodes += more
        elif ch in "_^":
            inner, i = _group(s, i + 1)
            nodes.append(["sub" if ch == "_" else "sup", _merge(inner)])
        elif ch == "&":
            nodes.append("\x00")  # a column separator: "," or, with decimal commas, ";"
            i += 1
        else:
            run = _PLAIN.match(s, i)
            nodes.append(run.group())
            i = run.end()
    return _merge(nodes), i


def text_nodes(source: str, comma: bool = False) -> list:
    """A line of the steps' Markdown: **bold**, $inline math$, and backslash-escaped characters
    (a learner's label: shown as typed, never read as markup)."""
    nodes: list = []
    # split on unescaped $ (a label's "$" is written \$)
    parts = re.split(r"(?<!\\)\$", source)
    for k, part in enumerate(parts):
        if k % 2:
            nodes += latex_nodes(part, comma)
            continue
        for b, piece in enumerate(re.split(r"\*\*", part)):
            plain = _ESCAPED.sub(r"\1", piece)
            nodes.append(["b", [plain]] if b % 2 else plain)
    return _merge(nodes)


def page_blocks(rendered, language: str = "en") -> list:
    """Each block of a `steps.Rendered` as {"k": kind, ...} with nodes for its words (its numbers
    already written in `language`'s way by steps.py)."""
    comma = language == "pt"
    blocks = []
    for block in rendered.blocks:
        kind = block[0]
        if kind == "math":
            blocks.append({"k": "math", "c": latex_nodes(block[1], comma)})
        elif kind in ("text", "heading"):
            blocks.append({"k": kind, "c": text_nodes(block[1], comma)})  # its $math$ and numbers
        else:
            blocks.append(
                {
                    "k": "table",
                    "head": [text_nodes(h) for h in block[1]],
                    "rows": [[text_nodes(c, comma) for c in row] for row in block[2]],
                }
            )
    return blocks
