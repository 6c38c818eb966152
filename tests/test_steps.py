"""The step renderer: every number in its text, parsed back, equals what the math gives.

Expected values are computed here with plain Python loops and math.exp, not with the library's
own functions, and compared with the numbers read back out of the rendered text.
"""

import math
import re

import numpy as np
import pytest
from reference import reference_attention

from selfattn_lib import chapter_example, self_attention, steps, strings

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]\d+)?")
PRODUCT = re.compile(r"\(?(-?[\d.e+-]+)\)? \\cdot \(?(-?[\d.e+-]+)\)?")


def numbers(text):
    return [float(x) for x in NUMBER.findall(text)]


def math_lines(rendered):
    return [line[2:-2] for line in rendered.splitlines() if line.startswith("$$")]


def table_rows(rendered):
    """The data rows of every Markdown table in the text, as lists of cell strings."""
    rows = []
    for line in rendered.splitlines():
        if line.startswith("| ") and not line.startswith("| $"):
            rows.append([c.strip() for c in line.strip("|").split(" | ")])
    return rows


def close2(shown, exact):
    """A number printed to 2 decimals (or whole) is the exact one, rounded."""
    return abs(shown - exact) <= 0.005 + 1e-9


def dot(a, b):
    return sum(float(x) * float(y) for x, y in zip(a, b))


def matmul_row(x, W, c):
    return sum(float(x[m]) * float(W[m][c]) for m in range(len(x)))


def reference(X, W_q, W_k, W_v, causal=True, scaled=True):
    """The project's plain-Python reference (tests/reference.py), by name."""
    names = ("Q", "K", "V", "scores", "weights", "output")
    return dict(zip(names, reference_attention(X, W_q, W_k, W_v, causal, scaled)))


@pytest.fixture
def example():
    return chapter_example()


def random_inputs(seed, n, d_model, d_k, d_v):
    rng = np.random.default_rng(seed)
    return (
        rng.normal(size=(n, d_model)),
        rng.normal(size=(d_model, d_k)) / 2,
        rng.normal(size=(d_model, d_k)) / 2,
        rng.normal(size=(d_model, d_v)) / 2,
    )


def test_projection_of_the_chapter_example_reads_as_by_hand(example):
    text = steps.projection_step(example.X, example.W_q, 0, "q", 0, example.tokens)
    # Written out by hand from the chapter's x_1 and first column of W^Q: 0.1 + 0 - 0.2 + 0.3.
    assert r"q_{1,1} = 1 \cdot 0.10 + 0 \cdot 0.20 + 2 \cdot (-0.10) + 1 \cdot 0.30 = 0.20" in text
    assert "“O”" in text and "W^Q" in text


@pytest.mark.parametrize("name", ["q", "k", "v"])
@pytest.mark.parametrize("seed,n,d_model,d_out", [(0, 3, 4, 4), (1, 5, 3, 2), (2, 1, 6, 7)])
def test_projection_numbers_equal_the_products(name, seed, n, d_model, d_out):
    X, W, _, _ = random_inputs(seed, n, d_model, d_out, d_out)
    for i in range(n):
        c = (i + seed) % d_out
        text = steps.projection_step(X, W, i, name, c)
        line = next(m for m in math_lines(text) if m.startswith(f"{name}_{{{i + 1},{c + 1}}}"))
        pairs = PRODUCT.findall(line)
        assert len(pairs) == d_model
        for m, (x, w) in enumerate(pairs):
            assert close2(float(x), X[i, m]) and close2(float(w), W[m, c])
        assert close2(numbers(line.replace(r"\approx", "=").rsplit("=", 1)[1])[0], matmul_row(X[i], W, c))
        (row,) = table_rows(text)
        assert [float(v) for v in row] == pytest.approx([matmul_row(X[i], W, k) for k in range(d_out)], abs=5.1e-5)


