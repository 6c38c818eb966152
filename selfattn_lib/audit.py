"""The chapter's worked example checked number by number, and its claims put to the test.

`chapter_audit()` compares every number the chapter prints (transcribed below, exactly as
printed) with the value the library computes from the chapter's own X and W, and says where
each chain of computation went wrong. The exercise checks of notebook 07 live here too.
"""

from __future__ import annotations

import html
import math
import numbers
import re
from dataclasses import dataclass

import numpy as np

from . import answers, rounding
from .attention import (
    AttentionResult,
    LearnerError,
    _as_float_array,
    _flag,
    _require_finite,
    as_matrix,
    self_attention,
)
from .example import chapter_example
from .strings import DEFAULT_LANGUAGE, speaker, text

__all__ = [
    "CORRECT",
    "WRONG_FROM_THE_START",
    "CARRIED_FORWARD",
    "DOES_NOT_FOLLOW",
    "CHAPTER_PRINTED",
    "STEP_NAMES",
    "chain_label",
    "step_name",
    "AuditRecord",
    "chapter_audit",
    "chapter_result",
    "format_value",
    "printed_text",
    "error_origins",
    "summary",
    "audit_table",
    "chain_table",
    "dependence_table",
    "LEMMA_T",
    "TranslationEffect",
    "translation_effect",
    "output_dependence",
    "prefix_gap",
    "student_chain",
    "check_first_wrong",
    "check_labels",
    "check_corrected_score",
]

# The four places a number can sit in the chapter's chain of computation.
CORRECT = "correct"
WRONG_FROM_THE_START = "wrong from the start"
CARRIED_FORWARD = "error carried forward"
DOES_NOT_FOLLOW = "does not follow from the chapter's own previous numbers"

# The formalization's four steps, in English (`step_name(step, language)` for another language).
STEP_NAMES = {step: text(f"audit.step_{step}") for step in (1, 2, 3, 4)}

_CHAIN_KEYS = {
    CORRECT: "correct",
    WRONG_FROM_THE_START: "wrong_from_the_start",
    CARRIED_FORWARD: "carried_forward",
    DOES_NOT_FOLLOW: "does_not_follow",
}


