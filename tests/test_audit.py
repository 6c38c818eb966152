"""The audit of the chapter's worked example, against an independent computation.

The reference here uses exact fractions and plain Python loops (math.exp for the softmax), not the
library, and its own transcription of the chapter's printed numbers (a second, separate copy).
"""

import importlib.util
import math
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest

from selfattn_lib import audit, chapter_example

ROOT = Path(__file__).resolve().parent.parent

# The chapter's inputs, typed again from the chapter (as rows).
X = [[1, 0, 2, 1], [0, 2, 1, 1], [1, 1, 0, 2]]
W = {
    "q": ["0.1 0.2 -0.1 0.3", "0.2 0.1 0.1 -0.2", "-0.1 0.3 0.2 0.1", "0.3 -0.2 0.1 0.2"],
    "k": ["0.2 -0.1 0.3 0.1", "0.1 0.2 -0.2 0.3", "0.3 0.1 0.1 -0.1", "-0.1 0.3 0.2 0.2"],
    "v": ["0.1 0.3 0.2 -0.1", "0.2 -0.2 0.1 0.3", "-0.1 0.1 0.3 0.2", "0.3 0.2 -0.1 0.1"],
}
W = {name: [[F(x) for x in row.split()] for row in rows] for name, rows in W.items()}

# The chapter's printed results, typed again, grouped as the chapter prints them.
PRINTED_VECTORS = {
    "q_1": "0.2 0.8 0.6 0.8",
    "k_1": "0.7 0.6 0.9 0.2",
    "v_1": "0.2 0.8 0.7 0.4",
    "q_2": "0.1 0.6 0.9 0.8",
    "k_2": "0.4 0.9 0.1 0.4",
    "q_3": "0.4 0.3 0.5 1.0",
    "k_3": "0.6 0.4 0.6 0.5",
    "v_2": "0.7 0.1 0.6 0.9",
    "v_3": "0.5 0.4 0.8 0.3",
    "a_1": "0.2 0.8 0.7 0.4",
    "a_2": "0.46 0.45 0.64 0.67",
    "a_3": "0.45 0.53 0.71 0.46",
}
PRINTED_SCORES = {(1, 1): "1.4", (2, 1): "1.22", (2, 2): "1.32", (3, 1): "1.16", (3, 2): "0.89", (3, 3): "1.04"}
PRINTED_ALPHAS = {(1, 1): "1", (2, 1): "0.47", (2, 2): "0.53", (3, 1): "0.37", (3, 2): "0.28", (3, 3): "0.35"}


def vec(text):
    return [F(x) for x in text.split()]


def project(x, M):
    return [sum(x[r] * M[r][c] for r in range(4)) for c in range(4)]


def dot(a, b):
    return sum(x * y for x, y in zip(a, b))


def softmax(values):
    exps = [math.exp(float(v)) for v in values]
    return [e / sum(exps) for e in exps]


def reference(scaled):
    """Every correct quantity, by loops: exact fractions up to the scores (sqrt(4) = 2 exactly)."""
    ref = {}
    for i in range(1, 4):
        for name in "qkv":
            ref[f"{name}_{i}"] = project(X[i - 1], W[name])
    for i in range(1, 4):
        row = []
        for j in range(1, i + 1):
            s = dot(ref[f"q_{i}"], ref[f"k_{j}"]) / (2 if scaled else 1)
            ref[f"score(x_{i}, x_{j})"] = s
            row.append(s)
        alphas = softmax(row)
        for j, a in enumerate(alphas, start=1):
            ref[f"alpha_{i}{j}"] = a
        ref[f"a_{i}"] = [sum(alphas[j - 1] * float(ref[f"v_{j}"][c]) for j in range(1, i + 1)) for c in range(4)]
    return ref


def printed_reference():
    printed = {name: vec(text) for name, text in PRINTED_VECTORS.items()}
    printed.update({f"score(x_{i}, x_{j})": F(t) for (i, j), t in PRINTED_SCORES.items()})
    printed.update({f"alpha_{i}{j}": F(t) for (i, j), t in PRINTED_ALPHAS.items()})
    return printed