@pytest.mark.parametrize("scaled", [True, False])
@pytest.mark.parametrize("causal", [True, False])
def test_score_numbers_equal_the_dot_products(example, causal, scaled):
    ref = reference(example.X, example.W_q, example.W_k, example.W_v, causal, scaled)
    result = self_attention(example.X, example.W_q, example.W_k, example.W_v, causal, scaled)
    for i in range(3):
        for j in range(3):
            text = steps.score_step(result, i, j, example.tokens)
            lines = math_lines(text)
            expanded = lines[0]
            assert expanded.startswith(rf"q_{{{i + 1}}} \cdot k_{{{j + 1}}} =")
            for (q, k), qe, ke in zip(PRODUCT.findall(expanded), ref["Q"][i], ref["K"][j]):
                assert close2(float(q), qe) and close2(float(k), ke)
            raw = dot(ref["Q"][i], ref["K"][j])
            assert close2(numbers(expanded.replace(r"\approx", "=").rsplit("=", 1)[1])[0], raw)
            if scaled:
                assert len(lines) == 2 and r"\sqrt{4}" in lines[1]
                assert close2(numbers(lines[1].replace(r"\approx", "=").rsplit("=", 1)[1])[0], raw / 2)
            else:
                assert len(lines) == 1 and "Unscaled" in text
                shown = re.search(r"\\mathrm\{score\}\(x_\{\d+\}, x_\{\d+\}\) = (\S+)\$", text)
                assert close2(float(shown.group(1)), raw)
            assert ("causal mask hides it" in text) == (causal and j > i)


@pytest.mark.parametrize("causal", [True, False])
def test_softmax_table_equals_exponentials_and_weights(causal):
    X, W_q, W_k, W_v = random_inputs(7, 5, 4, 3, 2)
    ref = reference(X, W_q, W_k, W_v, causal)
    result = self_attention(X, W_q, W_k, W_v, causal)
    for i in range(5):
        text = steps.softmax_step(result, i)
        rows = table_rows(text)
        visible = list(range(i + 1)) if causal else list(range(5))
        assert [int(r[0]) for r in rows] == [j + 1 for j in visible]
        for j, (_, score, e, alpha) in zip(visible, rows):
            assert float(score) == pytest.approx(ref["scores"][i][j], abs=5.1e-5)
            assert float(e) == pytest.approx(math.exp(ref["scores"][i][j]), abs=5.1e-5)
            assert float(alpha) == pytest.approx(ref["weights"][i][j], abs=5.1e-5)
        total_line = next(m for m in math_lines(text) if m.startswith(r"\sum_k"))
        exact_total = sum(math.exp(ref["scores"][i][j]) for j in visible)
        assert close2(numbers(total_line.replace(r"\approx", "=").rsplit("=", 1)[1])[0], exact_total)
        assert ("Masked (future) tokens" in text) == (causal and i < 4)


def test_softmax_of_large_scores_subtracts_the_largest(example):
    result = self_attention(example.X * 1000, example.W_q, example.W_k, example.W_v)
    text = steps.softmax_step(result, 2)
    assert "inf" not in text and "largest one" in text
    ref = reference(example.X * 1000, example.W_q, example.W_k, example.W_v)
    for j, row in enumerate(table_rows(text)):
        assert float(row[3]) == pytest.approx(ref["weights"][2][j], abs=5.1e-5)


@pytest.mark.parametrize("causal", [True, False])
def test_output_numbers_equal_the_weighted_sum(causal):
    X, W_q, W_k, W_v = random_inputs(3, 4, 3, 3, 5)
    ref = reference(X, W_q, W_k, W_v, causal)
    result = self_attention(X, W_q, W_k, W_v, causal)
    for i in range(4):
        text = steps.output_step(result, i)
        (line,) = math_lines(text)
        visible = list(range(i + 1)) if causal else list(range(4))
        # a_i = (symbols) = w * [v] + w * [v] ... = [a]
        _, _, expansion, total = line.replace(r" \approx ", " = ").split(" = ")  # "≈" where no rounding adds up
        terms = expansion.split(r" + ")
        assert len(terms) == len(visible)
        for j, term in zip(visible, terms):
            weight, vector = term.split(r" \cdot ", 1)
            assert close2(float(weight.strip("()")), ref["weights"][i][j])
            assert all(close2(a, b) for a, b in zip(numbers(vector), ref["V"][j]))
        assert all(close2(a, b) for a, b in zip(numbers(total), ref["output"][i]))
        (row,) = table_rows(text)
        assert [float(v) for v in row] == pytest.approx(ref["output"][i], abs=5.1e-5)