def chain_label(chain: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A place in the chain (CORRECT, ...) as the learner reads it; in English, the constant itself."""
    return text("audit.chain_" + _CHAIN_KEYS[chain], language)


def step_name(step: int, language: str = DEFAULT_LANGUAGE) -> str:
    """STEP_NAMES[step] in `language` (ERRATA.pt.md uses the same words)."""
    return text(f"audit.step_{step}", language)


# Every number of the worked example, as printed (Portuguese source, "Exemplo Numérico"):
# (quantity, the chapter's "Passo" where it is printed, printed text). q_2, k_2, q_3, k_3 are
# printed only inside step 2 and v_2, v_3 only inside step 4. Vectors are printed as columns.
CHAPTER_PRINTED = (
    ("q_1", 1, "0.2 0.8 0.6 0.8"),
    ("k_1", 1, "0.7 0.6 0.9 0.2"),
    ("v_1", 1, "0.2 0.8 0.7 0.4"),
    ("q_2", 2, "0.1 0.6 0.9 0.8"),
    ("k_2", 2, "0.4 0.9 0.1 0.4"),
    ("v_2", 4, "0.7 0.1 0.6 0.9"),
    ("q_3", 2, "0.4 0.3 0.5 1.0"),
    ("k_3", 2, "0.6 0.4 0.6 0.5"),
    ("v_3", 4, "0.5 0.4 0.8 0.3"),
    ("score(x_1, x_1)", 2, "1.4"),
    ("score(x_2, x_1)", 2, "1.22"),
    ("score(x_2, x_2)", 2, "1.32"),
    ("score(x_3, x_1)", 2, "1.16"),
    ("score(x_3, x_2)", 2, "0.89"),
    ("score(x_3, x_3)", 2, "1.04"),
    ("alpha_11", 3, "1"),
    ("alpha_21", 3, "0.47"),
    ("alpha_22", 3, "0.53"),
    ("alpha_31", 3, "0.37"),
    ("alpha_32", 3, "0.28"),
    ("alpha_33", 3, "0.35"),
    ("a_1", 4, "0.2 0.8 0.7 0.4"),
    ("a_2", 4, "0.46 0.45 0.64 0.67"),
    ("a_3", 4, "0.45 0.53 0.71 0.46"),
)

# The audit's one rule, stated in notebook 07 and ERRATA: a printed number "agrees" with a value
# when it is within half a unit of its last digit plus this margin (0.47 stands for 0.4649 to
# 0.4751). The margin is for a chapter that computed from its own rounded intermediate numbers:
# its alpha_21 = 0.47 from its own scores is 0.47502, its alpha_22 = 0.53 is 0.52498.
ROUNDING_GRACE = 1e-4


def agreement_interval(printed: str) -> tuple[float, float]:
    """The values a printed number stands for under the audit's rule: (low, high), inclusive."""
    value, half = float(printed), 0.5 * 10.0 ** -_decimals(printed) + ROUNDING_GRACE
    return value - half, value + half


@dataclass(frozen=True)
class AuditRecord:
    """One number of the chapter's worked example, checked."""

    step: int  # 1..4, the formalization's step the quantity belongs to
    quantity: str  # "q_1", "score(x_2, x_1)", "alpha_21", "a_3"
    printed_in: int  # the chapter's "Passo" where it is printed
    printed: str  # as printed, e.g. "0.2 0.8 0.6 0.8"
    chapter: float | tuple  # the printed value(s)
    computed: float | tuple  # from the chapter's own X, W_q, W_k, W_v (the correct value)
    difference: float | tuple  # chapter - computed
    from_chapter: float | tuple  # recomputed from the chapter's own earlier printed numbers
    inputs: tuple  # the quantities it is computed from (empty: from X and W)
    verdict: str  # "correct" or "wrong" (within the chapter's printed rounding)
    chain: str  # CORRECT, WRONG_FROM_THE_START, CARRIED_FORWARD or DOES_NOT_FOLLOW
    wrong_components: tuple  # 1-based components that disagree with the correct value
    note: str  # the reason, in one or two sentences
    scaled: bool

    @property
    def step_name(self) -> str:
        return STEP_NAMES[self.step]

    @property
    def is_error_origin(self) -> bool:
        """True where an error enters the chain (rather than being inherited)."""
        return self.chain in (WRONG_FROM_THE_START, DOES_NOT_FOLLOW)


def _decimals(text: str) -> int:
    return max((len(word.split(".")[1]) if "." in word else 0) for word in text.split())


def _parse(text: str):
    values = tuple(float(word) for word in text.split())
    return values[0] if len(values) == 1 else values


def _agrees(printed, exact, decimals: int) -> np.ndarray:
    """Per component: could `exact`, rounded to `decimals` places, have been printed as `printed`?"""
    tolerance = 0.5 * 10.0**-decimals + ROUNDING_GRACE  # the rule of agreement_interval
    return np.abs(np.subtract(printed, exact)) <= tolerance


def _fmt(x, places: int = 4) -> str:
    """A number with up to `places` decimals and no trailing zeros: 0.73, 0.6271, -0.1."""
    text = f"{float(x):.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _vector(words, language: str) -> str:
    """[0.2, 0.8] in English; [0,2; 0,8] in Portuguese, where the comma is the decimal mark."""
    separator = "; " if language == "pt" else ", "
    return "[" + separator.join(rounding.written(w, language) for w in words) + "]"


def printed_text(printed: str, language: str = DEFAULT_LANGUAGE) -> str:
    """'0.2 0.8 0.6 0.8' -> '[0.2, 0.8, 0.6, 0.8]'; a single number stays as printed (in
    `language`'s way of writing numbers: 0,47 in Portuguese)."""
    words = printed.split()
    return rounding.written(words[0], language) if len(words) == 1 else _vector(words, language)


def format_value(value, places: int = 4, language: str = DEFAULT_LANGUAGE) -> str:
    """A number or vector as the audit shows it: 0.6271, [0.2, 0.6, 0.4, 0.7] (Portuguese:
    0,6271, [0,2; 0,6; 0,4; 0,7])."""
    if isinstance(value, np.ndarray):
        value = _as_value(value)
    if isinstance(value, (tuple, list)):
        return _vector([_fmt(x, places) for x in value], language)
    return rounding.written(_fmt(value, places), language)


def _as_value(array):
    array = np.atleast_1d(np.asarray(array, dtype=float))
    values = tuple(float(x) for x in array)
    return values[0] if len(values) == 1 else values


def _quantity_kind(quantity: str):
    """('proj', letter, i) | ('score', i, j) | ('alpha', i, j) | ('output', i), 1-based."""
    if quantity.startswith("score"):
        i, j = (int(part.strip()[2:]) for part in quantity[6:-1].split(","))
        return ("score", i, j)
    if quantity.startswith("alpha_"):
        return ("alpha", int(quantity[6]), int(quantity[7]))
    if quantity.startswith("a_"):
        return ("output", int(quantity[2:]))
    return ("proj", quantity[0], int(quantity[2:]))


def _inputs(quantity: str) -> tuple:
    kind = _quantity_kind(quantity)
    if kind[0] == "score":
        return (f"q_{kind[1]}", f"k_{kind[2]}")
    if kind[0] == "alpha":
        return tuple(f"score(x_{kind[1]}, x_{k})" for k in range(1, kind[1] + 1))
    if kind[0] == "output":
        i = kind[1]
        return tuple(f"alpha_{i}{j}" for j in range(1, i + 1)) + tuple(f"v_{j}" for j in range(1, i + 1))
    return ()


def _correct_value(quantity: str, result: AttentionResult):
    kind = _quantity_kind(quantity)
    if kind[0] == "proj":
        matrix = {"q": result.Q, "k": result.K, "v": result.V}[kind[1]]
        return _as_value(matrix[kind[2] - 1])
    if kind[0] == "score":
        return _as_value(result.scores[kind[1] - 1, kind[2] - 1])
    if kind[0] == "alpha":
        return _as_value(result.weights[kind[1] - 1, kind[2] - 1])
    return _as_value(result.output[kind[1] - 1])


def _from_chapter(quantity: str, chapter: dict, correct, d_k: int, scaled: bool):
    """The value the chapter should have printed, given its own earlier printed numbers."""
    kind = _quantity_kind(quantity)
    if kind[0] == "proj":
        return correct  # computed from X and W, which the chapter prints correctly
    if kind[0] == "score":
        q, k = np.array(chapter[f"q_{kind[1]}"]), np.array(chapter[f"k_{kind[2]}"])
        dot = float(q @ k)
        return dot / math.sqrt(d_k) if scaled else dot
    if kind[0] == "alpha":
        i, j = kind[1], kind[2]
        exps = [math.exp(chapter[f"score(x_{i}, x_{k})"]) for k in range(1, i + 1)]
        return exps[j - 1] / math.fsum(exps)
    i = kind[1]
    total = sum(chapter[f"alpha_{i}{j}"] * np.array(chapter[f"v_{j}"], ndmin=1) for j in range(1, i + 1))
    return _as_value(total)


def _components(mask, what: str = "wrong") -> str:
    """'component 2 wrong' or 'components 2, 3 and 4 wrong' for the False entries of `mask`."""
    bad = [str(c + 1) for c, ok in enumerate(np.atleast_1d(mask)) if not ok]
    if len(bad) == 1:
        return f"component {bad[0]} {what}"
    return "components " + ", ".join(bad[:-1]) + f" and {bad[-1]} {what}"


def _note(quantity, chain, printed, correct, own, inputs, scaled, agrees_correct, agrees_own) -> str:
    correct_text = format_value(correct)
    if chain == CORRECT:
        return f"Agrees with the value computed from X and W, {correct_text}."
    kind = _quantity_kind(quantity)
    if chain == WRONG_FROM_THE_START:
        letter = kind[1]
        return (
            f"x_{kind[2]} W^{letter.upper()} = {correct_text}; the chapter prints "
            f"{printed_text(printed)} ({_components(agrees_correct)})."
        )
    names = ", ".join(inputs)
    if chain == CARRIED_FORWARD:
        text = (
            f"From the chapter's own {names} it is {format_value(own, 5)}, which the chapter prints "
            f"as {printed_text(printed)} (within the audit's rounding margin): the error is inherited. "
            f"The correct value is {correct_text}."
        )
    else:
        which = ""
        if isinstance(own, tuple):
            which = f" ({_components(agrees_own, 'off')})"
        text = (
            f"From the chapter's own {names} it should be {format_value(own)}, "
            f"not {printed_text(printed)}{which}; the correct value is {correct_text}."
        )
    if quantity == "score(x_1, x_1)":
        text += (
            " The chapter even writes the products out (0.2·0.7 + 0.8·0.6 + 0.6·0.9 + 0.8·0.2), "
            f"and they add up to {format_value(own if not scaled else own * 2)}."
        )
    if kind[0] == "score" and scaled:
        text += " The chapter never divides by sqrt(d_k) = 2."
    return text


def chapter_audit(scaled: bool = False) -> list[AuditRecord]:
    """Every number the worked example prints, checked; `scaled` divides scores by sqrt(d_k).

    The chapter's example does not divide (scaled=False); its formalization does (scaled=True).
    Records come in step order, and in the chapter's printing order within a step.
    """
    example = chapter_example()
    result = self_attention(example.X, example.W_q, example.W_k, example.W_v, causal=True, scaled=scaled)
    chapter = {quantity: _parse(text) for quantity, _, text in CHAPTER_PRINTED}
    records = {}
    for quantity, printed_in, printed_text in CHAPTER_PRINTED:
        decimals = _decimals(printed_text)
        correct = _correct_value(quantity, result)
        own = _from_chapter(quantity, chapter, correct, result.d_k, scaled)
        inputs = _inputs(quantity)
        agrees_correct = _agrees(chapter[quantity], correct, decimals)
        agrees_own = _agrees(chapter[quantity], own, decimals)
        if agrees_correct.all():
            chain = CORRECT
        elif not inputs:
            chain = WRONG_FROM_THE_START
        elif agrees_own.all():
            chain = CARRIED_FORWARD
        else:
            chain = DOES_NOT_FOLLOW
        records[quantity] = AuditRecord(
            step={"proj": 1, "score": 2, "alpha": 3, "output": 4}[_quantity_kind(quantity)[0]],
            quantity=quantity,
            printed_in=printed_in,
            printed=printed_text,
            chapter=chapter[quantity],
            computed=correct,
            difference=_as_value(np.subtract(chapter[quantity], correct)),
            from_chapter=own,
            inputs=inputs,
            verdict=CORRECT if chain == CORRECT else "wrong",
            chain=chain,
            wrong_components=tuple(c + 1 for c, ok in enumerate(np.atleast_1d(agrees_correct)) if not ok),
            note=_note(quantity, chain, printed_text, correct, own, inputs, scaled, agrees_correct, agrees_own),
            scaled=bool(scaled),
        )
    return sorted(records.values(), key=lambda r: r.step)  # stable: printing order within a step


def error_origins(records) -> list[AuditRecord]:
    """The records where an error enters a chain: wrong from the start, or not following."""
    return [r for r in records if r.is_error_origin]


def summary(records, language: str = DEFAULT_LANGUAGE) -> dict:
    """How many printed numbers fall in each of the four places of the chain, keyed by the place's
    label in `language` (in English, the constants CORRECT, ...)."""
    counts = {label: 0 for label in (CORRECT, WRONG_FROM_THE_START, CARRIED_FORWARD, DOES_NOT_FOLLOW)}
    for record in records:
        counts[record.chain] += 1
    return {chain_label(label, language): count for label, count in counts.items()}


def chapter_result() -> AttentionResult:
    """The chapter's printed numbers as an AttentionResult (unscaled, causal), e.g. for a heatmap.

    The chapter prints no score for j > i; those entries are 0 here (masked, weight 0).
    """
    chapter = {quantity: _parse(text) for quantity, _, text in CHAPTER_PRINTED}
    rows = lambda letter: np.array([chapter[f"{letter}_{i}"] for i in (1, 2, 3)])  # noqa: E731
    scores, weights = np.zeros((3, 3)), np.zeros((3, 3))
    for i in (1, 2, 3):
        for j in range(1, i + 1):
            scores[i - 1, j - 1] = chapter[f"score(x_{i}, x_{j})"]
            weights[i - 1, j - 1] = chapter[f"alpha_{i}{j}"]
    return AttentionResult(
        rows("q"), rows("k"), rows("v"), scores, weights, rows("a"), d_k=4, causal=True, scaled=False
    )


# --- the audit as a table, for a notebook --------------------------------------------------------


class HTMLText(str):
    """HTML that a notebook shows rendered; plain-text views get the table as text."""

    def _repr_html_(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer, cycle) -> None:
        text = re.sub(r"</t[dh]>", " | ", re.sub(r"</tr>", "\n", str(self)))
        printer.text(html.unescape(re.sub(r"<[^>]+>", "", text)).rstrip())


_ROW_STYLE = {
    WRONG_FROM_THE_START: "background:#f8c9c4;color:#000",  # red: the first error of a chain
    DOES_NOT_FOLLOW: "background:#fde2b8;color:#000",  # orange: a new error, later in the chain
    CARRIED_FORWARD: "",
    CORRECT: "background:#d4edda;color:#000",
}


def audit_table(records, language: str = DEFAULT_LANGUAGE) -> HTMLText:
    """The audit grouped by step; errors that enter a chain are highlighted."""
    records = list(records)
    scaled = records[0].scaled if records else False
    say = lambda key, **values: text("audit." + key, language, **values)  # noqa: E731
    cell = 'style="padding:2px 8px;text-align:left;vertical-align:top"'
    header = (
        say("column_quantity"),
        say("column_printed"),
        say("column_correct_scaled" if scaled else "column_correct_unscaled"),
        say("column_own"),
        say("column_verdict"),
    )
    markers = {WRONG_FROM_THE_START: say("marker_first_error"), DOES_NOT_FOLLOW: say("marker_new_error")}
    parts = ['<table style="border-collapse:collapse;font-size:90%">']
    for step in sorted({r.step for r in records}):
        parts.append(f'<tr><th colspan="{len(header)}" {cell}>{html.escape(step_name(step, language))}</th></tr>')
        parts.append("<tr>" + "".join(f"<th {cell}>{html.escape(h)}</th>" for h in header) + "</tr>")
        for r in (r for r in records if r.step == step):
            marker = markers.get(r.chain, "")
            printed = printed_text(r.printed, language)
            where = say("printed_in", step=r.printed_in) if r.printed_in != r.step else ""
            own = format_value(r.from_chapter, 5, language) if r.inputs else say("from_x_and_w")
            # the label in the learner's language; check_labels reads it (and the English constant)
            verdict = f"<b>{html.escape(chain_label(r.chain, language))}</b>"
            values = (
                f"{r.quantity}{where}",
                printed,
                format_value(r.computed, language=language),
                own,
                f"{verdict}{marker}",
            )
            style = _ROW_STYLE[r.chain]
            parts.append(
                f'<tr style="{style}">'
                + "".join(f"<td {cell}>{v if v.startswith('<b>') else html.escape(v)}</td>" for v in values)
                + "</tr>"
            )
    parts.append("</table>")
    return HTMLText("".join(parts))


def chain_table(chain, language: str = DEFAULT_LANGUAGE) -> HTMLText:
    """A chain of (quantity, value) pairs, e.g. `student_chain()`, as a two-column table."""
    cell = 'style="padding:2px 8px;text-align:left"'
    rows = "".join(
        f"<tr><td {cell}>{html.escape(name)}</td><td {cell}>{html.escape(format_value(value, language=language))}</td></tr>"
        for name, value in chain
    )
    quantity, written = (html.escape(text("audit." + key, language)) for key in ("column_quantity", "column_written"))
    return HTMLText(
        f'<table style="border-collapse:collapse"><tr><th {cell}>{quantity}</th>'
        f"<th {cell}>{written}</th></tr>{rows}</table>"
    )


def dependence_table(changed, tokens, language: str = DEFAULT_LANGUAGE) -> HTMLText:
    """`output_dependence` as a table: does output a_i (row) change when x_j (column) changes?"""
    changed = np.asarray(changed, dtype=bool)
    cell = 'style="padding:2px 8px;text-align:center"'
    say = lambda key, **values: html.escape(text("audit." + key, language, **values))  # noqa: E731
    head = "".join(
        f"<th {cell}>{say('input_changed', j=j + 1, token=str(tokens[j]))}</th>" for j in range(changed.shape[1])
    )
    changes, identical = say("output_changes"), say("output_identical")
    rows = "".join(
        f"<tr><th {cell}>a_{i + 1}</th>"
        + "".join(f"<td {cell}>{changes if c else identical}</td>" for c in changed[i])
        + "</tr>"
        for i in range(changed.shape[0])
    )
    return HTMLText(f'<table style="border-collapse:collapse"><tr><th {cell}></th>{head}</tr>{rows}</table>')


# --- Lemma 1: what a translation x_i -> x_i + t really does ---------------------------------------

# The counterexample's translation (notebook 07, ERRATA.md): every x_i moved 2 along its first axis.
LEMMA_T = (2.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True, eq=False)
class TranslationEffect:
    """Self-attention before and after every x_i is moved by the same vector t."""

    t: np.ndarray
    before: AttentionResult
    after: AttentionResult
    row_term: np.ndarray  # (n,) q_i . (t W^K): the same for every j of row i, harmless
    column_term: np.ndarray  # (n,) (t W^Q) . k_j: depends on j, so it changes the weights
    constant_term: float  # (t W^Q) . (t W^K): the same everywhere, harmless
    value_shift: np.ndarray  # (d_v,) t W^V: added to every value vector

    @property
    def score_change(self) -> np.ndarray:
        return self.after.scores - self.before.scores

    @property
    def predicted_score_change(self) -> np.ndarray:
        """The three terms of the lemma's own step IV (divided by sqrt(d_k) when scaled)."""
        change = self.row_term[:, None] + self.column_term[None, :] + self.constant_term
        return change / math.sqrt(self.before.d_k) if self.before.scaled else change

    @property
    def weight_change(self) -> float:
        return float(np.abs(self.after.weights - self.before.weights).max())

    @property
    def output_change(self) -> float:
        return float(np.abs(self.after.output - self.before.output).max())


def translation_effect(X, W_q, W_k, W_v, t, causal: bool = True, scaled: bool = True) -> TranslationEffect:
    """Run self-attention on X and on X + t (t added to every row) and split the score change."""
    X = as_matrix(X, "X")
    t = _as_float_array(t, "t", copy=True, ndims=(1, 2)).reshape(-1)
    _require_finite(t, "t")
    if t.shape != (X.shape[1],):
        raise LearnerError("core.t_size", d_model=X.shape[1], got=t.size)
    before = self_attention(X, W_q, W_k, W_v, causal=causal, scaled=scaled)
    with np.errstate(over="ignore", invalid="ignore"):  # reported just below
        moved = X + t
        tq, tk, tv = t @ _floats(W_q), t @ _floats(W_k), t @ _floats(W_v)
        terms = (before.Q @ tk, before.K @ tq, tq @ tk)
    if not (np.isfinite(moved).all() and all(np.isfinite(a).all() for a in (tq, tk, tv, *terms))):
        raise ValueError(
            "the inputs are too large: X + t or t's projections overflowed the float64 "
            "range (about 1.8e308); use a smaller t"
        )
    after = self_attention(moved, W_q, W_k, W_v, causal=causal, scaled=scaled)
    return TranslationEffect(
        t=t,
        before=before,
        after=after,
        row_term=terms[0],
        column_term=terms[1],
        constant_term=float(terms[2]),
        value_shift=tv,
    )


def _floats(W) -> np.ndarray:
    """A weight matrix self_attention has already accepted, as floats."""
    return np.asarray(W, dtype=float)


# --- Theorem 1, Proposition 1, Corollary 1.1 --------------------------------------------------------


def output_dependence(X, W_q, W_k, W_v, causal: bool = True, scaled: bool = True, delta: float = 1.0) -> np.ndarray:
    """(n, n) booleans: [i, j] is True when changing x_j (every component + delta) changes a_i at all."""
    X = as_matrix(X, "X")
    if (
        isinstance(delta, (bool, np.bool_))
        or not isinstance(delta, numbers.Real)
        or not (-1e300 < delta < 1e300)
        or delta == 0
    ):  # compared, not float()ed: 10**400 is an int
        raise ValueError(f"delta must be a finite, non-zero number (the change added to x_j); got {_short(delta)}")
    base = self_attention(X, W_q, W_k, W_v, causal=causal, scaled=scaled).output
    changed = np.zeros((len(X), len(X)), dtype=bool)
    for j in range(len(X)):
        moved = X.copy()
        with np.errstate(over="ignore"):  # an overflow to inf is refused by self_attention
            moved[j] += float(delta)
        output = self_attention(moved, W_q, W_k, W_v, causal=causal, scaled=scaled).output
        changed[:, j] = (output != base).any(axis=1)  # bit for bit: no tolerance
    return changed


def prefix_gap(X, W_q, W_k, W_v, scaled: bool = True) -> np.ndarray:
    """(n,) for each i: |causal a_i - a_i of unmasked attention over x_1..x_i only|, largest component."""
    X = as_matrix(X, "X")
    _flag(scaled, "scaled")
    causal = self_attention(X, W_q, W_k, W_v, causal=True, scaled=scaled).output
    gaps = np.empty(len(X))
    for i in range(len(X)):
        prefix = self_attention(X[: i + 1], W_q, W_k, W_v, causal=False, scaled=scaled).output
        gaps[i] = np.abs(prefix[i] - causal[i]).max()
    return gaps


# --- exercises: instant checks ------------------------------------------------------------------


def _key(name) -> str:
    """Loose spelling of a quantity: 'score(x_2, x_2)', 'score(x2,x2)', 'α_21', 'alpha21' all match."""
    text = str(name).lower().replace(" ", "").replace("_", "").replace("α", "alpha")
    return text


def student_chain() -> list[tuple[str, float | tuple]]:
    """A learner's chain for token x_2 (scaled, from the chapter's X and W) with one slip in it.

    The slip: in q_2 . k_2 the product (-0.1)(0.7) was written as +0.07. Everything after it
    was then computed correctly from the numbers written before.
    """
    example = chapter_example()
    r = self_attention(example.X, example.W_q, example.W_k, example.W_v, causal=True, scaled=True)
    q2, k1, k2 = r.Q[1], r.K[0], r.K[1]
    slipped = float(q2 @ k2 - 2 * q2[3] * k2[3]) / math.sqrt(r.d_k)  # one product's sign flipped
    scores = np.array([r.scores[1, 0], slipped])
    weights = np.exp(scores) / np.exp(scores).sum()
    output = weights[0] * r.V[0] + weights[1] * r.V[1]
    return [
        ("q_2", _as_value(q2)),
        ("k_1", _as_value(k1)),
        ("k_2", _as_value(k2)),
        ("v_1", _as_value(r.V[0])),
        ("v_2", _as_value(r.V[1])),
        ("score(x_2, x_1)", _as_value(r.scores[1, 0])),
        ("score(x_2, x_2)", slipped),
        ("alpha_21", float(weights[0])),
        ("alpha_22", float(weights[1])),
        ("a_2", _as_value(output)),
    ]


_STUDENT_SLIP = "score(x_2, x_2)"


def _speaker(language: str):
    """`say(key, **values)`: the sentence "audit.<key>" in `language` (an unknown one is refused)."""
    return speaker(language, "audit.")


def check_first_wrong(answer, language: str = DEFAULT_LANGUAGE) -> str:
    """Exercise 1: which is the first wrong number in `student_chain()`?"""
    say = _speaker(language)
    names = [name for name, _ in student_chain()]
    if answer is None:
        return say("first_unanswered")
    matches = [n for n in names if _key(n) == _key(answer)]
    if not matches:
        return say("first_not_in_chain", answer=_short(answer), names=", ".join(names))
    name = matches[0]
    position, slip = names.index(name), names.index(_STUDENT_SLIP)
    if position < slip:
        return say("first_right_number", name=name)
    if position > slip:
        return say("first_carried", name=name)
    example = chapter_example()
    r = self_attention(example.X, example.W_q, example.W_k, example.W_v, causal=True, scaled=True)
    shown = lambda x: format_value(x, language=language)  # noqa: E731
    return say("first_correct", value=shown(r.scores[1, 1]), q=shown(r.Q[1, 3]), k=shown(r.K[1, 3]))


# How check_labels reads a learner's label (the rule, in words):
#  1. Lower-case; "n't" becomes " not" (isn't -> is not); punctuation ends a clause.
#  2. Look for each label's phrases below. A phrase is negated when "not", "never", "nor",
#     "neither", "hardly" stands among the three words before it in the same clause, or "no"
#     right before it ("not carried forward", "is not at all correct", "no error").
#  3. "wrong", "incorrect", "false", "error", "mistake" and the like say "not correct" (and,
#     negated, "correct": "not wrong"), unless they are part of a longer phrase of another label
#     ("wrong from the start", "error carried forward").
#  4. The label is the one label named without negation; a label named only negated, or two
#     labels named, is not a choice: the learner is asked to name exactly one.
_LABEL_PHRASES = (
    (
        DOES_NOT_FOLLOW,
        (
            "does not follow",
            "do not follow",
            "did not follow",
            "not follow",
            "new error",
            "own error",
            "introduces an error",
            "introduces the error",
        ),
    ),
    (WRONG_FROM_THE_START, ("wrong from the start", "from the start", "start", "origin", "origin of")),
    (
        CARRIED_FORWARD,
        (
            "error carried forward",
            "carried forward",
            "carried",
            "carry",
            "forward",
            "inherited",
            "inherits",
            "propagated",
            "propagates",
        ),
    ),
    (CORRECT, ("correct", "right", "ok", "okay", "true", "fine", "accurate")),
)
_NOT_CORRECT_WORDS = (
    "wrong",
    "incorrect",
    "false",
    "error",
    "mistake",
    "mistaken",
    "erroneous",
    "bad",
    "inaccurate",
    "off",
)
_NEGATORS = ("not", "never", "nor", "neither", "hardly")
# The Portuguese edition reads the same four labels in Portuguese too (the table shows both), by
# the same rule with Portuguese negations ("não", "nunca", "nem"); "no" is not a negation there
# ("erro no início"). The English phrases still count: the code's labels are English.
_LABEL_PHRASES_PT = (
    (
        DOES_NOT_FOLLOW,
        (
            "não decorre",
            "nao decorre",
            "não segue",
            "nao segue",
            "erro novo",
            "novo erro",
            "erro próprio",
            "erro proprio",
        ),
    ),
    (
        WRONG_FROM_THE_START,
        (
            "errado desde o início",
            "errado desde o inicio",
            "desde o início",
            "desde o inicio",
            "início",
            "inicio",
            "origem",
        ),
    ),
    (
        CARRIED_FORWARD,
        (
            "erro propagado",
            "propagado",
            "propagada",
            "propaga",
            "herdado",
            "herdada",
            "herda",
            "arrastado",
            "arrastada",
        ),
    ),
    (CORRECT, ("correto", "correta", "certo", "certa")),
)
_NOT_CORRECT_WORDS_PT = (
    "errado",
    "errada",
    "incorreto",
    "incorreta",
    "falso",
    "falsa",
    "erro",
    "equivocado",
    "equivocada",
)
_NEGATORS_PT = ("não", "nao", "nunca", "nem")
# Answers longer than this are not a label: refused before any reading (bounded work).
_MAX_LABEL_LENGTH = 200


def _clauses(text: str, portuguese: bool = False) -> list[list[str]]:
    text = text.lower().replace("\u2019", "'").replace("n't", " not").replace("cannot", "can not")
    # Portuguese words keep their accents (início, não); "mas" ends a clause as "but" does
    word, but = (r"[^\W\d_]+", r" but | mas ") if portuguese else (r"[a-z]+", r" but ")
    return [re.findall(word, part) for part in re.split(r"[,.;:!?()\[\]\u2014\-]+|" + but, text)]


def _find(words: list[str], phrase: str):
    """Start positions of `phrase` (a run of words) in `words`."""
    target = phrase.split()
    return [k for k in range(len(words) - len(target) + 1) if words[k : k + len(target)] == target]


def _negated(words: list[str], start: int, portuguese: bool = False) -> bool:
    before = words[max(0, start - 3) : start]
    if portuguese:
        return any(w in _NEGATORS or w in _NEGATORS_PT for w in before)
    return any(w in _NEGATORS for w in before) or (start > 0 and words[start - 1] == "no")


def _label_phrases(portuguese: bool):
    if not portuguese:
        return _LABEL_PHRASES
    extra = dict(_LABEL_PHRASES_PT)
    return tuple((label, phrases + extra[label]) for label, phrases in _LABEL_PHRASES)


def _read_label(answer, language: str = DEFAULT_LANGUAGE):
    """(label, None) or (None, why no single label was read)."""
    say = _speaker(language)
    portuguese = language == "pt"
    if not isinstance(answer, str):
        return None, say("label_not_text", example=repr(chain_label(CORRECT, language)), type=type(answer).__name__)
    answer_text = answer
    if len(answer_text) > _MAX_LABEL_LENGTH:
        return None, say("label_too_long", length=len(answer_text))
    not_correct = _NOT_CORRECT_WORDS + (_NOT_CORRECT_WORDS_PT if portuguese else ())
    named, denied = set(), set()
    for words in _clauses(answer_text, portuguese):
        used = [False] * len(words)  # words already read as part of a longer phrase
        for label, phrases in _label_phrases(portuguese):
            for phrase in sorted(phrases, key=len, reverse=True):
                size = len(phrase.split())
                for k in _find(words, phrase):
                    if any(used[k : k + size]):
                        continue
                    used[k : k + size] = [True] * size
                    (denied if _negated(words, k, portuguese) else named).add(label)
        for k, word in enumerate(words):
            if word in not_correct and not used[k]:
                (named if _negated(words, k, portuguese) else denied).add(CORRECT)
    chosen = named - denied
    if len(chosen) == 1 and not (named & denied):
        return chosen.pop(), None
    labels = lambda chains: ", ".join(chain_label(c, language) for c in sorted(chains))  # noqa: E731
    if len(named) > 1:
        return None, say("label_several", labels=labels(named))
    if denied:
        return None, say("label_denied", labels=labels(denied))
    return None, None


def _label(answer, language: str = DEFAULT_LANGUAGE):
    return _read_label(answer, language)[0]


_MAX_LABELS = 100


def check_labels(answers: dict, language: str = DEFAULT_LANGUAGE) -> str:
    """Exercise 2: label chapter numbers with their place in the chain (unscaled audit).

    Labels are read by the rule above `_LABEL_PHRASES`: negations count ("not correct",
    "isn't right", "incorrect", "wrong" are not "correct"), and an answer that only says what a
    number is not, or names two labels, gets asked for exactly one label. In Portuguese the
    labels are read in Portuguese as well as in English (`_LABEL_PHRASES_PT`).
    """
    say = _speaker(language)
    if answers is None:
        return say("labels_unanswered")
    if not isinstance(answers, dict):
        return say("labels_not_dict", example=repr(chain_label(CORRECT, language)), type=type(answers).__name__)
    if len(answers) > _MAX_LABELS:
        return say("labels_too_many", count=len(answers), printed=len(CHAPTER_PRINTED))
    if all(answer is None for answer in answers.values()):
        return say("labels_unanswered")
    records = {_key(r.quantity): r for r in chapter_audit(scaled=False)}
    four = ", ".join(repr(chain_label(c, language)) for c in (CORRECT, WRONG_FROM_THE_START, CARRIED_FORWARD))
    lines, right = [], 0
    for quantity, answer in answers.items():
        record = records.get(_key(quantity)) if len(str(quantity)) <= _MAX_LABEL_LENGTH else None
        if record is None:
            lines.append(say("labels_not_printed", quantity=_short(quantity)))
            continue
        if answer is None:
            lines.append(say("labels_one_unanswered", quantity=record.quantity))
            continue
        label, why = _read_label(answer, language)
        own, correct = format_value(record.from_chapter, 5, language), format_value(record.computed, language=language)
        inputs, printed = ", ".join(record.inputs), printed_text(record.printed, language)
        if label is None:
            lines.append(
                say(
                    "labels_use_one",
                    quantity=record.quantity,
                    labels=four,
                    problem=f"{_short(answer)}: {why}. " if why else "",
                )
            )
        elif label == record.chain:
            right += 1
            lines.append(say("labels_right", quantity=record.quantity, label=chain_label(record.chain, language)))
        elif label == CORRECT:
            lines.append(say("labels_not_correct", quantity=record.quantity, correct=correct, printed=printed))
        elif label == WRONG_FROM_THE_START:
            lines.append(say("labels_not_start", quantity=record.quantity, inputs=inputs))
        elif record.chain == CORRECT:
            lines.append(say("labels_is_correct", quantity=record.quantity, correct=correct))
        elif record.chain == WRONG_FROM_THE_START:
            lines.append(say("labels_is_start", quantity=record.quantity))
        elif label == CARRIED_FORWARD:
            lines.append(say("labels_not_carried", quantity=record.quantity, inputs=inputs, own=own, printed=printed))
        else:
            lines.append(
                say(
                    "labels_is_carried",
                    quantity=record.quantity,
                    inputs=inputs,
                    own=own,
                    printed=printed,
                    grace=ROUNDING_GRACE,
                )
            )
    lines.append(say("labels_score", right=right, total=len(answers)))
    return "\n".join(lines)


def _short(value, limit: int = answers.ECHO) -> str:
    return answers.shorten(value, limit)


def check_corrected_score(value, i: int = 3, j: int = 2, scaled: bool = True, language: str = DEFAULT_LANGUAGE) -> str:
    """Exercise 3: the correct score(x_i, x_j) (1-based, as the chapter writes it) from X and W."""
    say = _speaker(language)
    example = chapter_example()
    n = len(example.X)
    for index_name, index in (("i", i), ("j", j)):
        if isinstance(index, (bool, np.bool_)) or not isinstance(index, (int, np.integer)) or not 1 <= index <= n:
            return say("score_bad_index", name=index_name, n=n, got=_short(index))
    if not isinstance(scaled, (bool, np.bool_)):
        return say("score_bad_scaled", got=_short(scaled))
    name = f"score(x_{i}, x_{j})"
    if value is None:
        return say("score_unanswered", name=name)
    number, problem = answers.read_number(value, language)  # as every check reads one number
    if problem is not None:
        got, code = problem
        return got if code == answers.DECIMAL_COMMA else say("score_not_number", name=name, got=got)
    value = number
    r = self_attention(example.X, example.W_q, example.W_k, example.W_v, causal=True, scaled=scaled)
    chapter = {q: _parse(t) for q, _, t in CHAPTER_PRINTED}
    root = math.sqrt(r.d_k)
    right = float(r.scores[i - 1, j - 1])
    dot = float(r.Q[i - 1] @ r.K[j - 1])
    own = float(np.array(chapter[f"q_{i}"]) @ np.array(chapter[f"k_{j}"]))
    close = lambda x: abs(value - x) <= 0.005  # noqa: E731 (two decimals are enough)
    if close(right):
        return say("score_right", name=name, value=format_value(right, language=language))
    mistakes = [(chapter.get(name), say("score_printed"))]
    mistakes.append((own / root if scaled else own, say("score_printed_inputs", i=i, j=j)))
    if scaled:
        mistakes += [
            (own, say("score_printed_inputs_unscaled", i=i, j=j)),
            (dot, say("score_unscaled")),
            (dot / r.d_k, say("score_divided_by_dk")),
        ]
    mistakes.append((float(r.scores[j - 1, i - 1]), say("score_swapped", i=i, j=j)))
    for wrong, hint in mistakes:
        if wrong is not None and close(wrong):
            return hint
    return say("score_other_scaled" if scaled else "score_other", name=name, i=i, j=j)
