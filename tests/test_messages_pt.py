"""Issue 12: every checker, audit and library message a notebook shows is in the learner's language.

Each exercise check (notebooks 01-08, 10-12), the audit's checks and tables (notebook 07) and the
library's errors as the explorer shows them are called with typical wrong (and right) answers, in
"pt" and in "en":
- in "pt", every message is one of strings_pt's templates filled in, and no English sentence of
  the English table (nor a common English word) is left in it;
- in "en", every message is one of strings.py's templates filled in: a sentence written as a
  literal in a checker, and not in strings.py, fails here;
- the verdict (right or not, the mistake recognised) is the same in both languages.
A static check reads the checkers' source: no English sentence as a string literal outside strings.py.
"""
import ast
import inspect
import math
import re
import string
from pathlib import Path

import numpy as np
import pytest

from reference import reference_attention
from selfattn_lib import audit, chapter_example, exercises, exercises_more, training
from selfattn_lib.attention import LearnerError, self_attention
from selfattn_lib.explorer.state import InputError
from selfattn_lib.strings import STRINGS

ROOT = Path(__file__).resolve().parent.parent
ENGLISH, PORTUGUESE = STRINGS["en"], STRINGS["pt"]
CH = chapter_example()


def _reference(causal=True, scaled=True):
    return [np.array(m) for m in reference_attention(CH.X.tolist(), CH.W_q.tolist(), CH.W_k.tolist(),
                                                     CH.W_v.tolist(), causal=causal, scaled=scaled)]


Q, K, V, SCORES, WEIGHTS, OUTPUT = _reference()
_, _, _, RAW_SCORES, UNSCALED_WEIGHTS, UNSCALED_OUTPUT = _reference(scaled=False)
_, _, _, _, BIDIRECTIONAL_WEIGHTS, _ = _reference(causal=False)
X = np.array(CH.X, dtype=float)


def _raises(exc):
    def fn(*_):
        raise exc
    return fn


def _naive_softmax(row):
    e = np.exp(row)
    return e / e.sum()


def _good_softmax(row):
    e = np.exp(row - row.max())
    return e / e.sum()


def _good_backward(dweights, weights):
    return weights * (dweights - (weights * dweights).sum(axis=-1, keepdims=True))


