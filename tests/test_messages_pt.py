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
    return [
        np.array(m)
        for m in reference_attention(
            CH.X.tolist(), CH.W_q.tolist(), CH.W_k.tolist(), CH.W_v.tolist(), causal=causal, scaled=scaled
        )
    ]


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
    (
        "projection",
        exercises.check_projection,
        [
            None,
            "abc",
            X[1] @ CH.W_q,
            X[1] @ CH.W_k,
            CH.W_q @ X[1],
            X[0] @ CH.W_q,
            np.zeros(2),
            [np.nan] * 4,
            X[1] @ CH.W_q + 0.02,
            X[1] @ CH.W_q + 1,
            [1j, 0, 0, 0],
            [True] * 4,
        ],
        {"i": 1, "name": "q"},
    ),
    ("projection, bad index", exercises.check_projection, [None], {"i": -1, "name": "q"}),
    ("projection, bad name", exercises.check_projection, [None], {"i": 0, "name": "x"}),
    (
        "projection matrix",
        exercises.check_projection_matrix,
        [None, K, Q, (CH.W_k @ X.T) if X.shape[0] == X.shape[1] else K.T, K.T, K + 1],
        {"name": "k"},
    ),
    (
        "projection shape",
        exercises.check_projection_shape,
        [None, "3x4", (5, 4), (4, 5), (5, 3), (3, 4), (7, 7)],
        {"n": 5, "d_model": 3, "d_k": 4},
    ),
    (
        "score",
        exercises.check_score,
        [
            None,
            SCORES[2, 1],
            RAW_SCORES[2, 1],
            RAW_SCORES[2, 1] / 4,
            (K[2] @ K[1]) / 2,
            (Q[2] @ Q[1]) / 2,
            (Q[1] @ K[2]) / 2,
            (Q[1] @ K[2]),
            99.0,
        ],
        {"i": 2, "j": 1},
    ),
    ("dot product", exercises.check_score, [RAW_SCORES[1, 0], SCORES[1, 0], 99.0], {"i": 1, "j": 0, "scaled": False}),
    (
        "scores",
        exercises.check_scores,
        [
            None,
            SCORES,
            RAW_SCORES,
            SCORES.T,
            (Q.T @ K) / 2,
            (K @ K.T) / 2,
            (Q @ Q.T) / 2,
            np.where(np.tri(3, dtype=bool), SCORES, 0.0),
            np.ones((2, 2)),
        ],
        {},
    ),
    (
        "weights row",
        exercises.check_weights_row,
        [
            None,
            WEIGHTS[2],
            UNSCALED_WEIGHTS[2],
            BIDIRECTIONAL_WEIGHTS[1],
            [1.0, 0.0, 0.0],
            [0.5, 0.2, 0.1],
            np.exp(SCORES[2]),
            SCORES[2],
        ],
        {"i": 2},
    ),
    ("weights row 2", exercises.check_weights_row, [BIDIRECTIONAL_WEIGHTS[1], [0.5, 0.5, 0.0]], {"i": 1}),
    (
        "weights",
        exercises.check_weights,
        [None, WEIGHTS, UNSCALED_WEIGHTS, BIDIRECTIONAL_WEIGHTS, WEIGHTS.T, np.eye(3) * 0.5, np.tri(3) / 3],
        {},
    ),
    (
        "output row",
        exercises.check_output_row,
        [
            None,
            OUTPUT[1],
            UNSCALED_OUTPUT[1],
            WEIGHTS[1] @ X,
            WEIGHTS[1] @ K,
            WEIGHTS[1] @ Q,
            V[0] + V[1],
            OUTPUT[1] + 1,
        ],
        {"i": 1},
    ),
    (
        "output",
        exercises.check_output,
        [None, OUTPUT, OUTPUT.T, WEIGHTS.T @ V, WEIGHTS @ X, np.tri(3) @ V, np.tile([0, 36], (3, 4))],
        {},
    ),
    (
        "softmax function",
        exercises.check_softmax_function,
        [
            None,
            3,
            _good_softmax,
            _naive_softmax,
            _raises(ZeroDivisionError("division by zero")),
            lambda row: None,
            lambda row: "x",
            lambda row: row[:1],
            lambda row: np.exp(row),
            lambda row: np.ones_like(row) / len(row),
        ],
        {},
    ),
    ("changed outputs", exercises.check_changed_outputs, [None, "1, 2", [2, 3], [1, 2, 3], [2], [3]], {"perturbed": 2}),
    ("changed outputs, one later", exercises.check_changed_outputs, [[3]], {"perturbed": 3}),
    (
        "changed outputs, bidirectional",
        exercises.check_changed_outputs,
        [[1, 2, 3], [3], [2, 3]],
        {"perturbed": 3, "causal": False},
    ),
    ("changed outputs, bad token", exercises.check_changed_outputs, [[1]], {"perturbed": 9}),
    ("changed outputs, first token", exercises.check_changed_outputs, [[1, 2, 3]], {"perturbed": 1}),
    (
        "odd answers",
        exercises.check_projection,
        [
            [1, "2", 3, 4],
            np.array(["a", "b"]),
            [10**400, 1, 2, 3],
            np.ma.masked_array([1.0, 2.0]),
            [[1, 2], [3]],
            (x for x in range(3)),
            X[0] @ np.array(CH.W_q).T,
            [0, 36] * 4,
            "0,36",
        ],
        {"i": 0},
    ),
    ("bad flag", exercises.check_weights, [WEIGHTS], {"causal": "yes"}),
    ("bad size", exercises.check_projection_shape, [(1, 1)], {"n": 0, "d_model": 3, "d_k": 4}),
    ("bad example", exercises.check_output, [OUTPUT], {"example": object()}),
    ("bad index type", exercises.check_score, [1.0], {"i": 1.5, "j": 0}),
    (
        "positional value",
        exercises_more.check_positional_value,
        [None, "x", math.sin(0.03), math.cos(0.03), 5.0],
        {"pos": 3, "column": 2, "d_model": 4},
    ),
    ("last row same", exercises_more.check_last_row_same, [None, "yes", True, False], {"rows_equal": True}),
    (
        "concat shape",
        exercises_more.check_concat_shape,
        [None, "x", (5, 6), (5, 2), (3, 5, 2), (6, 5), (1, 1)],
        {"n": 5, "n_heads": 3, "d_v": 2},
    ),
    (
        "head relation",
        exercises_more.check_head_relation,
        [None, "x", 1, 0, 5],
        {"attention": np.array([[0.85, 0.06], [0.01, 0.92]])},
    ),
    ("leak", exercises_more.check_leak, [None, 2.5, 2, 1, 0, 3], {"weights": np.eye(4, k=1) * 0.9 + 0.025, "t": 1}),
    (
        "best loss",
        exercises_more.check_best_loss,
        [None, "x", math.log(6), math.log(12), 1 / 6, math.log2(6), math.log10(6), 9.0],
        {},
    ),
    (
        "softmax backward",
        training.check_softmax_backward,
        [
            None,
            3,
            _good_backward,
            lambda d, w: -_good_backward(d, w),
            lambda d, w: w * d,
            lambda d, w: np.ones((4, 4)),
            lambda d, w: None,
            lambda d, w: np.zeros((2, 2)),
            lambda d, w: np.full((4, 4), np.nan),
            _raises(ValueError("boom")),
            lambda d, w: w * (d - (w * d).sum(axis=0, keepdims=True)),
            lambda d, w: w * (d - (w * d).sum(axis=-1)),
            lambda d, w: w * (1 - w) * d,
        ],
        {},
    ),
    (
        "logit gradient",
        training.check_logit_gradient,
        [
            None,
            "x",
            10**400,
            float("nan"),
            -0.2,
            0.2,
            0.16,
            3.0,
            (0, 2),
            (1, 5),
            [0.1, 0.2],
            -0.4,
            -math.log(0.8),
            -1.25,
        ],
        {"p": 0.8, "y": 1.0},
    ),
    ("attention target", training.check_attention_target, [None, "gata", "Ele", "cada", "pret-", "viu", "gato"], {}),
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
    return [
        re.compile(_template_regex(template), re.S)
        for key, template in table.items()
        if key.startswith(prefixes) and template.strip("{}")
    ]


