"""One step of self-attention written out with its numbers, as the chapter does by hand.

Each function returns a `Rendered` string of Markdown with LaTeX: a bare last expression in a
notebook cell shows it typeset. Every number comes from the library's own result. Expanded
sums show 2 decimals (whole numbers as they are); tables show 4.

Indices i, j are 0-based in Python; the text uses the chapter's 1-based subscripts (i=0 -> x_1).
"""

from __future__ import annotations

import html
import math
import re

import numpy as np

from . import rounding, strings
from .attention import AttentionResult, as_matrix, project, self_attention
from .strings import DEFAULT_LANGUAGE

__all__ = [
    "Rendered",
    "projection_step",
    "score_step",
    "softmax_step",
    "output_step",
    "worked_example",
    "worked_steps",
    "mode_label",
]

_MATRIX_LETTER = {"q": "Q", "k": "K", "v": "V"}
# Above this, e^score would print as an unreadable (or infinite) number: show the stable form.
_EXP_LIMIT = 30.0


class Rendered(str):
    """Markdown text (with $...$ LaTeX) that a notebook shows typeset.

    `.html` is the same content as HTML with LaTeX left for MathJax (for `widgets.HTMLMath`).
    """

    def __new__(cls, blocks):
        self = super().__new__(cls, "\n\n".join(_block_markdown(b) for b in blocks))
        self.blocks = tuple(blocks)
        return self

    def __add__(self, other):
        if isinstance(other, Rendered):
            return Rendered(self.blocks + other.blocks)
        return str.__add__(self, other)

    @property
    def html(self) -> str:
        return "\n".join(_block_html(b) for b in self.blocks)

    def _repr_markdown_(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer, cycle) -> None:  # plain-text view: the text, not its repr
        printer.text(str(self))


# --- blocks: ("text" | "heading", markdown line) | ("math", latex) | ("table", header, rows) ---


def _block_markdown(block) -> str:
    kind = block[0]
    if kind == "text":
        return block[1]
    if kind == "heading":
        return f"#### {block[1]}"
    if kind == "math":
        return f"$${block[1]}$$"
    header, rows = block[1], block[2]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _inline_html(text: str) -> str:
    # Escape everything, restore the only Markdown the blocks use (**bold**), then drop the
    # Markdown escapes of tokens; `\$` stays, since MathJax reads it as a literal dollar.
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", html.escape(text, quote=False))
    return re.sub(r"\\([\\`*_|\[\]#]|&lt;)", r"\1", text)