def own_reference(scaled):
    """What the chapter should print given its own earlier printed numbers."""
    p = printed_reference()
    own = {}
    for i in range(1, 4):
        for j in range(1, i + 1):
            own[f"score(x_{i}, x_{j})"] = dot(p[f"q_{i}"], p[f"k_{j}"]) / (2 if scaled else 1)
        alphas = softmax([p[f"score(x_{i}, x_{j})"] for j in range(1, i + 1)])
        for j, a in enumerate(alphas, start=1):
            own[f"alpha_{i}{j}"] = a
        own[f"a_{i}"] = [sum(p[f"alpha_{i}{j}"] * p[f"v_{j}"][c] for j in range(1, i + 1)) for c in range(4)]
    return own


def as_list(value):
    return list(value) if isinstance(value, (tuple, list)) else [value]


@pytest.fixture(params=[False, True], ids=["unscaled", "scaled"])
def scaled(request):
    return request.param


def test_inputs_are_the_chapters():
    example = chapter_example()
    assert example.X.tolist() == X
    for name, M in (("q", example.W_q), ("k", example.W_k), ("v", example.W_v)):
        assert M.tolist() == [[float(x) for x in row] for row in W[name]]


def test_every_printed_number_is_audited_once_in_step_order(scaled):
    records = audit.chapter_audit(scaled=scaled)
    names = [r.quantity for r in records]
    expected = (
        set(PRINTED_VECTORS)
        | {f"score(x_{i}, x_{j})" for i, j in PRINTED_SCORES}
        | {f"alpha_{i}{j}" for i, j in PRINTED_ALPHAS}
    )
    assert sorted(names) == sorted(expected) and len(names) == 24
    assert [r.step for r in records] == sorted(r.step for r in records)
    assert {r.quantity for r in records if r.step == 1} == {f"{n}_{i}" for n in "qkv" for i in (1, 2, 3)}
    # q_2, k_2, q_3, k_3 are printed inside step 2 and v_2, v_3 inside step 4
    where = {r.quantity: r.printed_in for r in records}
    assert [where[n] for n in ("q_1", "q_2", "k_3", "v_1", "v_2", "v_3")] == [1, 2, 2, 1, 4, 4]


def test_chapter_values_match_a_second_transcription(scaled):
    printed = printed_reference()
    for record in audit.chapter_audit(scaled=scaled):
        assert as_list(record.chapter) == [float(x) for x in as_list(printed[record.quantity])], record.quantity


def test_computed_values_match_independent_loops(scaled):
    ref = reference(scaled)
    for record in audit.chapter_audit(scaled=scaled):
        np.testing.assert_allclose(
            as_list(record.computed),
            [float(x) for x in as_list(ref[record.quantity])],
            rtol=0,
            atol=1e-12,
            err_msg=record.quantity,
        )
        np.testing.assert_allclose(
            as_list(record.difference), np.subtract(as_list(record.chapter), as_list(record.computed)), atol=1e-15
        )


def test_values_from_the_chapters_own_numbers_match_independent_loops(scaled):
    own = own_reference(scaled)
    for record in audit.chapter_audit(scaled=scaled):
        expected = own.get(record.quantity, reference(scaled)[record.quantity] if record.step == 1 else None)
        np.testing.assert_allclose(
            as_list(record.from_chapter),
            [float(x) for x in as_list(expected)],
            rtol=0,
            atol=1e-12,
            err_msg=record.quantity,
        )


def test_known_values_worked_by_hand():
    ref = reference(scaled=False)
    assert ref["q_1"] == [F("0.2"), F("0.6"), F("0.4"), F("0.7")]  # 1*row1 + 2*row3 + row4 of W^Q
    assert ref["score(x_1, x_1)"] == F("0.73")  # 0.14 + 0.24 + 0.28 + 0.07
    own = own_reference(scaled=False)
    assert own["score(x_1, x_1)"] == F("1.32")  # the chapter's own written-out products
    assert own["score(x_3, x_2)"] == F("0.88")  # printed 0.89
    assert reference(scaled=True)["score(x_3, x_2)"] == F("0.305")