PREFIXES = (
    "exercises.",
    "training.",
    "audit.",
    "core.",
    "ex_",
    "pe_",
    "order_",
    "heads_",
    "concat_",
    "shape_expected",
    "leak_",
    "best_",
    "compute_failed",
    "too_large",
)
PT_PATTERNS, EN_PATTERNS = _patterns(PORTUGUESE, PREFIXES), _patterns(ENGLISH, PREFIXES)

# Sentences of the English table (its literal text between placeholders, 3 words or more)
ENGLISH_PIECES = sorted(
    {
        piece.strip()
        for key, template in ENGLISH.items()
        for piece, *_ in string.Formatter().parse(template)
        if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 3 and template != PORTUGUESE.get(key)
    },
    key=len,
)
# Words a Portuguese message never needs (code and formulas use none of them)
ENGLISH_WORDS = re.compile(
    r"\b(the|you|your|is|are|not|yet|of|and|with|must|should|Correct|Almost|"
    r"answered|wrong|number|numbers|row|token.s)\b"
)


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
    for _name, check, answers, kwargs in CASES:
        for answer in answers:
            message = _message(check(answer, **kwargs, language="pt"))
            used |= {
                key
                for key, template in PORTUGUESE.items()
                if key.startswith(("exercises.", "training."))
                and template.strip("{}")
                and re.search(_template_regex(template), message, re.S)
            }
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
    (
        audit.check_labels,
        (
            {
                "v_1": "correct",
                "score(x_3, x_2)": "wrong from the start",
                "alpha_22": "x",
                "a_1": "does not follow",
                "q_7": "correct",
                "alpha_11": "carried forward",
                "k_1": None,
                "a_2": "is not correct",
                "a_3": "correct, carried forward",
                "score(x_1, x_1)": 3,
                "alpha_21": "error carried forward",
                "alpha_31": "error carried forward",
            },
        ),
        {},
    ),
    (
        audit.check_labels,
        (
            {
                "v_1": "errado desde o início",
                "a_1": "não decorre",
                "alpha_22": "erro propagado",
                "alpha_11": "não está correto",
                "a_2": "certo",
            },
        ),
        {},
    ),
    (audit.check_corrected_score, (None,), {}),
    (audit.check_corrected_score, ("x",), {}),
    (audit.check_corrected_score, (float("inf"),), {}),
    (audit.check_corrected_score, (10**400,), {}),
    (audit.check_corrected_score, (0.305,), {}),
    (audit.check_corrected_score, (0.61,), {}),
    (audit.check_corrected_score, (0.89,), {}),
    (audit.check_corrected_score, (0.61 / 2,), {"i": 2, "j": 3}),
    (audit.check_corrected_score, (5.0,), {}),
    (audit.check_corrected_score, (5.0,), {"scaled": False}),
    (audit.check_corrected_score, (5.0,), {"i": 0}),
    (audit.check_corrected_score, (5.0,), {"scaled": "yes"}),
]