def test_worked_example_has_every_step_for_the_token(example):
    text = steps.worked_example(example.X, example.W_q, example.W_k, example.W_v, example.tokens, 1)
    assert isinstance(text, steps.Rendered) and text._repr_markdown_() == str(text)
    for piece in (
        "Step 1",
        "Step 2",
        "Step 3",
        "Step 4",
        r"q_{2} \cdot k_{1}",
        r"q_{2} \cdot k_{2}",
        r"\alpha_{2j}",
        "a_{2} =",
    ):
        assert piece in text
    assert r"q_{2} \cdot k_{3}" not in text  # the future token is not compared when causal
    unscaled = steps.worked_example(
        example.X, example.W_q, example.W_k, example.W_v, example.tokens, 1, causal=False, scaled=False
    )
    assert r"q_{2} \cdot k_{3}" in unscaled and r"\frac" not in unscaled.split("Step 3")[0]


def test_html_form_has_the_same_numbers_and_no_markdown(example):
    text = steps.worked_example(example.X, example.W_q, example.W_k, example.W_v, example.tokens, 2)
    page = text.html
    assert "**" not in page and "####" not in page and "<table" in page
    assert sorted(numbers(re.sub(r"<[^>]+>", " ", page))) == sorted(numbers(str(text).replace("|---", "")))


def test_learner_tokens_cannot_break_the_markdown(example):
    result = self_attention(example.X, example.W_q, example.W_k, example.W_v)
    text = steps.softmax_step(result, 2, tokens=("a|b", "**x**", "$y$"))
    for row in table_rows(text):
        assert len(row) == 4  # a '|' in a token did not add a column
    assert r"“a\|b”" in text and r"“\*\*x\*\*”" in text and r"“\$y\$”" in text
    assert "“a|b”" in text.html and "“**x**”" in text.html


@pytest.mark.parametrize(
    "call",
    [
        lambda r, e: steps.score_step(r, 3, 0),
        lambda r, e: steps.score_step(r, 0, -1),
        lambda r, e: steps.softmax_step(r, 1.0),
        lambda r, e: steps.output_step(r, True),
        lambda r, e: steps.projection_step(e.X, e.W_q, 0, "z"),
        lambda r, e: steps.projection_step(e.X, e.W_q, 0, "q", component=4),
        lambda r, e: steps.projection_step(e.X, e.W_q[:3], 0),
    ],
)
def test_bad_arguments_raise_a_clear_value_error(example, call):
    result = self_attention(example.X, example.W_q, example.W_k, example.W_v)
    with pytest.raises(ValueError, match=r"must"):
        call(result, example)


@pytest.mark.parametrize(
    "causal, scaled, words",
    [
        (True, True, "causal, scaled"),
        (True, False, "causal, unscaled"),
        (False, True, "bidirectional, scaled"),
        (False, False, "bidirectional, unscaled"),
    ],
)
def test_mode_label_names_the_variant_in_the_asked_language(causal, scaled, words, monkeypatch):
    example = chapter_example()
    result = self_attention(example.X, example.W_q, example.W_k, example.W_v, causal=causal, scaled=scaled)
    assert steps.mode_label(result) == words
    english = strings.STRINGS["en"]
    monkeypatch.setitem(strings.STRINGS, "pt-test", {k: "PT:" + v for k, v in english.items()})
    direction, scaling = words.split(", ")
    assert steps.mode_label(result, "pt-test") == f"PT:PT:{direction}, PT:{scaling}"


def test_a_single_exponential_is_not_written_twice(example):
    # issue 15: row 1 under the mask has one term; "e^{0.73} = 2.08 = 2.08" said it twice
    result = self_attention(example.X, example.W_q, example.W_k, example.W_v, True, False)
    (line,) = [m for m in math_lines(steps.softmax_step(result, 0)) if m.startswith(r"\sum_k")]
    assert line.count("=") == 2, line  # \sum_k = e^{0.73} = 2.08