# (name, check, answers, keyword arguments): typical answers a learner gives, right ones included.
# The wrong numbers are made here from the plain-Python reference, not by the checks' own code.
CASES = [
    ("projection", exercises.check_projection,
     [None, "abc", X[1] @ CH.W_q, X[1] @ CH.W_k, CH.W_q @ X[1], X[0] @ CH.W_q, np.zeros(2),
      [np.nan] * 4, X[1] @ CH.W_q + 0.02, X[1] @ CH.W_q + 1, [1j, 0, 0, 0], [True] * 4],
     {"i": 1, "name": "q"}),
    ("projection, bad index", exercises.check_projection, [None], {"i": -1, "name": "q"}),
    ("projection, bad name", exercises.check_projection, [None], {"i": 0, "name": "x"}),
    ("projection matrix", exercises.check_projection_matrix,
     [None, K, Q, (CH.W_k @ X.T) if X.shape[0] == X.shape[1] else K.T, K.T, K + 1],
     {"name": "k"}),
    ("projection shape", exercises.check_projection_shape,
     [None, "3x4", (5, 4), (4, 5), (5, 3), (3, 4), (7, 7)], {"n": 5, "d_model": 3, "d_k": 4}),
    ("score", exercises.check_score,
     [None, SCORES[2, 1], RAW_SCORES[2, 1], RAW_SCORES[2, 1] / 4, (K[2] @ K[1]) / 2,
      (Q[2] @ Q[1]) / 2, (Q[1] @ K[2]) / 2, (Q[1] @ K[2]), 99.0], {"i": 2, "j": 1}),
    ("dot product", exercises.check_score, [RAW_SCORES[1, 0], SCORES[1, 0], 99.0],
     {"i": 1, "j": 0, "scaled": False}),
    ("scores", exercises.check_scores,
     [None, SCORES, RAW_SCORES, SCORES.T, (Q.T @ K) / 2, (K @ K.T) / 2, (Q @ Q.T) / 2,
      np.where(np.tri(3, dtype=bool), SCORES, 0.0), np.ones((2, 2))], {}),
    ("weights row", exercises.check_weights_row,
     [None, WEIGHTS[2], UNSCALED_WEIGHTS[2], BIDIRECTIONAL_WEIGHTS[1], [1.0, 0.0, 0.0],
      [0.5, 0.2, 0.1], np.exp(SCORES[2]), SCORES[2]], {"i": 2}),
    ("weights row 2", exercises.check_weights_row, [BIDIRECTIONAL_WEIGHTS[1], [0.5, 0.5, 0.0]],
     {"i": 1}),
    ("weights", exercises.check_weights,
     [None, WEIGHTS, UNSCALED_WEIGHTS, BIDIRECTIONAL_WEIGHTS, WEIGHTS.T, np.eye(3) * 0.5,
      np.tri(3) / 3], {}),
    ("output row", exercises.check_output_row,
     [None, OUTPUT[1], UNSCALED_OUTPUT[1], WEIGHTS[1] @ X, WEIGHTS[1] @ K, WEIGHTS[1] @ Q,
      V[0] + V[1], OUTPUT[1] + 1], {"i": 1}),
    ("output", exercises.check_output,
     [None, OUTPUT, OUTPUT.T, WEIGHTS.T @ V, WEIGHTS @ X, np.tri(3) @ V], {}),
    ("softmax function", exercises.check_softmax_function,
     [None, 3, _good_softmax, _naive_softmax, _raises(ZeroDivisionError("division by zero")),
      lambda row: None, lambda row: "x", lambda row: row[:1], lambda row: np.exp(row),
      lambda row: np.ones_like(row) / len(row)], {}),
    ("changed outputs", exercises.check_changed_outputs,
     [None, "1, 2", [2, 3], [1, 2, 3], [2], [3]], {"perturbed": 2}),
    ("changed outputs, one later", exercises.check_changed_outputs, [[3]], {"perturbed": 3}),
    ("changed outputs, bidirectional", exercises.check_changed_outputs,
     [[1, 2, 3], [3], [2, 3]], {"perturbed": 3, "causal": False}),
    ("changed outputs, bad token", exercises.check_changed_outputs, [[1]], {"perturbed": 9}),
    ("changed outputs, first token", exercises.check_changed_outputs, [[1, 2, 3]], {"perturbed": 1}),
    ("odd answers", exercises.check_projection,
     [[1, "2", 3, 4], np.array(["a", "b"]), [10 ** 400, 1, 2, 3], np.ma.masked_array([1.0, 2.0]),
      [[1, 2], [3]], (x for x in range(3))], {"i": 0}),
    ("bad flag", exercises.check_weights, [WEIGHTS], {"causal": "yes"}),
    ("bad size", exercises.check_projection_shape, [(1, 1)], {"n": 0, "d_model": 3, "d_k": 4}),
    ("bad example", exercises.check_output, [OUTPUT], {"example": object()}),
    ("bad index type", exercises.check_score, [1.0], {"i": 1.5, "j": 0}),
    ("positional value", exercises_more.check_positional_value,
     [None, "x", math.sin(0.03), math.cos(0.03), 5.0], {"pos": 3, "column": 2, "d_model": 4}),
    ("last row same", exercises_more.check_last_row_same, [None, "yes", True, False],
     {"rows_equal": True}),
    ("concat shape", exercises_more.check_concat_shape, [None, "x", (5, 6), (5, 2), (3, 5, 2), (6, 5),
                                                        (1, 1)], {"n": 5, "n_heads": 3, "d_v": 2}),
    ("head relation", exercises_more.check_head_relation, [None, "x", 1, 0, 5],
     {"attention": np.array([[0.85, 0.06], [0.01, 0.92]])}),
    ("leak", exercises_more.check_leak, [None, 2.5, 2, 1, 0, 3],
     {"weights": np.eye(4, k=1) * 0.9 + 0.025, "t": 1}),
    ("best loss", exercises_more.check_best_loss,
     [None, "x", math.log(6), math.log(12), 1 / 6, math.log2(6), math.log10(6), 9.0], {}),
    ("softmax backward", training.check_softmax_backward,
     [None, 3, _good_backward, lambda d, w: -_good_backward(d, w), lambda d, w: w * d,
      lambda d, w: np.ones((4, 4)), lambda d, w: None, lambda d, w: np.zeros((2, 2)),
      lambda d, w: np.full((4, 4), np.nan), _raises(ValueError("boom"))], {}),
    ("logit gradient", training.check_logit_gradient,
     [None, "x", 10 ** 400, float("nan"), -0.2, 0.2, 0.16, 3.0], {"p": 0.8, "y": 1.0}),
    ("attention target", training.check_attention_target,
     [None, "gata", "Ele", "cada", "pret-", "viu", "gato"], {}),
]