# The place of each printed number in its chain, worked out by hand from the tables above:
# every projection is wrong; no score follows from the chapter's own q and k; alpha_21 = 0.47502
# and alpha_22 = 0.52498 sit on rounding midpoints (carried forward); the third row's alphas
# (0.3773, 0.2880, 0.3346) and a_2, a_3 do not follow; a_1 = 1 * v_1 inherits v_1's error.
BY_HAND = {
    **{f"{n}_{i}": audit.WRONG_FROM_THE_START for n in "qkv" for i in (1, 2, 3)},
    **{f"score(x_{i}, x_{j})": audit.DOES_NOT_FOLLOW for i, j in PRINTED_SCORES},
    "alpha_11": audit.CORRECT,
    "alpha_21": audit.CARRIED_FORWARD,
    "alpha_22": audit.CARRIED_FORWARD,
    "alpha_31": audit.DOES_NOT_FOLLOW,
    "alpha_32": audit.DOES_NOT_FOLLOW,
    "alpha_33": audit.DOES_NOT_FOLLOW,
    "a_1": audit.CARRIED_FORWARD,
    "a_2": audit.DOES_NOT_FOLLOW,
    "a_3": audit.DOES_NOT_FOLLOW,
}


def test_chain_classification_worked_out_by_hand(scaled):
    records = audit.chapter_audit(scaled=scaled)
    assert {r.quantity: r.chain for r in records} == BY_HAND
    assert {r.quantity for r in records if r.verdict == audit.CORRECT} == {"alpha_11"}
    assert audit.summary(records) == {
        audit.CORRECT: 1,
        audit.WRONG_FROM_THE_START: 9,
        audit.CARRIED_FORWARD: 3,
        audit.DOES_NOT_FOLLOW: 11,
    }
    assert [r.quantity for r in audit.error_origins(records)] == [
        r.quantity for r in records if BY_HAND[r.quantity] in (audit.WRONG_FROM_THE_START, audit.DOES_NOT_FOLLOW)
    ]


def test_wrong_components_and_notes():
    records = {r.quantity: r for r in audit.chapter_audit()}
    assert records["v_1"].wrong_components == (2,)  # 0.8 printed, 0.7 correct
    assert records["q_1"].wrong_components == (2, 3, 4)
    assert records["a_2"].wrong_components == (1, 2, 3, 4)
    assert "1.32" in records["score(x_1, x_1)"].note  # the chapter's own products add to 1.32
    assert "components 2 and 3 off" in records["a_2"].note  # 0.429 vs 0.45, 0.647 vs 0.64
    assert "sqrt(d_k)" in {r.quantity: r for r in audit.chapter_audit(scaled=True)}["score(x_2, x_1)"].note


def test_rounding_rule_accepts_midpoints_and_nothing_more():
    assert audit._agrees(0.47, 0.475021, 2).all()  # a midpoint may round either way
    assert audit._agrees(0.46, 0.465, 2).all()
    assert not audit._agrees(0.47, 0.4752, 2).any()
    assert not audit._agrees(0.89, 0.88, 2).any()
    assert audit._agrees(1.4, 1.449, 1).all() and not audit._agrees(1.4, 1.32, 1).any()


def test_transposed_reading_does_not_explain_the_chapter():
    """The errata says reading the product as W x_i (x W^T) does not give the chapter's numbers."""
    printed = {n: [float(x) for x in t.split()] for n, t in PRINTED_VECTORS.items() if n[0] in "qkv"}
    for i in range(1, 4):
        for name in "qkv":
            transposed = [float(sum(X[i - 1][c] * W[name][r][c] for c in range(4))) for r in range(4)]
            assert not np.allclose(transposed, printed[f"{name}_{i}"], atol=0.05), f"{name}_{i}"


