"""The page computes what selfattn_lib computes (issue 21): the module explorer.js, run in node on
random states, against validate() / self_attention / multi_head_attention; and the number
parsing, rounding and box texts of both sides against one table of cases."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from explorer_page_cases import run_page

from selfattn_lib import rounding
from selfattn_lib.explorer.state import (
    MAX_DIM,
    MAX_HEADS,
    MAX_TOKENS,
    ExplorerState,
    InputError,
    check_label,
    exact_text,
    number_text,
    parse_matrix,
    parse_number,
    validate,
)
from selfattn_lib.multihead import MultiHeadResult

HERE = Path(__file__).resolve().parent
STATES = 900  # of which at least 500 are accepted (the rest: refusals that both sides must agree on)


def random_state(rng) -> ExplorerState:
    n = int(rng.integers(1, MAX_TOKENS + 1))
    d_model = int(rng.integers(1, MAX_DIM + 1))
    n_heads = int(rng.integers(1, MAX_HEADS + 1))
    d_k = n_heads * int(rng.integers(1, MAX_DIM // n_heads + 1))
    d_v = n_heads * int(rng.integers(1, MAX_DIM // n_heads + 1))
    kind = rng.random()
    if kind < 0.7:  # everyday numbers, tiny to large
        sx, sw = 10 ** rng.uniform(-3, 3, size=2)
    elif kind < 0.9:  # inputs up to +-1e12 with weights that keep the results in range
        sx, sw = 10 ** rng.uniform(9, 12), 10 ** rng.uniform(-13, -8)
    else:  # anything up to the limit: mostly refused
        sx, sw = 10 ** rng.uniform(0, 12, size=2)

    def draw(rows, cols, scale):
        M = rng.normal(0, scale, size=(rows, cols))
        if rng.random() < 0.3:
            M = np.round(M, 1)
        return np.clip(M, -1e12, 1e12)

    return ExplorerState.of(
        [f"t{k}" for k in range(n)],
        draw(n, d_model, sx),
        draw(d_model, d_k, sw),
        draw(d_model, d_k, sw),
        draw(d_model, d_v, sw),
        causal=bool(rng.random() < 0.5),
        scaled=bool(rng.random() < 0.6),
        focus=int(rng.integers(0, n)),
        W_o=draw(d_v, d_model, 1.0),
        n_heads=n_heads,
        positions=bool(rng.random() < 0.4),
    )


def close(name, page, python) -> None:
    page, python = np.array(page, dtype=float), np.asarray(python, dtype=float)
    assert page.shape == python.shape, f"{name}: page {page.shape}, python {python.shape}"
    scale = max(float(np.abs(python).max()), 1e-300)
    worst = float(np.abs(page - python).max())
    assert worst <= 1e-12 * scale, f"{name}: off by {worst:.3g}, largest entry {scale:.3g}"


def test_the_page_computes_what_the_library_computes_on_random_states():
    rng = np.random.default_rng(21)
    states = [random_state(rng) for _ in range(STATES)]
    answers = run_page([{"op": "attention", "state": s.to_page()} for s in states])
    accepted = 0
    for k, (state, page) in enumerate(zip(states, answers)):
        try:
            result = validate(state)
        except InputError as exc:
            assert not page["ok"], f"state {k}: the library refused ({exc.key}), the page accepted"
            assert page["key"] == exc.key, f"state {k}: refused for {page['key']} in the page, {exc.key} here"
            continue
        assert page["ok"], f"state {k}: the page refused ({page['key']} {page['values']}) what the library accepts"
        accepted += 1
        heads = result.heads if isinstance(result, MultiHeadResult) else (result,)
        close(f"state {k} X_in", page["X_in"], state.X_in)
        assert len(page["heads"]) == len(heads)
        for h, (ours, theirs) in enumerate(zip(page["heads"], heads)):
            for name in ("Q", "K", "V", "scores", "weights", "output"):
                close(f"state {k} head {h} {name}", ours[name], getattr(theirs, name))
        close(f"state {k} output", page["output"], result.output)
        if isinstance(result, MultiHeadResult):
            close(f"state {k} concat", page["concat"], result.concat)
    assert accepted >= 500, accepted


# --- one table of parsing cases, run against both sides ------------------------------------------

CASES = json.loads((HERE / "explorer_parse_cases.json").read_text(encoding="utf-8"))


def python_answer(case):
    try:
        if case["op"] == "number":
            return {"ok": True, "value": parse_number(case["text"], 1, 1, "", language=case["language"])}
        if case["op"] == "matrix":
            return {"ok": True, "value": parse_matrix(case["text"], language=case["language"]).tolist()}
        if case["op"] == "label":
            return {"ok": True, "value": check_label(case["text"])}
    except InputError as exc:
        return {"ok": False, "key": exc.key}
    raise AssertionError(case)


def expected(case):
    want = case["expect"]
    return {"ok": False, "key": want["refused"]} if "refused" in want else {"ok": True, "value": want["value"]}


@pytest.mark.parametrize("case", CASES, ids=[f"{c['op']}-{c['language']}-{c['text'][:20]!r}" for c in CASES])
def test_the_library_follows_the_parsing_table(case):
    assert python_answer(case) == expected(case)


def test_the_page_follows_the_parsing_table():
    answers = run_page(CASES)
    wrong = [
        (
            case["op"],
            case["language"],
            case["text"][:40],
            {k: v for k, v in answer.items() if k != "values"},
            expected(case),
        )
        for case, answer in zip(CASES, answers)
        if {k: v for k, v in answer.items() if k != "values"} != expected(case)
    ]
    assert not wrong, "\n".join(map(repr, wrong))


def test_rounding_and_box_texts_are_the_same_on_both_sides():
    rng = np.random.default_rng(5)
    values = list(rng.normal(0, 1, 300)) + list(rng.normal(0, 1, 200) * 10 ** rng.uniform(-6, 12, 200))
    values += [
        0.365,
        0.305,
        0.125,
        2.675,
        -0.005,
        0.0049999,
        1e-13,
        -1e-13,
        0.5,
        1.5,
        -2.5,
        999.995,
        12345.675,
        1e12,
        -1e12,
        1.0000000001e12,
        0.1 + 0.2,
        1 / 3,
        2 / 3,
        1e-5,
        1e-4,
        123456789.0,
        1e15 + 0.5,
        1e16,
        0.0,
    ]
    values += list(np.round(rng.normal(0, 10, 200), 3))
    cases = (
        [{"op": "fmt", "x": float(x), "places": p} for x in values for p in (2, 4)]
        + [{"op": "numberText", "x": float(x), "language": lang} for x in values for lang in ("en", "pt")]
        + [{"op": "exactText", "x": float(x)} for x in values]
    )
    answers = run_page(cases)
    wrong = []
    for case, answer in zip(cases, answers):
        if case["op"] == "fmt":
            want = rounding.fmt(case["x"], case["places"])
        elif case["op"] == "numberText":
            want = number_text(case["x"], case["language"])
        else:
            want = exact_text(case["x"])
            assert float(want) == case["x"]  # a refusal quotes the very value
        if answer.get("value") != want:
            wrong.append((case, answer, want))
    assert not wrong, "\n".join(map(repr, wrong[:20]))