@pytest.mark.parametrize(
    "check, args, kwargs", AUDIT_CALLS, ids=[f"{c.__name__}-{k}" for k, (c, _, _) in enumerate(AUDIT_CALLS)]
)
def test_the_audit_checks_answer_in_portuguese(check, args, kwargs):
    message = check(*args, **kwargs, language="pt")
    assert from_table(message, PT_PATTERNS), message
    echoes = re.compile(r"'[^']*'")  # the learner's own answer, quoted back ('is not correct')
    assert english_left(echoes.sub("", message)) == [], message
    assert from_table(check(*args, **kwargs), EN_PATTERNS)


def test_the_audit_reads_portuguese_labels_and_negations_in_portuguese():
    chain = {r.quantity: r.chain for r in audit.chapter_audit()}
    assert chain["v_1"] == audit.WRONG_FROM_THE_START and chain["alpha_21"] == audit.CARRIED_FORWARD
    answers = {
        "v_1": "errado desde o início",
        "alpha_21": "é um erro propagado",
        "alpha_11": "está correto",
        "a_2": "não decorre dos números anteriores",
    }
    assert audit.check_labels(answers, language="pt").endswith("4 de 4 certos.")
    # "não está correto" is not "correto"; in English the same answer names no label
    assert "Correto!" not in audit.check_labels({"alpha_11": "não está correto"}, language="pt")
    assert audit.check_labels(answers).endswith("0 of 4 right.")
    # "no" is Portuguese for "in the": "um erro no início" is wrong from the start, not negated
    assert audit.check_labels({"v_1": "errado no início"}, language="pt").startswith("v_1: Correto!")