def _block_html(block) -> str:
    kind = block[0]
    if kind == "text":
        return f"<p>{_inline_html(block[1])}</p>"
    if kind == "heading":
        return f"<h4>{_inline_html(block[1])}</h4>"
    if kind == "math":
        return f"<div>$${html.escape(block[1], quote=False)}$$</div>"
    header, rows = block[1], block[2]
    cell = 'style="padding:2px 10px;text-align:right"'
    head = "".join(f"<th {cell}>{_inline_html(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td {cell}>{_inline_html(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table style="border-collapse:collapse"><tr>{head}</tr>{body}</table>'


# --- numbers ----------------------------------------------------------------------------------


# A learner's label stands between these two marks until the text is written out: its digits are
# the learner's ("3.5" stays 3.5 in Portuguese), not numbers of ours. Private-use characters, taken
# out of the label first, so a label cannot close the span early.
LABEL_OPEN, LABEL_CLOSE = "\ue000", "\ue001"
_LABEL_MARKS = re.compile("[\ue000\ue001]")


def _written_line(line: str, language: str) -> str:
    """A line of prose with inline $math$: every number as `language` writes it (rounding.written),
    in TeX's form inside the math; a learner's label as typed."""
    parts = re.split(r"(\ue000[^\ue001]*\ue001|\$[^$]*\$)", line)
    return "".join(
        part[1:-1] if part.startswith(LABEL_OPEN) else rounding.written(part, language, math=part.startswith("$"))
        for part in parts
    )


def _unmarked(block):
    """A block with the label marks taken out (English: nothing else to write)."""
    if block[0] == "table":
        return (
            "table",
            [_LABEL_MARKS.sub("", h) for h in block[1]],
            [[_LABEL_MARKS.sub("", c) for c in row] for row in block[2]],
        )
    return (block[0], _LABEL_MARKS.sub("", block[1]), *block[2:])


def _written(blocks, language: str) -> Rendered:
    """The blocks with every number in `language`'s way (0,39 in Portuguese): the steps compute
    in Python's notation, and are written out for the learner only here, once."""
    if language == DEFAULT_LANGUAGE:
        return Rendered([_unmarked(block) for block in blocks])
    shown = []
    for block in blocks:
        kind = block[0]
        if kind == "math":
            shown.append(("math", rounding.written(_LABEL_MARKS.sub("", block[1]), language, math=True)))
        elif kind == "table":
            shown.append(
                (
                    "table",
                    [_written_line(h, language) for h in block[1]],
                    [[_written_line(c, language) for c in row] for row in block[2]],
                )
            )
        else:
            shown.append((kind, _written_line(block[1], language)))
    return Rendered(shown)


def _num(x, places: int = 2) -> str:
    """Whole numbers as they are, others to `places` decimals, rounded half up (rounding.py's
    rule, the same in every step and heatmap); never '-0.00'."""
    x = float(x)
    if not math.isfinite(x):  # q . k of two huge vectors can overflow though the score did not
        return str(x)
    if abs(x) >= 1e5:
        return f"{x:.{places}e}"
    if x == round(x):
        return str(int(x))
    return rounding.fmt(x, places)


def _factor(x, places: int = 2) -> str:
    """A number inside a product: negatives in parentheses, as written by hand."""
    text = _num(x, places)
    return f"({text})" if text.startswith("-") else text


def _fixed(x, places: int = 4) -> str:
    """Table entries: always `places` decimals, so columns line up."""
    return rounding.fmt(x, places)


def _sum_of_products(a, b, places: int = 2) -> str:
    return " + ".join(rf"{_factor(x, places)} \cdot {_factor(y, places)}" for x, y in zip(a, b))


def _trimmed(x, places: int, keep: int = 2) -> str:
    """x to `places` decimals, trailing zeros dropped down to `keep` decimals (0.390 -> 0.39)."""
    text = _num(x, places)
    if "." not in text or "e" in text:
        return text
    whole, decimals = text.split(".")
    decimals = decimals.rstrip("0").ljust(keep, "0")
    return f"{whole}.{decimals}"


def _exponent(x, places: int) -> str:
    """A score as an exponent, as exactly as 10 decimals allow, trailing zeros dropped (e^{0.39},
    e^{0.305}): the e^score beside it is then e^(this number), whatever decimals it is shown with."""
    return _trimmed(x, max(places, 10))


def _places_for_exponentials(row, shift, exps, total) -> int:
    """Decimals at which each shown e^score is e^(the shown score) and the shown terms add up."""
    if not math.isfinite(total) or total >= 1e5 or max(abs(float(x)) for x in row) >= 1e5:
        return 2
    shown = [float(rounding.round_half_up(x, 10)) - shift for x in row]

    def exact_at(places):  # each e^score shown is e^(the score shown), at these decimals
        return all(
            rounding.round_half_up(math.exp(x), places) == rounding.round_half_up(e, places)
            for x, e in zip(shown, exps)
        )

    for places in range(2, 7):
        if exact_at(places) and rounding.adds_up([[e] for e in exps], total, places):
            return places
    # No precision makes the terms add up as well (the sum is then written with \approx): keep
    # every e^score true to its exponent; a large one (e^10.95 = 57151.13...) is not at 6 decimals.
    return next((places for places in range(2, 7) if exact_at(places)), 2)


def _row_vector(v, places: int = 2) -> str:
    return r"\begin{bmatrix} " + " & ".join(_trimmed(x, places) for x in v) + r" \end{bmatrix}"


def _equals(terms, total, places) -> str:
    """' = ' when the shown terms add up to the shown total; ' \\approx ' when no precision up to
    6 decimals makes them (a weight of 1/3 times 2 never does): the sign then says so."""
    try:
        exact = rounding.adds_up(terms, total, places)
    except (ArithmeticError, ValueError, OverflowError):  # inf, nan: shown as they are
        exact = True
    return " = " if exact else r" \approx "


def _quotient_equals(dot, root, score, places) -> str:
    """' = ' when the shown dot product over sqrt(d_k) is the shown score, else ' \\approx '."""
    try:
        shown = rounding.round_half_up(dot, places) / rounding.round_half_up(root, 12)
        exact = rounding.round_half_up(shown, places + 1) == rounding.round_half_up(score, places + 1)
    except (ArithmeticError, ValueError, OverflowError):
        exact = True
    return " = " if exact else r" \approx "


def _products_equal(a, b, total, places) -> str:
    return _equals([[x, y] for x, y in zip(a, b)], total, places)


def _places_for_products(a, b, total) -> int:
    """Decimals at which the shown a_c * b_c add up to the shown total (see rounding.py)."""
    if not all(map(math.isfinite, (*a, *b, total))) or max(map(abs, (*a, *b, total)), default=0) >= 1e5:
        return 2
    return rounding.places_that_add_up([[x, y] for x, y in zip(a, b)], total)


def _word(tokens, i) -> str:
    """“gato”: a learner's token, with the characters Markdown or LaTeX would act on escaped."""
    if tokens is None or i >= len(tokens):
        return ""
    label = re.sub(r"([\\`*_|$<\[\]#])", r"\\\1", _LABEL_MARKS.sub("", str(tokens[i])))
    return f" “{LABEL_OPEN}{label}{LABEL_CLOSE}”"


def _check_index(name: str, value: int, n: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be a whole number (0-based index of a {what}); got {value!r}")
    if not 0 <= value < n:
        raise ValueError(
            f"{name} must be between 0 and {n - 1} (0-based index of a {what}; there are {n}); got {value}"
        )
    return int(value)


def _check_result(result) -> AttentionResult:
    if not isinstance(result, AttentionResult):
        raise ValueError(f"result must be an AttentionResult (from self_attention); got {type(result).__name__}")
    return result


def _check_tokens(tokens, n: int):
    """None, or one label per token: a list or tuple (or 1-D array) of n entries."""
    if tokens is None:
        return None
    if isinstance(tokens, (str, bytes)) or not isinstance(tokens, (list, tuple, np.ndarray)):
        raise ValueError(f"tokens must be a list of {n} words (one per token) or None; got {type(tokens).__name__}")
    if np.ndim(tokens) != 1 or len(tokens) != n:
        raise ValueError(f"tokens must have one word per token, {n}; got {len(tokens)}")
    return tokens


def _visible(result: AttentionResult, i: int) -> range:
    return range(i + 1) if result.causal else range(result.n)


# --- the steps -------------------------------------------------------------------------------


def projection_step(
    X, W, i, name="q", component=0, tokens=None, language=DEFAULT_LANGUAGE, positions=False, vector=None
) -> Rendered:
    """q_i = x_i W^Q (or k, v), with one component written out as a sum of products.
    `positions`: X holds x_i + p_i (the word plus its position's encoding), and is called so.
    `vector`: q_i as already computed (a result's Q[i]), so the steps show that very number."""
    if name not in _MATRIX_LETTER:
        raise ValueError(f"name must be one of 'q', 'k', 'v'; got {name!r}")
    letter = _MATRIX_LETTER[name]
    X, W = as_matrix(X, "X"), as_matrix(W, f"W_{name}")
    tokens = _check_tokens(tokens, X.shape[0])
    if W.shape[0] != X.shape[1]:
        raise ValueError(
            f"W_{name} must have d_model = {X.shape[1]} rows to match X; got shape {W.shape[0]} x {W.shape[1]}"
        )
    i = _check_index("i", i, X.shape[0], "token")
    c = _check_index("component", component, W.shape[1], "column of W")
    vector = (
        project(X, W)[i] if vector is None else np.asarray(vector, dtype=float)
    )  # project: a ValueError if X W overflows
    places = _places_for_products(X[i], W[:, c], vector[c])
    s, t = i + 1, c + 1
    x = rf"(x_{{{s}}} + p_{{{s}}})" if positions else f"x_{{{s}}}"
    say = strings.speaker(language, learner=False)  # the step's prose in `language`
    matrix = f"$W^{letter}$"
    blocks = [
        ("text", say("step_projection", formula=f"${name}_{{{s}}} = {x} W^{letter}$", s=s, word=_word(tokens, i))),
        ("math", rf"{x} = {_row_vector(X[i])}"),
        ("text", say("step_projection_component", t=t, vector=f"${name}_{{{s}}}$", x=f"${x}$", matrix=matrix)),
        (
            "math",
            rf"{name}_{{{s},{t}}} = {_sum_of_products(X[i], W[:, c], places)}"
            rf"{_products_equal(X[i], W[:, c], vector[c], places)}{_num(vector[c], places)}",
        ),
        ("text", say("step_projection_all", count=len(vector), matrix=matrix)),
        ("table", [f"${name}_{{{s},{k + 1}}}$" for k in range(len(vector))], [[_fixed(x) for x in vector]]),
    ]
    return _written(blocks, language)


def score_step(result: AttentionResult, i, j, tokens=None, language=DEFAULT_LANGUAGE) -> Rendered:
    """score(x_i, x_j) = q_i . k_j expanded, then divided by sqrt(d_k) when the result is scaled."""
    result = _check_result(result)
    tokens = _check_tokens(tokens, result.n)
    i = _check_index("i", i, result.n, "token")
    j = _check_index("j", j, result.n, "token")
    s, t = i + 1, j + 1
    # term by term, in order, as written out (and as the page's steps.js adds them: the same bits)
    dot = 0.0
    for a, b in zip(result.Q[i].tolist(), result.K[j].tolist()):
        dot += a * b  # a float's overflow is inf, shown as such; the score itself is finite
    say = strings.speaker(language, learner=False)  # the step's prose in `language`
    places = _places_for_products(result.Q[i], result.K[j], dot)
    blocks = [
        ("text", say("step_score", s=s, word_i=_word(tokens, i), t=t, word_j=_word(tokens, j))),
        (
            "math",
            rf"q_{{{s}}} \cdot k_{{{t}}} = {_sum_of_products(result.Q[i], result.K[j], places)}"
            rf"{_products_equal(result.Q[i], result.K[j], dot, places)}{_num(dot, places)}",
        ),
    ]
    score = result.scores[i, j]
    if result.scaled:
        root = math.sqrt(result.d_k)
        blocks.append(
            (
                "math",
                rf"\mathrm{{score}}(x_{{{s}}}, x_{{{t}}}) = "
                rf"\frac{{q_{{{s}}} \cdot k_{{{t}}}}}{{\sqrt{{d_k}}}} = "
                rf"\frac{{{_num(dot, places)}}}{{\sqrt{{{result.d_k}}}}}"
                + (rf" = \frac{{{_num(dot, places)}}}{{{_num(root)}}}" if root == int(root) else "")
                + _quotient_equals(dot, root, score, places)
                + _trimmed(score, places + 1),
            )
        )
    else:
        blocks.append(
            (
                "text",
                say(
                    "step_score_unscaled",
                    root="$\\sqrt{d_k}$",
                    formula=f"$\\mathrm{{score}}(x_{{{s}}}, x_{{{t}}}) = {_num(score)}$",
                ),
            )
        )
    if result.causal and j > i:
        blocks.append(("text", say("step_score_masked", t=t, s=s, formula=f"$\\alpha_{{{s}{t}}} = 0$")))
    return _written(blocks, language)


def softmax_step(result: AttentionResult, i, tokens=None, language=DEFAULT_LANGUAGE) -> Rendered:
    """The softmax of row i: each exponential, their sum, and each alpha_ij (j <= i when causal)."""
    result = _check_result(result)
    tokens = _check_tokens(tokens, result.n)
    i = _check_index("i", i, result.n, "token")
    s = i + 1
    visible = list(_visible(result, i))
    row = result.scores[i, visible]
    top = float(row.max())
    # e^score as the chapter writes it, unless that number is unreadable: then subtract the
    # row's largest score first, which changes no weight (softmax ignores a constant per row).
    shift = top if np.abs(row).max() > _EXP_LIMIT else 0.0
    exps = [math.exp(float(x) - shift) for x in row]
    total = math.fsum(exps)
    places = _places_for_exponentials(row, shift, exps, total)
    # the subtracted max as exactly as the scores beside it: rounded, e^(score - max) would not be
    # the number shown next to it (e^{31.3875 - 32.34} is 0.39, not the 0.38 of 31.3875 - 32.34375)
    top_text = _exponent(top, places)
    top_text = f"({top_text})" if top_text.startswith("-") else top_text
    power = (
        (lambda x: rf"e^{{{_exponent(x, places)}}}")
        if shift == 0
        else (lambda x: rf"e^{{{_exponent(x, places)} - {top_text}}}")
    )
    say = strings.speaker(language, learner=False)  # the step's prose in `language`
    over = say("step_softmax_all_tokens") if not result.causal else f"$j \\le {s}$"
    formula = (
        f"$\\alpha_{{{s}j}} = e^{{\\mathrm{{score}}(x_{{{s}}}, x_j)}} / "
        f"\\sum_k e^{{\\mathrm{{score}}(x_{{{s}}}, x_k)}}$"
    )
    blocks = [("text", say("step_softmax", s=s, word=_word(tokens, i), over=over, formula=formula))]
    if shift:
        blocks.append(("text", say("step_softmax_shift", top=f"${_num(top)}$")))
    terms = " + ".join(power(x) for x in row) + " = "
    if len(exps) > 1:  # one term is its own sum: "e^{0.73} = 2.08", not "= 2.08 = 2.08"
        terms += " + ".join(_num(e, places) for e in exps) + " = "
    if len(exps) > 1:
        terms = terms[:-3] + _equals([[e] for e in exps], total, places)
    blocks.append(("math", r"\sum_k = " + terms + _num(total, places)))
    table = []
    for j, x, e in zip(visible, row, exps):
        table.append([f"{j + 1}{_word(tokens, j)}", _fixed(x), _fixed(e), _fixed(result.weights[i, j])])
    blocks.append(
        (
            "table",
            [
                "$j$",
                say("step_column_score"),
                r"$e^{\mathrm{score}}$" if not shift else r"$e^{\mathrm{score} - \max}$",
                f"$\\alpha_{{{s}j}}$",
            ],
            table,
        )
    )
    hidden = [j + 1 for j in range(result.n) if j not in visible]
    if hidden:
        names = ", ".join(str(t) for t in hidden)
        blocks.append(("text", say("step_softmax_masked", tokens=names)))
    blocks.append(("text", say("step_softmax_sum", s=s)))
    return _written(blocks, language)


def output_step(result: AttentionResult, i, tokens=None, language=DEFAULT_LANGUAGE) -> Rendered:
    """a_i = sum_j alpha_ij v_j, with the weights and value vectors written out."""
    result = _check_result(result)
    tokens = _check_tokens(tokens, result.n)
    i = _check_index("i", i, result.n, "token")
    s = i + 1
    visible = list(_visible(result, i))
    symbolic = " + ".join(rf"\alpha_{{{s}{j + 1}}} v_{{{j + 1}}}" for j in visible)
    # every component's sum must add up as shown: the decimals the worst component needs
    places = max(
        _places_for_products(result.weights[i, visible], result.V[visible, c], result.output[i, c])
        for c in range(result.d_v)
    )
    exact = all(
        _products_equal(result.weights[i, visible], result.V[visible, c], result.output[i, c], places) == " = "
        for c in range(result.d_v)
    )
    sign = " = " if exact else r" \approx "
    numeric = " + ".join(
        rf"{_factor(result.weights[i, j], places)} \cdot {_row_vector(result.V[j], places)}" for j in visible
    )
    blocks = [
        (
            "text",
            strings.text(
                "step_output", language, s=s, word=_word(tokens, i), values="$v_j$", alpha=f"$\\alpha_{{{s}j}}$"
            ),
        ),
        ("math", rf"a_{{{s}}} = {symbolic} = {numeric}{sign}{_row_vector(result.output[i], places)}"),
        ("table", [f"$a_{{{s},{k + 1}}}$" for k in range(result.d_v)], [[_fixed(x) for x in result.output[i]]]),
    ]
    return _written(blocks, language)


def worked_example(X, W_q, W_k, W_v, tokens, i, causal=True, scaled=True, language=DEFAULT_LANGUAGE) -> Rendered:
    """All four steps for token i: projections, scores, softmax, output."""
    result = self_attention(X, W_q, W_k, W_v, causal=causal, scaled=scaled)
    return worked_steps(result, X, W_q, tokens, i, language=language)


def worked_steps(result: AttentionResult, X, W_q, tokens, i, language=DEFAULT_LANGUAGE, positions=False) -> Rendered:
    """`worked_example` for a result already computed from X and W_q (as the explorer has)."""
    result = _check_result(result)
    X = as_matrix(X, "X")
    if X.shape[0] != result.n:
        raise ValueError(f"X must have one row per token of the result, {result.n}; got {X.shape[0]} rows")
    W_q = as_matrix(W_q, "W_q")
    if W_q.shape != (X.shape[1], result.d_k):
        raise ValueError(
            f"W_q must be {X.shape[1]} x {result.d_k} (d_model x d_k of the result); got "
            f"{W_q.shape[0]} x {W_q.shape[1]}"
        )
    tokens = _check_tokens(tokens, result.n)
    i = _check_index("i", i, result.n, "token")
    s = i + 1
    say = strings.speaker(language, learner=False)  # the step's prose in `language`
    # Each step function writes its own numbers in `language`'s way; the lines made here are
    # written here, each block once (writing twice would group a decimal's digits as thousands).
    parts = [
        _written(
            [("heading", say("step_worked", s=s, word=_word(tokens, i), mode=mode_label(result, language)))], language
        )
    ]
    parts.append(_written([("text", say("step_1"))], language))
    parts.append(projection_step(X, W_q, i, "q", 0, tokens, language=language, positions=positions, vector=result.Q[i]))
    visible = list(_visible(result, i))
    rows = [[f"{j + 1}{_word(tokens, j)}", f"$k_{{{j + 1}}}$", *map(_fixed, result.K[j])] for j in visible]
    rows += [[f"{j + 1}{_word(tokens, j)}", f"$v_{{{j + 1}}}$", *map(_fixed, result.V[j])] for j in visible]
    header = [
        say("step_column_token"),
        say("step_column_vector"),
        *[str(c + 1) for c in range(max(result.d_k, result.d_v))],
    ]
    rows = [r + [""] * (len(header) - len(r)) for r in rows]
    parts.append(_written([("text", say("step_keys_values")), ("table", header, rows)], language))
    parts.append(_written([("text", say("step_2"))], language))
    parts += [score_step(result, i, j, tokens, language=language) for j in visible]
    parts.append(_written([("text", say("step_3"))], language))
    parts.append(softmax_step(result, i, tokens, language=language))
    parts.append(_written([("text", say("step_4"))], language))
    parts.append(output_step(result, i, tokens, language=language))
    return Rendered([block for part in parts for block in part.blocks])


def mode_label(result: AttentionResult, language: str = DEFAULT_LANGUAGE) -> str:
    """'causal, scaled', 'bidirectional, unscaled', ...: the variant a result was computed with."""
    result = _check_result(result)
    direction = strings.text("mode_causal" if result.causal else "mode_bidirectional", language)
    scaling = strings.text("mode_scaled" if result.scaled else "mode_unscaled", language)
    return strings.text("mode_label", language, direction=direction, scaling=scaling)