def test_audit_table_groups_by_step_and_marks_error_origins():
    table = audit.audit_table(audit.chapter_audit())
    assert table._repr_html_() == str(table)
    assert [table.find(name) for name in audit.STEP_NAMES.values()] == sorted(
        table.find(name) for name in audit.STEP_NAMES.values()
    )
    assert table.count("◀ first error") == 9 and table.count("◀ new error") == 11
    assert table.count("<tr style=") == 24


# --- Lemma 1, Theorem 1, Proposition 1, Corollary 1.1 -------------------------------------------------


def test_translation_changes_weights_and_outputs():
    e = chapter_example()
    effect = audit.translation_effect(e.X, e.W_q, e.W_k, e.W_v, audit.LEMMA_T)
    assert effect.weight_change > 0.05 and effect.output_change > 0.1
    # the lemma's step IV expansion is right; scores computed independently by loops
    t = [F(x) for x in audit.LEMMA_T]
    moved = [[F(x) + dt for x, dt in zip(row, t)] for row in X]
    for i in range(3):
        for j in range(3):
            before = dot(project(X[i], W["q"]), project(X[j], W["k"])) / 2
            after = dot(project(moved[i], W["q"]), project(moved[j], W["k"])) / 2
            assert effect.score_change[i, j] == pytest.approx(float(after - before), abs=1e-12)
            assert effect.predicted_score_change[i, j] == pytest.approx(float(after - before), abs=1e-12)
    # the j-dependent term: not constant across a row
    assert np.ptp(effect.column_term) > 0.5
    # a_1 = v_1 always (alpha_11 = 1), so it moves by exactly t W^V
    np.testing.assert_allclose(
        effect.after.output[0] - effect.before.output[0], [float(x) for x in project(t, W["v"])], atol=1e-12
    )


def test_translation_in_the_null_space_of_W_q_keeps_weights_and_shifts_outputs():
    e = chapter_example()
    W_q = e.W_q.copy()
    W_q[0] = 0.0  # now t = (5, 0, 0, 0) has t W^Q = 0
    effect = audit.translation_effect(e.X, W_q, e.W_k, e.W_v, [5, 0, 0, 0])
    assert effect.weight_change < 1e-12
    np.testing.assert_allclose(effect.after.output - effect.before.output, np.tile(5 * e.W_v[0], (3, 1)), atol=1e-12)


def test_translation_rejects_a_wrong_length():
    e = chapter_example()
    with pytest.raises(ValueError, match="t must have d_model = 4"):
        audit.translation_effect(e.X, e.W_q, e.W_k, e.W_v, [1, 2])


def test_theorem_1_and_corollary_1_1():
    e = chapter_example()
    causal = audit.output_dependence(e.X, e.W_q, e.W_k, e.W_v, causal=True)
    assert causal.tolist() == [[True, False, False], [True, True, False], [True, True, True]]
    assert audit.output_dependence(e.X, e.W_q, e.W_k, e.W_v, causal=False).all()
    rng = np.random.default_rng(7)
    X5, Ws = rng.normal(size=(5, 3)), [rng.normal(size=(3, 2)) for _ in range(3)]
    assert (audit.output_dependence(X5, *Ws, causal=True) == np.tri(5, dtype=bool)).all()


def test_proposition_1_causal_row_is_unmasked_attention_over_the_prefix():
    e = chapter_example()
    assert audit.prefix_gap(e.X, e.W_q, e.W_k, e.W_v).max() < 1e-12
    # and the comparison can fail: against the full unmasked output, rows 1 and 2 differ
    from selfattn_lib import self_attention

    full = self_attention(e.X, e.W_q, e.W_k, e.W_v, causal=False).output
    causal = self_attention(e.X, e.W_q, e.W_k, e.W_v, causal=True).output
    assert np.abs(full[:2] - causal[:2]).max() > 0.01


# --- exercises -------------------------------------------------------------------------------------