def test_the_audit_tables_are_in_portuguese():
    records = audit.chapter_audit()
    tables = [
        audit.audit_table(records, language="pt"),
        audit.chain_table(audit.student_chain(), language="pt"),
        audit.dependence_table(audit.output_dependence(CH.X, CH.W_q, CH.W_k, CH.W_v), CH.tokens, language="pt"),
    ]
    for table in tables:
        words = re.sub(r"<[^>]+>", " ", str(table))
        assert english_left(words) == [], words[:300]
    summary = audit.summary(records, language="pt")
    assert list(summary) == [
        "correto",
        "errado desde o início",
        "erro propagado",
        "não decorre dos números anteriores do próprio capítulo",
    ]
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
    for call in (
        lambda: self_attention(CH.X, CH.W_q[:2], CH.W_k, CH.W_v),
        lambda: self_attention(CH.X, CH.W_q, CH.W_k[:, :2], CH.W_v),
        lambda: self_attention(CH.X, CH.W_q, CH.W_k, CH.W_v, causal="False"),
    ):
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
    "audit.py": {
        "check_first_wrong",
        "check_labels",
        "check_corrected_score",
        "_read_label",
        "audit_table",
        "chain_table",
        "dependence_table",
        "summary",
    },
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
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    roots = (
        [tree]
        if functions is None
        else [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name in functions]
    )
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


# --- issue 25: in Portuguese every number a learner reads has a decimal comma --------------------
# (0,305; 100.000; 44,2 %). Code, and what is typed into code, stays Python: a `code span` or a
# learner's own answer quoted back ('...' or “...”) is not checked.

PYTHON_NUMBER = re.compile(r"(?<![\w.,{])[-−]?\d+\.\d+|(?<![\w.,])(?<!\{,\})\d{5,}(?![\w.,]*\d)")
GROUPED_DECIMALS = re.compile(r"\{,\}\d+\.\d+")  # 1{,}06.2119: a decimal part written as thousands
BRAZILIAN_THOUSANDS = re.compile(r"^[1-9]\d{0,2}(\.\d{3})+$")  # 100.000 (but 0.305 is Python's)


def python_numbers(text: str) -> list[str]:
    """The numbers of `text` written the Python way (0.305, 100000) outside code and quotes."""
    text = re.sub(r"`[^`\n]*`|'[^'\n]*'|“[^”\n]*”", " ", text)
    text = re.sub(r"\bveio \[[^\]]*\]|\bveio \S+|[\d.e+-]+(\.\.\.|…)", " ", text)  # a learner's answer echoed as typed
    text = re.sub(r"\b(Corolário|Lema|Teorema|Proposição|Seção) \d+(\.\d+)+", " ", text)  # numbering
    return [
        n for n in PYTHON_NUMBER.findall(text) if not BRAZILIAN_THOUSANDS.match(n.lstrip("-−"))
    ] + GROUPED_DECIMALS.findall(text)


def test_the_number_check_tells_the_ways_apart():
    assert python_numbers("o peso 0.31 de 100000 tokens, acurácia 44.2%") == ["0.31", "100000", "44.2"]
    assert python_numbers("o peso 0,31 de 100.000 tokens, acurácia 44,2 %; d_k = 1024; q_{3,1}") == []
    assert python_numbers("digite `0.305` ou veio '0.5'") == []
    # TeX's decimal comma: its decimals are never thousands (written twice, they would be)
    assert python_numbers("$q = 1{,}062119$") == [] and python_numbers("$q = 1{,}62.119$") == ["{,}62.119"]


def test_every_checker_message_writes_numbers_with_a_decimal_comma():
    found = []
    for name, check, answers, kwargs in CASES:
        for answer in answers:
            message = _message(check(answer, **kwargs, language="pt"))
            if python_numbers(message):
                found.append(f"{name}: {message}")
    for check, args, kwargs in AUDIT_CALLS:
        message = check(*args, **kwargs, language="pt")
        if python_numbers(message):
            found.append(f"{check.__name__}: {message}")
    assert found == []


