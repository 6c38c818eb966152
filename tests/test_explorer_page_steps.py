"""The page writes the worked steps itself (issue 21): selfattn_lib/explorer/steps.js, run in node on
random states, must write exactly what steps.worked_steps writes for the same state: the same
blocks of Markdown/LaTeX (steps.py's own form), and the same nodes the page draws
(steps_view.page_blocks), in both languages (decimal comma in Portuguese)."""

from __future__ import annotations

import numpy as np
import pytest
from explorer_page_cases import run_page

from selfattn_lib import rounding, steps
from selfattn_lib.attention import AttentionResult
from selfattn_lib.explorer.state import MAX_DIM, MAX_TOKENS, ExplorerState, InputError, validate
from selfattn_lib.explorer.steps_view import page_blocks

STATES = 400
# labels a learner might type, with what Markdown, LaTeX and the page's node parser would act on
LABELS = [
    "gato",
    "$x^2$",
    "R$5 e R$6",
    "a*b*",
    "**",
    "\\(\\frac{1}{2}\\)",
    "x_1",
    "[1]",
    "#",
    "<b>",
    "|",
    "`",
    "\\",
    "é",
    "3.5",
    "{s}",
    "}",
    "a & b",
    "0,5",
    "  two  words ",
]


def random_state(rng) -> ExplorerState:
    n = int(rng.integers(1, MAX_TOKENS + 1))
    d_model, d_k, d_v = (int(d) for d in rng.integers(1, MAX_DIM + 1, size=3))
    kind = rng.random()
    if kind < 0.5:  # everyday numbers
        sx, sw = 10 ** rng.uniform(-2, 1, size=2)
    elif kind < 0.7:  # scores beyond 30: the steps subtract the largest first
        sx, sw = 10 ** rng.uniform(1, 2.5), 10 ** rng.uniform(-0.5, 0.5)
    else:  # large values: shown as 1.23e+11, where "=" may become "≈"
        sx, sw = 10 ** rng.uniform(4, 12), 10 ** rng.uniform(-12, 1)

    def draw(rows, cols, scale):
        M = rng.normal(0, scale, size=(rows, cols))
        if rng.random() < 0.4:  # numbers as a learner types them: ties for the half-up rule
            M = np.round(M, int(rng.integers(0, 4)))
        return np.clip(M, -1e12, 1e12)

    labels = [str(rng.choice(LABELS)) if rng.random() < 0.5 else f"t{k}" for k in range(n)]
    return ExplorerState.of(
        [label.strip() for label in labels],
        draw(n, d_model, sx),
        draw(d_model, d_k, sw),
        draw(d_model, d_k, sw),
        draw(d_model, d_v, sw),
        causal=bool(rng.random() < 0.5),
        scaled=bool(rng.random() < 0.6),
        focus=int(rng.integers(0, n)),
        positions=bool(rng.random() < 0.4),
    )


def as_lists(blocks) -> list:
    out = []
    for kind, *rest in blocks:
        out.append([kind, list(rest[0]), [list(r) for r in rest[1]]] if kind == "table" else [kind, *rest])
    return out