def _message(feedback) -> str:
    return feedback.message if hasattr(feedback, "message") else str(feedback)


def _calls():
    for name, check, answers, kwargs in CASES:
        for k, answer in enumerate(answers):
            yield pytest.param(check, answer, kwargs, id=f"{name}-{k}")


def _template_regex(template: str) -> str:
    parts = []
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(".*")
    return "".join(parts)


def _patterns(table, prefixes):
    return [re.compile(_template_regex(template), re.S) for key, template in table.items()
            if key.startswith(prefixes) and template.strip("{}")]


PREFIXES = ("exercises.", "training.", "audit.", "core.", "ex_", "pe_", "order_", "heads_", "concat_",
            "shape_expected", "leak_", "best_", "compute_failed", "too_large")
PT_PATTERNS, EN_PATTERNS = _patterns(PORTUGUESE, PREFIXES), _patterns(ENGLISH, PREFIXES)

# Sentences of the English table (its literal text between placeholders, 3 words or more)
ENGLISH_PIECES = sorted({piece.strip() for key, template in ENGLISH.items()
                         for piece, *_ in string.Formatter().parse(template)
                         if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 3 and template != PORTUGUESE.get(key)},
                        key=len)
# Words a Portuguese message never needs (code and formulas use none of them)
ENGLISH_WORDS = re.compile(r"\b(the|you|your|is|are|not|yet|of|and|with|must|should|Correct|Almost|"
                           r"answered|wrong|number|numbers|row|token.s)\b")


def english_left(message: str) -> list[str]:
    """The English sentences or words in `message` (a Portuguese one should have none)."""
    found = [piece for piece in ENGLISH_PIECES if piece in message]
    return found + ENGLISH_WORDS.findall(message)


def from_table(message: str, patterns) -> bool:
    """Each line of `message` is one of the table's templates, filled in."""
    return all(any(p.fullmatch(line) for p in patterns) for line in message.splitlines())


@pytest.mark.parametrize("check, answer, kwargs", list(_calls()))
def test_every_check_answers_in_portuguese_with_the_same_verdict(check, answer, kwargs):
    pt = check(answer, **kwargs, language="pt")
    en = check(answer, **kwargs)
    message = _message(pt)
    assert from_table(message, PT_PATTERNS), message
    assert english_left(message) == [], message
    assert from_table(_message(en), EN_PATTERNS), _message(en)
    assert (bool(pt), pt.mistakes) == (bool(en), en.mistakes)


def test_the_cases_reach_most_of_the_hints():
    """The cases above are not a handful: they draw out most of the checks' distinct sentences."""
    used = set()
    for name, check, answers, kwargs in CASES:
        for answer in answers:
            message = _message(check(answer, **kwargs, language="pt"))
            used |= {key for key, template in PORTUGUESE.items() if key.startswith(("exercises.", "training."))
                     and template.strip("{}") and re.search(_template_regex(template), message, re.S)}
    keys = {key for key in PORTUGUESE if key.startswith(("exercises.", "training."))}
    assert len(used) >= 0.9 * len(keys), sorted(keys - used)