def test_the_worked_steps_write_numbers_with_a_decimal_comma():
    from selfattn_lib import steps

    rng = np.random.default_rng(25)
    examples = [(CH.X, CH.W_q, CH.W_k, CH.W_v, list(CH.tokens))]
    examples += [tuple(rng.normal(0, 3, (n, 4)) for n in (4, 4, 4, 4)) + (["a", "b", "c", "d"],)]
    examples += [(CH.X * 40, CH.W_q, CH.W_k, CH.W_v, list(CH.tokens))]  # large scores: the shifted form
    for X, W_q, W_k, W_v, tokens in examples:
        for causal, scaled in ((True, True), (False, False)):
            for i in range(len(tokens)):
                worked = steps.worked_example(X, W_q, W_k, W_v, tokens, i, causal=causal, scaled=scaled, language="pt")
                assert python_numbers(str(worked)) == [], str(worked)
                assert python_numbers(re.sub(r"<[^>]+>", " ", worked.html)) == []
                assert "{,}" in str(worked)  # in TeX the comma is {,}: no space after it
    english = steps.worked_example(CH.X, CH.W_q, CH.W_k, CH.W_v, CH.tokens, 2)
    assert "0.39" in str(english) and "{,}" not in str(english)


def _figure_texts(fig) -> list[str]:
    fig.canvas.draw() if hasattr(fig.canvas, "draw") else None
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    FigureCanvasAgg(fig).draw()
    return [t.get_text() for t in fig.findobj(Text) if t.get_text() and t.get_visible()]


def test_figures_write_numbers_with_a_decimal_comma():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from selfattn_lib import plots, plots_more, positions

    result = self_attention(CH.X, CH.W_q, CH.W_k, CH.W_v)
    texts = _figure_texts(plots.overview(result, CH.tokens, i=2, language="pt"))
    assert "0,36" in texts and python_numbers("\n".join(texts)) == [], texts
    english = _figure_texts(plots.overview(result, CH.tokens, i=2))
    assert "0.36" in english
    # the colour bars' and the contributions axis's tick labels are there, with commas
    fig = plots.overview(result, CH.tokens, i=2, language="pt")
    FigureCanvasAgg(fig).draw()
    ticks = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels() if t.get_text()]
    assert {"0,0", "0,2", "0,4", "0,6", "0,8", "1,0"} <= set(ticks), ticks
    english_fig = plots.overview(result, CH.tokens, i=2)
    FigureCanvasAgg(english_fig).draw()
    english_ticks = [t.get_text() for ax in english_fig.axes for t in ax.get_yticklabels() if t.get_text()]
    assert len(ticks) == len(english_ticks) and "0.2" in english_ticks
    fig = Figure()
    plots_more.encoding_heatmap(positions.positional_encoding(8, 6), ax=fig.add_subplot(), language="pt")
    assert python_numbers("\n".join(_figure_texts(fig))) == []
    fig = Figure()
    plots.matrix_heatmap(CH.X * 1234.5, CH.tokens, ax=fig.add_subplot(), colorbar=True, language="pt")
    assert python_numbers("\n".join(_figure_texts(fig))) == []


def test_the_sharpness_slider_and_chart_write_numbers_with_a_decimal_comma():
    from selfattn_lib import sharpness

    labels = [label for label, _ in sharpness.factor_options(4, "pt")]
    assert "0,5" in " ".join(labels) and python_numbers(" ".join(labels)) == [], labels
    control = sharpness.SharpnessControl(self_attention(CH.X, CH.W_q, CH.W_k, CH.W_v), CH.tokens, 2, "pt")
    shown = "\n".join(_figure_texts(control._fig)) + "\n" + repr(control)
    assert python_numbers(shown) == [], shown


def test_the_explorers_steps_and_picture_write_numbers_with_a_decimal_comma():
    from test_editions import block_words

    from selfattn_lib import steps
    from selfattn_lib.explorer.steps_view import page_blocks
    from selfattn_lib.widgets import AttentionExplorer

    explorer = AttentionExplorer(language="pt")
    state = explorer.state  # the steps the page writes are these (test_explorer_page_steps.py)
    worked = steps.worked_steps(explorer.result, state.X, state.W_q, state.tokens, state.focus, language="pt")
    steps_text = " ".join(block_words(block) for block in page_blocks(worked, "pt"))
    assert "Passo 1" in steps_text and "0,90" in steps_text and python_numbers(steps_text) == [], steps_text[:300]
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    figure = explorer.overview()  # the static picture for readers without JavaScript
    FigureCanvasAgg(figure).draw()  # tick labels exist once drawn
    drawn = " ".join(t.get_text() for t in figure.findobj(Text) if t.get_visible())
    assert "0,5" in drawn and python_numbers(drawn.replace("\\$", "$")) == [], drawn[:300]


