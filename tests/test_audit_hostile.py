"""Issue 14: the audit's exercise checks read negations as negations, and answer anything."""

import warnings

import numpy as np
import pytest
from refusals import assert_refused

from selfattn_lib import audit, chapter_example

CH = chapter_example()
RECORDS = {r.quantity: r for r in audit.chapter_audit(scaled=False)}
# one quantity of each kind, so a label read wrongly shows as a wrong verdict
BY_CHAIN = {}
for record in RECORDS.values():
    BY_CHAIN.setdefault(record.chain, record.quantity)


def verdict(quantity, answer):
    line = audit.check_labels({quantity: answer}).splitlines()[0]
    return line


@pytest.mark.parametrize(
    "answer",
    [
        "not correct",
        "Not correct.",
        "isn't right",
        "is not right",
        "it's not correct",
        "incorrect",
        "wrong",
        "Wrong!",
        "not ok",
        "false",
        "is not at all correct",
        "not right, I think",
        "no, not correct",
        "NOT CORRECT",
        "isn’t correct",
    ],
)
def test_a_negated_correct_is_never_read_as_correct(answer):
    quantity = BY_CHAIN[audit.CORRECT]
    line = verdict(quantity, answer)
    assert "Correct!" not in line, line
    assert "one of the four labels" in line and "not" in line, line


@pytest.mark.parametrize(
    "answer, label",
    [
        ("correct", audit.CORRECT),
        ("Correct!", audit.CORRECT),
        ("it is right", audit.CORRECT),
        ("not wrong", audit.CORRECT),
        ("no error", audit.CORRECT),
        ("wrong from the start", audit.WRONG_FROM_THE_START),
        ("no, it is wrong from the start", audit.WRONG_FROM_THE_START),
        ("the origin", audit.WRONG_FROM_THE_START),
        ("error carried forward", audit.CARRIED_FORWARD),
        ("carried forward", audit.CARRIED_FORWARD),
        ("Not correct: carried forward", audit.CARRIED_FORWARD),
        ("the error is inherited", audit.CARRIED_FORWARD),
        ("incorrect, but inherited", audit.CARRIED_FORWARD),
        ("does not follow", audit.DOES_NOT_FOLLOW),
        ("doesn't follow", audit.DOES_NOT_FOLLOW),
        ("not inherited, a new error", audit.DOES_NOT_FOLLOW),
        (audit.DOES_NOT_FOLLOW, audit.DOES_NOT_FOLLOW),
        ("it's not carried forward, it does not follow", audit.DOES_NOT_FOLLOW),
    ],
)
def test_labels_are_read_by_their_meaning(answer, label):
    assert audit._label(answer) == label
    line = verdict(BY_CHAIN[label], answer)
    assert "Correct!" in line, line


@pytest.mark.parametrize(
    "answer",
    ["not carried forward", "right from the start", "correct or carried forward", "x" * 10_000, "", 42, ["correct"]],
)
def test_no_single_label_asks_for_one(answer):
    line = verdict(BY_CHAIN[audit.CARRIED_FORWARD], answer)
    assert "one of the four labels" in line, line


@pytest.mark.parametrize(
    "answers",
    [["correct"], "correct", 3, {1: 2}, {"q_1": object()}, {("a",) * 3: "x"}, {str(k): "correct" for k in range(1000)}],
)
def test_check_labels_answers_anything_with_a_sentence(answers):
    text = audit.check_labels(answers)
    assert isinstance(text, str) and text


@pytest.mark.parametrize(
    "value", [10**400, -(10**400), float("nan"), float("inf"), 1j, "abc", [1, 2], True, None, np.float64("nan")]
)
def test_corrected_score_answers_anything(value):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        text = audit.check_corrected_score(value)
    assert isinstance(text, str) and not text.startswith("Correct")


@pytest.mark.parametrize("kwargs", [{"i": 0}, {"i": 4}, {"j": -1}, {"i": 2.0}, {"scaled": "yes"}])
def test_corrected_score_refuses_bad_subscripts(kwargs):
    text = audit.check_corrected_score(0.5, **kwargs)
    assert text.startswith("Cannot check this") and list(kwargs)[0] in text


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: audit.translation_effect(CH.X, CH.W_q, CH.W_k, CH.W_v, "2 0 0 0"), ["t", "numbers"]),
        (lambda: audit.translation_effect(CH.X, CH.W_q, CH.W_k, CH.W_v, [1j, 0, 0, 0]), ["t", "numbers", "complex"]),
        (lambda: audit.translation_effect(CH.X, CH.W_q, CH.W_k, CH.W_v, [np.nan, 0, 0, 0]), ["t", "finite"]),
        (lambda: audit.translation_effect(CH.X, CH.W_q, CH.W_k, CH.W_v, [1.7e308, 0, 0, 0]), ["too large"]),
        (lambda: audit.translation_effect(CH.X, CH.W_q, CH.W_k, CH.W_v, None), ["t", "None"]),
        (lambda: audit.translation_effect(CH.X, CH.W_q, CH.W_k, CH.W_v, [2, 0, 0, 0], causal="no"), ["causal"]),
        (lambda: audit.output_dependence(CH.X, CH.W_q, CH.W_k, CH.W_v, delta="1"), ["delta", "'1'"]),
        (lambda: audit.output_dependence(CH.X, CH.W_q, CH.W_k, CH.W_v, delta=0), ["delta", "non-zero"]),
        (lambda: audit.output_dependence(CH.X, CH.W_q, CH.W_k, CH.W_v, delta=10**400), ["delta"]),
        (lambda: audit.output_dependence(CH.X, CH.W_q, CH.W_k, CH.W_v, delta=float("nan")), ["delta"]),
        (lambda: audit.prefix_gap(CH.X, CH.W_q, CH.W_k, CH.W_v, scaled="False"), ["scaled", "True or False"]),
    ],
)
def test_audit_functions_check_their_arguments(call, words):
    assert_refused(call, words)