def test_student_chain_has_exactly_one_slip_and_the_rest_follows():
    ref = reference(scaled=True)
    chain = dict(audit.student_chain())
    for name in ("q_2", "k_1", "k_2", "v_1", "v_2", "score(x_2, x_1)"):
        np.testing.assert_allclose(as_list(chain[name]), [float(x) for x in as_list(ref[name])], atol=1e-12)
    assert abs(chain["score(x_2, x_2)"] - float(ref["score(x_2, x_2)"])) > 0.05
    assert chain["score(x_2, x_2)"] == pytest.approx(float(F("0.24") + F("0.24") - F("0.05") + F("0.07")) / 2)
    alphas = softmax([chain["score(x_2, x_1)"], chain["score(x_2, x_2)"]])
    assert [chain["alpha_21"], chain["alpha_22"]] == pytest.approx(alphas)
    v1, v2 = ref["v_1"], ref["v_2"]
    assert list(chain["a_2"]) == pytest.approx([alphas[0] * float(a) + alphas[1] * float(b) for a, b in zip(v1, v2)])


def test_check_first_wrong():
    assert audit.check_first_wrong(None).startswith("Not answered yet")
    assert audit.check_first_wrong("score(x_2, x_2)").startswith("Correct!")
    assert audit.check_first_wrong("score(x2,x2)").startswith("Correct!")
    assert "is right" in audit.check_first_wrong("q_2")
    assert "is right" in audit.check_first_wrong("score(x_2, x_1)")
    assert "carried forward" in audit.check_first_wrong("alpha_21")
    assert "carried forward" in audit.check_first_wrong("a_2")
    assert audit.check_first_wrong("q_7").startswith("Not a quantity")


def test_check_labels():
    right = {
        "k_1": "wrong from the start",
        "score(x_2, x_1)": "does not follow",
        "alpha_21": "error carried forward",
        "alpha_11": "correct",
    }
    assert audit.check_labels(right).endswith("4 of 4 right.")
    assert audit.check_labels({}).startswith("Not answered yet")
    assert audit.check_labels({"k_1": None, "a_1": None}).startswith("Not answered yet")
    feedback = audit.check_labels({"score(x_2, x_1)": "carried forward"})
    # issue 24: a hint leads to the label without stating it (nor the recomputed number that decides it)
    assert "recompute it from the chapter's own q_2, k_1" in feedback and "0 of 1 right." in feedback
    assert "1.4" not in feedback
    assert "within the audit's rounding margin" in audit.check_labels({"alpha_21": "does not follow"})
    assert "inherited" not in audit.check_labels({"alpha_21": "does not follow"})
    assert "cannot be where a chain starts" in audit.check_labels({"a_1": "start"})
    assert "which earlier printed numbers" in audit.check_labels({"q_1": "carried forward"})
    assert "starts there" not in audit.check_labels({"q_1": "carried forward"})
    assert "agrees with the correct" not in audit.check_labels({"alpha_11": "wrong from the start"})
    assert "not correct" in audit.check_labels({"v_1": "correct"})
    assert "k_1: not answered yet" in audit.check_labels({"k_1": None, "a_1": "carried forward"})
    assert "four labels" in audit.check_labels({"k_1": "maybe"})


@pytest.mark.parametrize(
    "value, start",
    [
        (None, "Not answered yet"),
        (0.305, "Correct!"),
        (0.31, "Correct!"),
        (0.89, "That is the chapter's printed number"),
        (0.44, "You used the chapter's printed q_3 and k_2"),
        (0.88, "You used the chapter's printed q_3 and k_2 (and did not divide"),
        (0.61, "Forgot to divide by sqrt(d_k)"),
        (0.1525, "Divided by d_k = 4"),
        (0.22, "That is score(x_2, x_3)"),
        (1.0, "Not score(x_3, x_2)"),
        ("abc", "score(x_3, x_2) is one number"),
    ],
)
def test_check_corrected_score(value, start):
    assert audit.check_corrected_score(value).startswith(start)


def test_check_corrected_score_unscaled():
    assert audit.check_corrected_score(0.61, scaled=False).startswith("Correct!")
    assert audit.check_corrected_score(0.88, scaled=False).startswith("You used the chapter's printed")