def test_a_number_put_into_a_portuguese_template_is_written_the_brazilian_way():
    from selfattn_lib import strings

    line = strings.text("nb.accuracy_noun_weight", "pt", label="antes", accuracy=0.442, mean=0.266, lowest=0.1)
    assert "44,2 %" in line and "0,266" in line and "0,100" in line
    assert "44.2%" in strings.text("nb.accuracy_noun_weight", "en", label="x", accuracy=0.442, mean=0, lowest=0)
    # a text value (code, a learner's input) is left as it is
    assert "0.5" in strings.text("exercises.correct", "pt", message="`x = 0.5`")


def test_no_portuguese_string_asks_for_a_decimal_point():
    """The Portuguese explorer reads a decimal comma (and a point); no Portuguese sentence may tell
    a learner that the decimal mark is '.', not even one only the English explorer raises."""
    asking = re.compile(r"separador decimal é '\.'|(?<!ou )'\.' para os decimais|Separador decimal '\.'|não 0,5")
    assert [key for key, template in PORTUGUESE.items() if asking.search(template)] == []
    assert asking.search("Separador decimal '.' (0.5, não 0,5).")


# --- issue 25: the library's own errors follow the notebook's language ----------------------------

NOTEBOOK_MISTAKES = [
    ("a W_q with 3 rows", lambda sa: sa.self_attention(CH.X, CH.W_q[:3], CH.W_k, CH.W_v)),
    ("softmax of a word", lambda sa: sa.softmax("abc")),
    ("a translation of 3 numbers", lambda sa: audit.translation_effect(CH.X, CH.W_q, CH.W_k, CH.W_v, [1, 2, 3])),
    ("None for X", lambda sa: sa.self_attention(None, CH.W_q, CH.W_k, CH.W_v)),
    ("a NaN in X", lambda sa: sa.project([[1.0, np.nan]], [[1.0], [2.0]])),
    ("a word in W", lambda sa: sa.project(CH.X, [["a"] * 4] * 4)),
    ("a string inside a list", lambda sa: sa.self_attention([[1, "2", 3, 4]] * 3, CH.W_q, CH.W_k, CH.W_v)),
    ("ragged rows", lambda sa: sa.self_attention([[1, 2], [3]], CH.W_q, CH.W_k, CH.W_v)),
    ("a 3-D X", lambda sa: sa.self_attention(np.ones((2, 3, 4)), CH.W_q, CH.W_k, CH.W_v)),
    ("an empty X", lambda sa: sa.self_attention(np.ones((0, 4)), CH.W_q, CH.W_k, CH.W_v)),
    ("a scalar to softmax", lambda sa: sa.softmax(3.0)),
    ("NaN scores", lambda sa: sa.softmax([np.nan, 1.0])),
    ("n = 0", lambda sa: sa.causal_mask(0)),
    ("n = 2.5", lambda sa: sa.causal_mask(2.5)),
    ("W too short for X", lambda sa: sa.project(CH.X, CH.W_q[:2])),
    ("Q, K of other widths", lambda sa: sa.attention_scores(CH.X, CH.X[:, :2])),
    ("weights for other V", lambda sa: sa.combine_values(np.eye(3), CH.X[:2])),
]


@pytest.mark.parametrize("mistake", NOTEBOOK_MISTAKES, ids=[m[0] for m in NOTEBOOK_MISTAKES])
def test_the_library_errors_speak_the_notebooks_language(mistake):
    import selfattn_lib as sa
    from selfattn_lib import strings

    _, call = mistake
    with pytest.raises(ValueError) as english:
        call(sa)
    assert english_left(str(english.value)) != [] or "must" in str(english.value), str(english.value)
    strings.speaker("pt")  # a Portuguese notebook's first cell
    with pytest.raises(LearnerError) as portuguese:
        call(sa)
    shown = str(portuguese.value)
    assert english_left(shown) == [] and from_table(shown, PT_PATTERNS), shown
    assert portuguese.value.message("en") == str(english.value)  # the same error, the same values
    strings.speaker("en")
    with pytest.raises(LearnerError) as again:
        call(sa)
    assert str(again.value) == str(english.value)