AUDIT_CALLS = [
    (audit.check_first_wrong, (None,), {}),
    (audit.check_first_wrong, ("q_9",), {}),
    (audit.check_first_wrong, ("q_2",), {}),
    (audit.check_first_wrong, ("alpha_21",), {}),
    (audit.check_first_wrong, ("score(x_2, x_2)",), {}),
    (audit.check_labels, (None,), {}),
    (audit.check_labels, ([1],), {}),
    (audit.check_labels, ({"v_1": None, "a_1": None},), {}),
    (audit.check_labels, ({"v_1": "correct", "score(x_3, x_2)": "wrong from the start", "alpha_22": "x",
                           "a_1": "does not follow", "q_7": "correct", "alpha_11": "carried forward",
                           "k_1": None, "a_2": "is not correct", "a_3": "correct, carried forward",
                           "score(x_1, x_1)": 3, "alpha_21": "error carried forward",
                           "alpha_31": "error carried forward"},), {}),
    (audit.check_labels, ({"v_1": "errado desde o início", "a_1": "não decorre", "alpha_22": "erro propagado",
                           "alpha_11": "não está correto", "a_2": "certo"},), {}),
    (audit.check_corrected_score, (None,), {}),
    (audit.check_corrected_score, ("x",), {}),
    (audit.check_corrected_score, (float("inf"),), {}),
    (audit.check_corrected_score, (10 ** 400,), {}),
    (audit.check_corrected_score, (0.305,), {}),
    (audit.check_corrected_score, (0.61,), {}),
    (audit.check_corrected_score, (0.89,), {}),
    (audit.check_corrected_score, (0.61 / 2,), {"i": 2, "j": 3}),
    (audit.check_corrected_score, (5.0,), {}),
    (audit.check_corrected_score, (5.0,), {"scaled": False}),
    (audit.check_corrected_score, (5.0,), {"i": 0}),
    (audit.check_corrected_score, (5.0,), {"scaled": "yes"}),
]


@pytest.mark.parametrize("check, args, kwargs", AUDIT_CALLS,
                         ids=[f"{c.__name__}-{k}" for k, (c, _, _) in enumerate(AUDIT_CALLS)])
def test_the_audit_checks_answer_in_portuguese(check, args, kwargs):
    message = check(*args, **kwargs, language="pt")
    assert from_table(message, PT_PATTERNS), message
    echoes = re.compile(r"'[^']*'")  # the learner's own answer, quoted back ('is not correct')
    assert english_left(echoes.sub("", message)) == [], message
    assert from_table(check(*args, **kwargs), EN_PATTERNS)


def test_the_audit_reads_portuguese_labels_and_negations_in_portuguese():
    chain = {r.quantity: r.chain for r in audit.chapter_audit()}
    assert chain["v_1"] == audit.WRONG_FROM_THE_START and chain["alpha_21"] == audit.CARRIED_FORWARD
    answers = {"v_1": "errado desde o início", "alpha_21": "é um erro propagado", "alpha_11": "está correto",
               "a_2": "não decorre dos números anteriores"}
    assert audit.check_labels(answers, language="pt").endswith("4 de 4 certos.")
    # "não está correto" is not "correto"; in English the same answer names no label
    assert "Correto!" not in audit.check_labels({"alpha_11": "não está correto"}, language="pt")
    assert audit.check_labels(answers).endswith("0 of 4 right.")
    # "no" is Portuguese for "in the": "um erro no início" is wrong from the start, not negated
    assert audit.check_labels({"v_1": "errado no início"}, language="pt").startswith("v_1: Correto!")


def test_the_audit_tables_are_in_portuguese():
    records = audit.chapter_audit()
    tables = [audit.audit_table(records, language="pt"), audit.chain_table(audit.student_chain(), language="pt"),
              audit.dependence_table(audit.output_dependence(CH.X, CH.W_q, CH.W_k, CH.W_v), CH.tokens,
                                     language="pt")]
    for table in tables:
        words = re.sub(r"<[^>]+>", " ", str(table))
        assert english_left(words) == [], words[:300]
    summary = audit.summary(records, language="pt")
    assert list(summary) == ["correto", "errado desde o início", "erro propagado",
                             "não decorre dos números anteriores do próprio capítulo"]
    assert summary == dict(zip(summary, audit.summary(records).values()))