def test_the_page_writes_the_steps_steps_py_writes_on_random_states():
    rng = np.random.default_rng(2026)
    cases, states = [], []
    while len(cases) < STATES:
        state = random_state(rng)
        try:
            validate(state)
        except InputError:
            continue
        cases.append({"op": "steps", "state": state.to_page(), "language": "pt" if len(cases) % 2 else "en"})
        states.append(state)
    answers = run_page(cases)
    wrong = []
    for k, (answer, state, case) in enumerate(zip(answers, states, cases)):
        assert answer["ok"], (k, answer)
        # steps.py on the page's own numbers (equal to the library's within 1e-12, as
        # test_explorer_page_numbers checks): the text is then required to be identical
        head = {name: np.array(value, dtype=float) for name, value in answer["head"].items()}
        result = AttentionResult(**head, d_k=state.d_k, causal=state.causal, scaled=state.scaled)
        worked = steps.worked_steps(
            result,
            np.array(answer["X_in"]),
            state.W_q,
            state.tokens,
            state.focus,
            language=case["language"],
            positions=state.positions,
        )
        blocks, nodes = as_lists(worked.blocks), page_blocks(worked, case["language"])
        if answer["blocks"] != blocks:
            diff = (
                next((a, b) for a, b in zip(answer["blocks"], blocks) if a != b)
                if len(answer["blocks"]) == len(blocks)
                else "length"
            )
            wrong.append((k, cases[k]["language"], diff))
        elif answer["page"] != nodes:
            wrong.append((k, "nodes", next((a, b) for a, b in zip(answer["page"], nodes) if a != b)))
    assert not wrong, f"{len(wrong)} of {len(cases)} states differ; first:\n" + "\n".join(map(repr, wrong[:5]))
    # the random states reached what they are for: "≈", the shifted softmax, numbers as 1.23e+11, masks
    text = repr([a["blocks"] for a in answers])
    assert "\ue000" not in text and "\ue001" not in text  # the marks around a label never reach the learner
    for sign in ("\\\\approx", "\\\\max", "e+", "Masked (future) tokens", "Os tokens futuros, mascarados", "(x_{"):
        assert sign in text, sign


@pytest.mark.parametrize("places", [2, 4, 6, 10])
def test_the_steps_round_as_rounding_py_does(places):
    rng = np.random.default_rng(places)
    values = list(rng.normal(0, 1, 200)) + list(rng.normal(0, 1, 200) * 10 ** rng.uniform(-12, 12, 200))
    values += [
        0.365,
        0.305,
        0.125,
        2.675,
        -0.005,
        1e-9,
        -1e-12,
        0.5,
        1.5,
        -2.5,
        999.995,
        12345.675,
        1e12,
        999999999999.5,
        0.1 + 0.2,
        1 / 3,
        0.0,
        -0.0,
    ]
    values += list(np.round(rng.normal(0, 10, 200), places + 1))
    answers = run_page([{"op": "stepsFmt", "x": float(x), "places": places} for x in values])
    wrong = [
        (x, a["value"], rounding.fmt(x, places))
        for x, a in zip(values, answers)
        if a["value"] != rounding.fmt(x, places)
    ]
    assert not wrong, wrong[:10]


def test_fmt_writes_fixed_notation_at_any_precision():
    """rounding.fmt(1e-9, 10) was '1.0E-9' (str of a Decimal), so steps wrote e^{1.0E-9}."""
    assert rounding.fmt(1e-9, 10) == "0.0000000010"
    assert rounding.fmt(-1e-13, 10) == "0.0000000000"


def test_a_label_is_written_as_typed_in_both_languages_on_both_sides():
    """A learner's token is theirs: "3.5" stays 3.5 in the Portuguese steps (the numbers of ours
    around it get their comma), and the marks that keep it apart never reach the learner."""
    labels = ["3.5", "100000", "\ue000 2.5\ue001", "0.25%"]
    X = np.array([[1.5, 0.25], [0.5, 1.0], [2.0, 0.5], [0.125, 1.0]])
    state = ExplorerState.of(labels, X, np.eye(2), np.eye(2), np.eye(2), causal=True, scaled=True, focus=3)
    result = validate(state)  # the explorer's own library call
    languages = (("pt", "1,5000"), ("en", "1.5000"))
    answers = run_page([{"op": "steps", "state": state.to_page(), "language": language} for language, _ in languages])
    for (language, ours), answer in zip(languages, answers):
        assert answer["ok"], answer
        worked = steps.worked_steps(result, state.X_in, state.W_q, state.tokens, 3, language=language)
        for side, text in (("steps.py", str(worked) + worked.html), ("steps.js", repr(answer["blocks"]))):
            for label in ("3.5", "100000", " 2.5", "0.25%"):
                assert f"“{label}”" in text, (side, language, label)
            assert ours in text, (side, language)
            assert "\ue000" not in text and "\ue001" not in text, (side, language)