# --- the errata file ---------------------------------------------------------------------------------


def test_errata_file_is_in_sync_with_the_audit():
    spec = importlib.util.spec_from_file_location("make_errata", ROOT / "tools" / "make_errata.py")
    make_errata = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_errata)
    text = make_errata.errata_text()
    assert (ROOT / "ERRATA.md").read_text(encoding="utf-8") == text
    for record in audit.chapter_audit():
        if record.chain != audit.CORRECT:
            assert f"| {record.quantity} |" in text
    assert "**23 are wrong**" in text


# --- helpers for the notebook ------------------------------------------------------------------------


def test_chapter_result_holds_the_printed_numbers():
    r = audit.chapter_result()
    printed = printed_reference()
    assert r.Q[1].tolist() == [float(x) for x in printed["q_2"]]
    assert r.V[2].tolist() == [float(x) for x in printed["v_3"]]
    assert r.output[0].tolist() == [float(x) for x in printed["a_1"]]
    assert r.weights.tolist() == [[1, 0, 0], [0.47, 0.53, 0], [0.37, 0.28, 0.35]]
    assert r.scores[2, 1] == 0.89 and r.scores[0, 2] == 0.0
    assert r.causal and not r.scaled and r.d_k == 4


def test_format_value_and_small_tables():
    assert audit.format_value(0.62708) == "0.6271"
    assert audit.format_value((0.2, -0.1, 1.0)) == "[0.2, -0.1, 1]"
    assert audit.format_value(np.array([0.5, -1e-9])) == "[0.5, 0]"
    chain = audit.chain_table([("q_2", (0.6, 0.3)), ("score(x_2, x_2)", 0.25)])
    assert "<td" in chain and "[0.6, 0.3]" in chain and "score(x_2, x_2)" in chain
    table = audit.dependence_table(np.tri(3, dtype=bool), ("O", "gato", "preto"))
    assert table.count("changes") == 6 and table.count("identical") == 3 and "“gato”" in table


def test_tables_read_as_text_outside_a_browser():
    from IPython.lib.pretty import pretty

    text = pretty(audit.audit_table(audit.chapter_audit()))
    assert "<" not in text.replace("◀", "")
    assert "q_1 | [0.2, 0.8, 0.6, 0.8] | [0.2, 0.6, 0.4, 0.7] | (from X and W) | wrong from the start" in text
    assert "alpha_21 | 0.47 | 0.6271 | 0.47502 | error carried forward" in text


def test_what_notebook_07_says_in_prose():
    """Sentences of notebook 07 that state facts about the numbers, kept true here."""
    e = chapter_example()
    printed = printed_reference()
    assert printed["alpha_22"] > printed["alpha_21"]  # in the chapter, gato attends more to itself
    for scaled in (False, True):
        ref = reference(scaled)
        assert ref["alpha_21"] > ref["alpha_22"]  # computed correctly, more to "O"
    assert np.linalg.matrix_rank(e.W_q) == 4 and np.linalg.matrix_rank(e.W_k) == 4
    assert audit.LEMMA_T == (2.0, 0.0, 0.0, 0.0)  # the notebook's comment on W_q_blind relies on it


def test_the_stated_rule_is_the_one_the_labels_apply():
    # issue 15: notebook 07 and ERRATA state "half a unit of the last digit + 0.0001"; the
    # chapter's alpha_21 = 0.47 recomputed from its own scores is 0.47502, inside that interval
    # (so "error carried forward" is what the rule says), and outside the bare half-unit one.
    low, high = audit.agreement_interval("0.47")
    assert math.isclose(low, 0.4649) and math.isclose(high, 0.4751)
    record = next(r for r in audit.chapter_audit() if r.quantity == "alpha_21")
    assert abs(record.from_chapter - 0.47502) < 5e-6
    assert low <= record.from_chapter <= high and not record.from_chapter <= 0.475
    assert record.chain == audit.CARRIED_FORWARD