def test_the_core_errors_reach_the_explorer_in_its_language():
    """A library error is an English ValueError for a caller, and Portuguese in the pt explorer."""
    with pytest.raises(LearnerError) as caught:
        self_attention(CH.X * 1e160, CH.W_q, CH.W_k, CH.W_v)
    error = caught.value
    assert isinstance(error, ValueError) and "the scores overflowed the float64 range" in str(error)
    shown = InputError("compute_failed_short", error=error)
    assert "the scores overflowed" in shown.message("en")
    pt = shown.message("pt")
    assert "o cálculo dos scores passou do limite do float64" in pt and english_left(pt) == [], pt
    for call in (lambda: self_attention(CH.X, CH.W_q[:2], CH.W_k, CH.W_v),
                 lambda: self_attention(CH.X, CH.W_q, CH.W_k[:, :2], CH.W_v),
                 lambda: self_attention(CH.X, CH.W_q, CH.W_k, CH.W_v, causal="False")):
        with pytest.raises(LearnerError) as caught:
            call()
        assert english_left(caught.value.message("pt")) == [], caught.value.message("pt")


def test_the_explorer_validation_passes_the_library_error_untranslated_until_shown(monkeypatch):
    from selfattn_lib.explorer import state as explorer_state

    def overflow(*args, **kwargs):
        raise LearnerError("core.overflow", terms={"name": "core.the_output"})

    monkeypatch.setattr(explorer_state, "self_attention", overflow)
    state = explorer_state.ExplorerState.of(CH.tokens, CH.X, CH.W_q, CH.W_k, CH.W_v)
    with pytest.raises(InputError) as caught:
        explorer_state.validate(state)
    assert "o cálculo da saída passou do limite" in caught.value.message("pt")
    assert "the output overflowed" in caught.value.message("en")


def test_an_unknown_language_is_refused_by_every_check():
    for check in (exercises.check_weights, training.check_attention_target, audit.check_labels):
        with pytest.raises(ValueError, match="language must be one of 'en', 'pt'; got 'pt-br'"):
            check(None, language="pt-br")


# --- the source: no English sentence left as a literal in a checker ------------------------------

CHECKER_SOURCES = {  # module: the functions whose literals a learner may read (None: all of them)
    "exercises.py": None,
    "exercises_more.py": None,
    "training.py": {"check_softmax_backward", "check_logit_gradient", "check_attention_target"},
    "audit.py": {"check_first_wrong", "check_labels", "check_corrected_score", "_read_label", "audit_table",
                 "chain_table", "dependence_table", "summary"},
}
def _reads_as_a_sentence(literal: str) -> bool:
    """Three words or more between spaces ("Not yet: ...", "the weights matrix"); formulas and
    code such as "q_i . k_j / sqrt(d_k)" or "Q K^T" have fewer; HTML tags and attributes are not words."""
    literal = re.sub(r"<[^>]*>?|[\w-]+=\"[^\"]*\"?", "", literal)
    return literal.count(" ") >= 2 and len(re.findall(r"(?<![\w^])[A-Za-z]{2,}(?![\w(])", literal)) >= 3

# A programmer's error, not a learner's: an unknown language is refused in English on purpose.
ALLOWED = ("language must be one of",)


def english_literals(source: str, functions=None) -> list[str]:
    """String literals of `source` (in `functions`, or anywhere) that read as an English sentence;
    docstrings and comments are not literals a learner sees."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    roots = [tree] if functions is None else [
        node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name in functions]
    found = []
    for root in roots:
        for node in ast.walk(root):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                literal = node.value
                if _reads_as_a_sentence(literal) and not literal.startswith(ALLOWED):
                    found.append(literal)
    return found


@pytest.mark.parametrize("module", sorted(CHECKER_SOURCES))
def test_no_checker_message_is_an_english_literal_outside_strings(module):
    source = (ROOT / "selfattn_lib" / module).read_text(encoding="utf-8")
    assert english_literals(source, CHECKER_SOURCES[module]) == []


def test_the_source_check_finds_a_literal_sentence():
    """Shown on a copy of a check with its hint written as a literal again (as before issue 12)."""
    source = inspect.getsource(exercises)
    sentence = "Not yet: the rows of the first, the columns of the second."
    broken = source.replace('_t("shape_other")', repr(sentence))
    assert broken != source
    assert english_literals(broken) == [sentence]
