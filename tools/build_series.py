"""Write the cells of notebooks 01-06 and 09 (the series), so they are easy to regenerate.

    python tools/build_series.py            # write every notebook of the series (no outputs)
    python tools/build_series.py 03 05      # only these
    python tools/execute_notebooks.py notebooks/0[1-6]_*.ipynb notebooks/09_*.ipynb

The navigation cells are not written here: tools/navigation.py adds them (and keeps them).
Solutions go in cells whose source is collapsed; exercise cells hold a placeholder (None) that
the learner replaces, so the committed notebook runs top to bottom without error.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

SETUP = """\
%matplotlib inline
import numpy as np
import matplotlib.pyplot as plt
import selfattn_lib as sa
from selfattn_lib import exercises, plots, steps

example = sa.chapter_example()
tokens = example.tokens
result = sa.self_attention(example.X, example.W_q, example.W_k, example.W_v)  # causal, scaled
np.set_printoptions(precision=4, suppress=True)"""

# Shared by the notebooks whose widget draws a matplotlib figure: one figure, updated in place,
# sent as PNG bytes to a widgets.Image (no flicker, and nbval-stable when executed).
PNG = """\
import io
import ipywidgets as widgets
from matplotlib.figure import Figure


def png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()"""


def md(text: str):
    return nbformat.v4.new_markdown_cell(text.strip("\n"))


def code(text: str, tags=()):
    cell = nbformat.v4.new_code_cell(text.strip("\n"))
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def solution(text: str):
    """A cell collapsed, source and output (its output would give the answer away)."""
    cell = code("# Solution (click to expand)\n" + text.strip("\n"))
    cell.metadata["jupyter"] = {"source_hidden": True, "outputs_hidden": True}
    return cell


def quote(pt: str, en: str) -> str:
    return f"> *{pt.strip()}*\n>\n> {en.strip()}"


# --- 01 ----------------------------------------------------------------------------------------

def nb01():
    return [
        md(r"""
# 01 · Projections: queries, keys and values

**The idea.** Each token plays three roles in self-attention, so each token gets three vectors, one
per role. They come from the same word vector $x_i$ multiplied by three different learned matrices.

The chapter:

""" + quote(
            "Conforme já apresentado, as palavras de entrada desempenham três papéis na autoatenção: "
            "query (foco atual), key (entrada precedente para comparação) e value (usado para computar a saída).",
            "As already presented, the input words play three roles in self-attention: query (the current "
            "focus), key (a preceding input, for comparison) and value (used to compute the output).")
        ),
        md(r"""
## The equation

With row vectors (the chapter's notation), each role is one product:

$$q_i = x_i W^Q, \qquad k_i = x_i W^K, \qquad v_i = x_i W^V$$

- the **query** $q_i$: what token $i$ is looking for;
- the **key** $k_i$: what token $i$ offers to be found by;
- the **value** $v_i$: what token $i$ hands over when it is attended to.

Shapes: $x_i$ is $1 \times d_{model}$ and $W^Q$ is $d_{model} \times d_k$, so $q_i$ is $1 \times d_k$.
Stacking the $n$ tokens as the rows of $X$ gives all the queries at once:
$Q = X W^Q$, $(n \times d_{model})(d_{model} \times d_k) = n \times d_k$. Row $i$ of $Q$ is $q_i$.
"""),
        code(SETUP),
        md(r"""
## The chapter's example, computed

Three tokens (labelled with the first three words of the chapter's sentence, *O gato preto*,
"the black cat"), $d_{model} = d_k = d_v = 4$. The inputs, as the chapter prints them:
"""),
        code("""\
print("tokens:", tokens)
print("X (row i is x_i):")
print(example.X)
print("W^Q:")
print(example.W_q)"""),
        md(r"""
Component 1 of $q_1$ written out by hand: the row $x_1$ times column 1 of $W^Q$.
"""),
        code("steps.projection_step(example.X, example.W_q, 0, name=\"q\", component=0, tokens=tokens)"),
        md(r"""
The library does every row and every column at once (`sa.project(X, W)` is `X @ W`).
(The chapter's own printed $q_1$ has arithmetic errors; these numbers are computed, and notebook 07
checks every number the chapter prints.)
"""),
        code("""\
Q = sa.project(example.X, example.W_q)
K = sa.project(example.X, example.W_k)
V = sa.project(example.X, example.W_v)
print("Q = X W^Q (row i is q_i):")
print(Q)
print("K = X W^K:")
print(K)
print("V = X W^V:")
print(V)"""),
        md(r"""
The same three word vectors, seen through three matrices, give three different sets of vectors:
"""),
        code("""\
fig, axes = plt.subplots(1, 4, figsize=(13, 3), layout="constrained")
for ax, M, name in zip(axes, (example.X, Q, K, V), ("X (inputs)", "Q = X W^Q", "K = X W^K", "V = X W^V")):
    plots.matrix_heatmap(M, tokens, ax=ax, title=name)
plt.show()"""),
        md(r"""
## Why three matrices?

If one matrix played both roles (queries and keys from the same $W$), the score of $i$ against $j$
would equal the score of $j$ against $i$: $x_i W \cdot x_j W = x_j W \cdot x_i W$. But attention is
not symmetric: *preto* ("black") should look back at *gato* ("cat") for its gender, while *gato* has
no reason to look at *preto*. Separate $W^Q$ and $W^K$ let the match be one-directional:
"""),
        code("""\
same = sa.attention_scores(Q, Q, scaled=False)  # W^Q for both roles
two = sa.attention_scores(Q, K, scaled=False)   # W^Q for queries, W^K for keys
print("one matrix, q_i . q_j  (symmetric):", np.allclose(same, same.T))
print("two matrices, q_i . k_j (symmetric):", np.allclose(two, two.T))
print(f"q_3 . k_2 = {two[2, 1]:.4f}   but   q_2 . k_3 = {two[1, 2]:.4f}")"""),
        md(r"""
And $W^V$ separates *what a token hands over* from *how it is found*. The shapes need only agree on
the inside: $W$ has $d_{model}$ rows, and its number of columns chooses $d_k$. With 5 tokens of width 3
and a $3 \times 2$ matrix:
"""),
        code("""\
rng = np.random.default_rng(0)
X5 = rng.normal(size=(5, 3))   # n = 5 tokens, d_model = 3
W = rng.normal(size=(3, 2))    # d_model = 3 rows, d_k = 2 columns
print("X:", X5.shape, " W:", W.shape, " X W:", sa.project(X5, W).shape)"""),
        md(r"""
## Your turn: change $x_1$ and $W^Q$

Edit any number of $x_1$ or of $W^Q$ (type it and press Enter, or paste a whole matrix); $q_1$ and
the written-out product follow. *Chapter values* brings back the chapter's numbers.
The matrix product multiplies $x_1$ by each **column** of $W^Q$: watch which components of $q_1$ move
when you change one entry of $W^Q$.
"""),
        code("""\
import ipywidgets as widgets
from selfattn_lib.widgets import MatrixEditor

columns = [str(c + 1) for c in range(4)]
x_editor = MatrixEditor(example.X[:1], ["x_1"], columns, title="<b>x<sub>1</sub></b> (token 1, O)",
                        reset_values=example.X[:1])
w_editor = MatrixEditor(example.W_q, columns, columns, title="<b>W<sup>Q</sup></b>",
                        reset_values=example.W_q)
shown = widgets.HTMLMath()


def redraw(editor=None):
    X = example.X.copy()
    X[0] = x_editor.value[0]
    try:
        shown.value = steps.projection_step(X, w_editor.value, 0, name="q", component=0, tokens=tokens).html
    except ValueError as error:  # e.g. a number too large: say so instead of freezing
        shown.value = f"<b>Cannot compute:</b> {error}"


x_editor.on_change(redraw)
w_editor.on_change(redraw)
redraw()
widgets.VBox([widgets.HBox([x_editor, w_editor]), shown])"""),
        md(r"""
Things to try: set the **second** row of $W^Q$ to zeros. Why does $q_1$ not change? (Which
component of $x_1$ multiplies row 2 of $W^Q$?) Then set one **column** of $W^Q$ to zeros: which
component of $q_1$ becomes 0?

## Exercises

Each check answers at once: *Correct!*, or a hint about the likely mistake. Python counts from 0:
$x_2$ is `example.X[1]`.

**1.** Compute $q_2 = x_2 W^Q$ (a vector of 4 numbers).
"""),
        code("""\
my_q2 = None  # your answer, e.g. example.X[?] @ example.W_?
exercises.check_projection(my_q2, i=1, name="q")"""),
        solution("""\
solution_q2 = example.X[1] @ example.W_q
exercises.check_projection(solution_q2, i=1, name="q")"""),
        md(r"""
**2.** Compute the whole key matrix $K$, one row per token.
"""),
        code("""\
my_K = None  # your answer
exercises.check_projection_matrix(my_K, name="k")"""),
        solution("""\
solution_K = example.X @ example.W_k
exercises.check_projection_matrix(solution_K, name="k")"""),
        md(r"""
**3.** A sentence of 5 tokens with word vectors of width 3 goes through a $W^Q$ of shape $3 \times 4$.
What is the shape of $Q$? Answer with a pair `(rows, columns)`.
"""),
        code("""\
my_shape = None  # your answer, e.g. (?, ?)
exercises.check_projection_shape(my_shape, n=5, d_model=3, d_k=4)"""),
        solution("""\
solution_shape = (5, 4)  # (n x d_model)(d_model x d_k) = n x d_k
exercises.check_projection_shape(solution_shape, n=5, d_model=3, d_k=4)"""),
        md(r"""
**Summary.** $q_i = x_i W^Q$, $k_i = x_i W^K$, $v_i = x_i W^V$: three roles, three learned matrices,
all tokens at once as $Q = XW^Q$. Next: how a query and a key are compared.
"""),
    ]


# --- 02 ----------------------------------------------------------------------------------------

def nb02():
    return [
        md(r"""
# 02 · Scores: how well a query matches a key

**The idea.** To decide how much token $i$ should attend to token $j$, compare $i$'s query with $j$'s
key by a dot product: one number per pair, large when the two vectors point the same way.

""" + quote(
            "A relevância de cada palavra vizinha é quantificada através de um produto escalar (dot product) "
            "entre a representação query da palavra de foco (q_i) e a representação key de cada palavra "
            "vizinha (k_j).",
            "The relevance of each neighbouring word is measured by a dot product between the query "
            "representation of the focus word ($q_i$) and the key representation of each neighbouring "
            "word ($k_j$).")
        ),
        md(r"""
## The equation

$$\text{score}(x_i, x_j) = \frac{q_i \cdot k_j}{\sqrt{d_k}}$$

where $d_k$ is the length of the query and key vectors. In the causal setting token $i$ will only
use the scores with $j \le i$ (the mask comes at the softmax step, notebook 03); the **score matrix**
holds every pair, $\text{scores} = Q K^T / \sqrt{d_k}$, with $q_i$ against every key along row $i$.

About the division, the chapter says only:

""" + quote("A divisão por √d_k ajuda a estabilizar o treinamento.",
            "The division by $\\sqrt{d_k}$ helps to stabilise training.") + r"""

This notebook shows why.
"""),
        code(SETUP),
        md(r"""
## The chapter's example, computed

Token 3 (*preto*) against token 2 (*gato*), written out: the dot product, then the division by
$\sqrt{d_k} = \sqrt{4} = 2$.
"""),
        code("steps.score_step(result, 2, 1, tokens=tokens)"),
        md(r"""
Every pair at once, $Q K^T / \sqrt{d_k}$ (row $i$: the query of token $i$ against every key). The
hatched cells are future tokens: computed, then removed by the causal mask before the softmax.
"""),
        code("""\
print("scores = Q K^T / sqrt(d_k):")
print(result.scores)
fig, ax = plt.subplots(figsize=(4.5, 3.8), layout="constrained")
plots.scores_heatmap(result, tokens, ax=ax)
plt.show()"""),
        md(r"""
(The chapter's worked example leaves out the division by $\sqrt{d_k}$ that its own formalisation
requires; here the scores are divided, as in the formalisation.)

## Why divide by $\sqrt{d_k}$?

A dot product adds $d_k$ products. If the components of $q$ and $k$ are independent with mean 0 and
variance 1, each product has variance 1, so the sum has variance $d_k$: its typical size (standard
deviation) grows like $\sqrt{d_k}$. Dividing by $\sqrt{d_k}$ brings it back to about 1, whatever the
width. Measured on random vectors (fixed seed):
"""),
        code("""\
rng = np.random.default_rng(2024)
widths = [1, 4, 16, 64, 256, 1024]
spread_raw, spread_scaled = [], []
for d_k in widths:
    q = rng.normal(size=(4000, d_k))
    k = rng.normal(size=(4000, d_k))
    dots = (q * k).sum(axis=1)  # 4000 dot products q . k
    spread_raw.append(dots.std())
    spread_scaled.append((dots / np.sqrt(d_k)).std())

fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
ax.plot(widths, spread_raw, "o-", label="q · k")
ax.plot(widths, spread_scaled, "s-", label="q · k / √d_k")
ax.plot(widths, np.sqrt(widths), ":", color="grey", label="√d_k")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("d_k (length of q and k)")
ax.set_ylabel("standard deviation of the score")
ax.set_title("The spread of q · k grows like √d_k; dividing by √d_k keeps it near 1")
ax.legend()
plt.show()
for d_k, raw, scaled in zip(widths, spread_raw, spread_scaled):
    print(f"d_k = {d_k:5d}: spread of q.k = {raw:6.1f},  of q.k/sqrt(d_k) = {scaled:4.2f}")"""),
        md(r"""
Why large scores are a problem: the softmax (next notebook) turns a row of scores into weights, and
when the scores are spread far apart it **saturates**: almost all the weight goes to the largest one,
the others get almost nothing (and learning through them almost stops). Eight keys, random vectors,
the largest weight of the softmax, on average over many rows:
"""),
        code("""\
lines = []
for d_k in (4, 64, 512):
    q = rng.normal(size=(2000, 1, d_k))
    k = rng.normal(size=(2000, 8, d_k))
    dots = (q * k).sum(axis=2)  # 2000 rows of 8 scores
    top_raw = sa.softmax(dots).max(axis=1).mean()
    top_scaled = sa.softmax(dots / np.sqrt(d_k)).max(axis=1).mean()
    lines.append(f"d_k = {d_k:3d}: largest weight {top_raw:.2f} unscaled, {top_scaled:.2f} scaled")
print("\\n".join(lines))"""),
        md(r"""
Unscaled, the largest of 8 weights approaches 1 as $d_k$ grows; scaled, it stays the same at every
width.

## Your turn: pick a query and a key

Choose the query token $i$ and the key token $j$, and whether to divide by $\sqrt{d_k}$. The
score is written out, and its cell is outlined in the score matrix.
"""),
        code(PNG),
        code("""\
query = widgets.Dropdown(options=[(f"{i + 1}: {t}", i) for i, t in enumerate(tokens)], value=2,
                         description="query i")
key = widgets.Dropdown(options=[(f"{j + 1}: {t}", j) for j, t in enumerate(tokens)], value=1,
                       description="key j")
scaled = widgets.Checkbox(value=True, description="divide by √d_k")
text = widgets.HTMLMath()
picture = widgets.Image(format="png", layout=widgets.Layout(align_self="flex-start", max_width="100%"))  # natural size, not stretched

fig = Figure(figsize=(4.5, 3.8), layout="constrained")
ax = fig.add_subplot()
image = plots.scores_heatmap(result, tokens, ax=ax)
frame = ax.add_patch(plt.Rectangle((0.5, 1.5), 1, 1, fill=False, edgecolor="black", linewidth=3))


def redraw(change=None):
    r = sa.self_attention(example.X, example.W_q, example.W_k, example.W_v, scaled=scaled.value)
    text.value = steps.score_step(r, query.value, key.value, tokens=tokens).html
    plots.update_heatmap(image, r.scores, r.mask)
    ax.set_title("Scores " + ("q·k / √d_k" if r.scaled else "q·k (unscaled)"))
    frame.set_xy((key.value - 0.5, query.value - 0.5))
    picture.value = png(fig)


for control in (query, key, scaled):
    control.observe(redraw, names="value")
redraw()
widgets.VBox([widgets.HBox([query, key, scaled]), widgets.HBox([picture, text])])"""),
        md(r"""
## Exercises

Python counts from 0: $q_3$ is `result.Q[2]`. `result.Q`, `result.K` and `result.d_k` are there for
you (or compute them from `example` as in notebook 01).

**1.** Compute $\text{score}(x_3, x_2) = q_3 \cdot k_2 / \sqrt{d_k}$.
"""),
        code("""\
my_score = None  # your answer
exercises.check_score(my_score, i=2, j=1)"""),
        solution("""\
solution_score = result.Q[2] @ result.K[1] / np.sqrt(result.d_k)
exercises.check_score(solution_score, i=2, j=1)"""),
        md(r"""
**2.** Compute the raw dot product $q_2 \cdot k_1$, *before* any division.
"""),
        code("""\
my_dot = None  # your answer
exercises.check_score(my_dot, i=1, j=0, scaled=False)"""),
        solution("""\
solution_dot = result.Q[1] @ result.K[0]
exercises.check_score(solution_dot, i=1, j=0, scaled=False)"""),
        md(r"""
**3.** Compute the whole score matrix $Q K^T / \sqrt{d_k}$ with one matrix product.
"""),
        code("""\
my_scores = None  # your answer
exercises.check_scores(my_scores)"""),
        solution("""\
solution_scores = result.Q @ result.K.T / np.sqrt(result.d_k)
exercises.check_scores(solution_scores)"""),
        md(r"""
**Summary.** $\text{score}(x_i, x_j) = q_i \cdot k_j / \sqrt{d_k}$; all of them at once are
$QK^T/\sqrt{d_k}$. Without the division the scores spread like $\sqrt{d_k}$ and the softmax
saturates. Next: turning the scores into weights.
"""),
    ]


# --- 03 ----------------------------------------------------------------------------------------

def nb03():
    return [
        md(r"""
# 03 · Softmax: from scores to weights

**The idea.** Scores can be any numbers. The softmax turns the scores of token $i$ into **weights**
$\alpha_{ij}$ that are positive and sum to 1: a probability distribution over the tokens $i$ may look
at (with the causal mask, $j \le i$).

""" + quote(
            "A função softmax garante que os pesos α_ij somem 1, criando uma distribuição de probabilidade "
            "sobre as palavras vizinhas.",
            "The softmax function makes the weights $\\alpha_{ij}$ sum to 1, creating a probability "
            "distribution over the neighbouring words.")
        ),
        md(r"""
## The equation

$$\alpha_{ij} = \frac{\exp(\text{score}(x_i, x_j))}{\sum_{k=1}^{i} \exp(\text{score}(x_i, x_k))}, \qquad j \le i$$

and $\alpha_{ij} = 0$ for $j > i$ (future tokens). The exponential makes every weight positive and
keeps the order of the scores; dividing by the sum makes each row sum to 1.
"""),
        code(SETUP),
        md(r"""
## The chapter's example, computed

Row 3 (*preto*) written out: each exponential, their sum, each weight.
"""),
        code("steps.softmax_step(result, 2, tokens=tokens)"),
        md(r"""
All the rows (row $i$: how token $i$ spreads its attention). Each row sums to 1; above the diagonal,
the future, the weights are exactly 0:
"""),
        code("""\
print("weights:")
print(result.weights)
print("row sums:", result.weights.sum(axis=1).round(12))
fig, ax = plt.subplots(figsize=(4.5, 3.8), layout="constrained")
plots.weights_heatmap(result, tokens, ax=ax)
plt.show()"""),
        md(r"""
The chapter's scores are small and close together, so the weights are nearly even (about 1/3 each
in row 3). Trained weight matrices give sharper patterns; below you make them sharper yourself.

## Adding a constant to a row changes nothing

$\dfrac{e^{s_j + c}}{\sum_k e^{s_k + c}} = \dfrac{e^{c} e^{s_j}}{e^{c} \sum_k e^{s_k}} =
\dfrac{e^{s_j}}{\sum_k e^{s_k}}$: only the **differences** between the scores of a row matter.
"""),
        code("""\
row = result.scores[2]
for c in (0.0, 10.0, -250.0):
    print(f"scores + {c:7.1f} -> weights {sa.softmax(row + c)}")"""),
        md(r"""
That is what makes the softmax safe to compute. Written naively, $e^{1000}$ overflows a float
(the largest is about $1.8 \times 10^{308}$) and the weights become `inf / inf = nan`. Subtracting the
row's largest score first changes no weight (the rule above) and keeps every exponential $\le 1$; the
library's `sa.softmax` does this.
"""),
        code("""\
def naive_softmax(scores):
    exps = np.exp(scores)
    return exps / exps.sum()


large = np.array([1000.0, 1001.0, 1002.0])
with np.errstate(over="ignore", invalid="ignore"):  # silence the overflow warning: we show its result
    print("naive :", naive_softmax(large))
print("stable:", sa.softmax(large))
print("stable, same row minus 1000:", sa.softmax(large - 1000))"""),
        md(r"""
## Your turn: sharpen or flatten the weights

Multiply the scores of row 3 by a factor before the softmax. A factor near 0 flattens the weights
towards even (1/3 each); a large factor sharpens them until the largest score takes nearly all the
weight. Dividing by $\sqrt{d_k}$ is such a factor ($1/2$ here); a trained model's matrices set the
rest.
"""),
        code(PNG),
        code("""\
factor = widgets.FloatSlider(value=1.0, min=0.0, max=40.0, step=0.5, description="factor",
                             continuous_update=False)
picture = widgets.Image(format="png", layout=widgets.Layout(align_self="flex-start", max_width="100%"))  # natural size, not stretched
fig = Figure(figsize=(5.5, 3.2), layout="constrained")
ax = fig.add_subplot()
bars = ax.bar(range(3), result.weights[2], color=plots.token_colors(3))
labels = [ax.text(j, 0, "", ha="center", va="bottom") for j in range(3)]
ax.set_xticks(range(3), [f"α_3{j + 1} ({t})" for j, t in enumerate(tokens)])
ax.set_ylim(0, 1.1)
ax.set_ylabel("weight")


def redraw(change=None):
    weights = sa.softmax(factor.value * result.scores[2])
    for bar, label, w in zip(bars, labels, weights):
        bar.set_height(w)
        label.set_position((label.get_position()[0], w))
        label.set_text(f"{w:.2f}")
    ax.set_title(f"Weights of row 3 ({tokens[2]}): softmax({factor.value:g} × scores)")
    picture.value = png(fig)


factor.observe(redraw, names="value")
redraw()
widgets.VBox([factor, picture])"""),
        md(r"""
For readers without a live kernel, the same row at four factors:
"""),
        code("""\
fig, axes = plt.subplots(1, 4, figsize=(13, 2.8), sharey=True, layout="constrained")
for ax, f in zip(axes, (0, 1, 10, 40)):
    w = sa.softmax(f * result.scores[2])
    ax.bar(range(3), w, color=plots.token_colors(3))
    for j, value in enumerate(w):
        ax.text(j, value, f"{value:.2f}", ha="center", va="bottom")
    ax.set_xticks(range(3), tokens)
    ax.set_ylim(0, 1.15)
    ax.set_title(f"softmax({f} × scores of row 3)")
axes[0].set_ylabel("weight")
plt.show()"""),
        md(r"""
## Exercises

**1.** Compute the weights of token 3, $\alpha_{31}, \alpha_{32}, \alpha_{33}$, from `result.scores[2]`.
"""),
        code("""\
my_alpha3 = None  # your answer: three numbers
exercises.check_weights_row(my_alpha3, i=2)"""),
        solution("""\
exps = np.exp(result.scores[2])
solution_alpha3 = exps / exps.sum()
exercises.check_weights_row(solution_alpha3, i=2)"""),
        md(r"""
**2.** Compute the weights of token 2 (*gato*), $\alpha_{2j}$ for $j = 1, 2, 3$. Mind the mask.
"""),
        code("""\
my_alpha2 = None  # your answer: three numbers (or the two that are allowed)
exercises.check_weights_row(my_alpha2, i=1)"""),
        solution("""\
visible = result.scores[1, :2]  # j <= 2 only
exps = np.exp(visible)
solution_alpha2 = np.append(exps / exps.sum(), 0.0)
exercises.check_weights_row(solution_alpha2, i=1)"""),
        md(r"""
**3.** Write a softmax of your own that stays finite on very large scores: a function that takes a
1-D array of scores and returns the weights. Then pass the function itself to the check.
"""),
        code("""\
# def my_softmax(scores):
#     ...
#     return weights
my_softmax = None  # replace with your function
exercises.check_softmax_function(my_softmax)"""),
        solution("""\
def solution_softmax(scores):
    exps = np.exp(scores - scores.max())  # the largest exponential is e^0 = 1
    return exps / exps.sum()


exercises.check_softmax_function(solution_softmax)"""),
        md(r"""
**Summary.** The softmax makes each row of scores a probability distribution, ignores a constant
added to a row (which is also what makes it safe to compute), and sharpens as the scores spread.
Next: what the weights are for.
"""),
    ]


# --- 04 ----------------------------------------------------------------------------------------

def nb04():
    return [
        md(r"""
# 04 · Combining values: the output of self-attention

**The idea.** The output for token $i$ is a weighted average of the value vectors, with token $i$'s
attention weights as the weights. It is a new vector for token $i$ that carries information from the
tokens it attends to: a *contextual* representation.

""" + quote(
            "Este vetor de pesos é então usado para ponderar os vetores de value (v_j), resultando em um "
            "valor de saída ponderada que representa a palavra i no contexto.",
            "This vector of weights is then used to weight the value vectors ($v_j$), giving a weighted "
            "output that represents word $i$ in context.")
        ),
        md(r"""
## The equation

$$a_i = \sum_{j=1}^{i} \alpha_{ij}\, v_j$$

The weights of a row are positive and sum to 1, so $a_i$ lies "between" the values $v_1, \dots, v_i$,
nearest to those with the largest weights. For all tokens at once: $A = \text{weights} \; V$ (row $i$ is
$a_i$).
"""),
        code(SETUP),
        md(r"""
## The chapter's example, computed

The output of token 3 (*preto*), written out: each weight times its value vector.
"""),
        code("steps.output_step(result, 2, tokens=tokens)"),
        code("""\
print("V (row j is v_j):")
print(result.V)
print("weights:")
print(result.weights)
print("output (row i is a_i):")
print(result.output)"""),
        md(r"""
The **contributions view**: each component of $a_3$ is a stack of the pieces $\alpha_{3j} v_j$, one
colour per token; the black tick is the total.
"""),
        code("""\
fig, ax = plt.subplots(figsize=(6.5, 3.5), layout="constrained")
plots.contributions(result, tokens, 2, ax=ax)
plt.show()"""),
        md(r"""
## $a_1$ is $v_1$

The first token can only attend to itself, so $\alpha_{11} = 1$ and $a_1 = 1 \cdot v_1 = v_1$. The
chapter says *"a_1 é simplesmente a representação inicial ponderada por 1 (só há auto-atenção)"*
("$a_1$ is simply the initial representation weighted by 1: there is only attention to itself").
Note that it is the **value** $v_1 = x_1 W^V$, not the input $x_1$:
"""),
        code("""\
print("a_1 == v_1:", np.array_equal(result.output[0], result.V[0]))
print("a_1 == x_1:", np.array_equal(result.output[0], example.X[0]))"""),
        md(r"""
## What "contextual representation" means

The same word gets a different output in a different context. Keep *preto* exactly as it is and
change only the word before it: a made-up vector for *cão* ("dog") instead of *gato*. The value
$v_3$ of *preto* does not change; its output $a_3$ does, because it mixes in what the other tokens hand
over.
"""),
        code("""\
X_dog = example.X.copy()
X_dog[1] = [2.0, 0.0, 0.0, 1.0]  # a made-up word vector for "cão"
dog = sa.self_attention(X_dog, example.W_q, example.W_k, example.W_v)
print("v_3 of preto, both sentences equal:", np.array_equal(result.V[2], dog.V[2]))
print("a_3 in 'O gato preto':", result.output[2])
print("a_3 in 'O cão preto': ", dog.output[2])"""),
        md(r"""
In a trained model the weights would also tell *preto* to attend mostly to the noun it describes,
so $a_3$ would carry *gato*'s information: that is how a Transformer layer lets a word's
representation depend on its neighbours.

## Your turn: set the weights of row 3

Drag the sliders to give each token an amount of attention; they are normalised to sum to 1 (as the
softmax would) and $a_3$ follows. Put all the weight on one token and $a_3$ becomes that token's
value vector.
"""),
        code(PNG),
        code("""\
import dataclasses

amounts = [widgets.FloatSlider(value=round(w, 2), min=0.0, max=1.0, step=0.05, description=f"{j + 1}: {t}",
                               continuous_update=False) for j, (t, w) in enumerate(zip(tokens, result.weights[2]))]
text = widgets.HTMLMath()
picture = widgets.Image(format="png", layout=widgets.Layout(align_self="flex-start", max_width="100%"))  # natural size, not stretched
fig = Figure(figsize=(6.5, 3.5), layout="constrained")
ax = fig.add_subplot()
bars = plots.contributions(result, tokens, 2, ax=ax)


def redraw(change=None):
    raw = np.array([s.value for s in amounts])
    row = raw / raw.sum() if raw.sum() > 0 else np.full(3, 1 / 3)  # all zero: even weights
    weights = result.weights.copy()
    weights[2] = row
    chosen = dataclasses.replace(result, weights=weights, output=weights @ result.V)
    plots.update_contributions(ax, bars, chosen, 2)
    text.value = steps.output_step(chosen, 2, tokens=tokens).html
    picture.value = png(fig)


for s in amounts:
    s.observe(redraw, names="value")
redraw()
widgets.VBox([widgets.HBox(amounts[:2]), amounts[2], picture, text])"""),
        md(r"""
## Exercises

`result.weights` and `result.V` are there for you. Python counts from 0: $a_2$ is row 1.

**1.** Compute $a_2 = \alpha_{21} v_1 + \alpha_{22} v_2$.
"""),
        code("""\
my_a2 = None  # your answer: 4 numbers
exercises.check_output_row(my_a2, i=1)"""),
        solution("""\
solution_a2 = result.weights[1, 0] * result.V[0] + result.weights[1, 1] * result.V[1]
exercises.check_output_row(solution_a2, i=1)"""),
        md(r"""
**2.** Compute every output at once, with one matrix product (one row per token).
"""),
        code("""\
my_output = None  # your answer: a 3 x 4 matrix
exercises.check_output(my_output)"""),
        solution("""\
solution_output = result.weights @ result.V
exercises.check_output(solution_output)"""),
        md(r"""
**Summary.** $a_i = \sum_j \alpha_{ij} v_j$: a weighted average of the values, $a_1 = v_1$, and the
same word gets a different $a_i$ in a different context. Next: every step as a few matrix products.
"""),
    ]


# --- 05 ----------------------------------------------------------------------------------------

def nb05():
    return [
        md(r"""
# 05 · The matrix form: every token at once

**The idea.** The per-token equations of the previous notebooks are the rows of a few matrix
products. Computed as matrices, all tokens are processed at the same time (section 10.1.4).

""" + quote(
            "É importante notar também que este mecanismo de autoatenção é computado em paralelo para todas "
            "as posições da sequência de entrada, o que torna o Transformer muito mais eficiente do que "
            "modelos recorrentes.",
            "It is also important to note that this self-attention mechanism is computed in parallel for "
            "all positions of the input sequence, which makes the Transformer much more efficient than "
            "recurrent models.")
        ),
        md(r"""
## The equation

$$Q = XW^Q, \quad K = XW^K, \quad V = XW^V, \qquad
A = \text{softmax}\!\left(\text{mask}\!\left(\frac{QK^T}{\sqrt{d_k}}\right)\right) V$$

Shapes: $X$ is $n \times d_{model}$; $Q, K$ are $n \times d_k$; $QK^T$ is $n \times n$ (entry $(i, j)$ is
$q_i \cdot k_j$); the mask puts $-\infty$ where $j > i$, so that $e^{-\infty} = 0$; the softmax runs along
each row; times $V$ ($n \times d_v$) gives $A$, $n \times d_v$, row $i$ being $a_i$.
"""),
        code("""\
import os

# The timings below run on one core, so that they compare the work each method does, not how
# many cores it happens to get on a busy machine (set before numpy loads its matrix library).
for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(name, "1")
""" + SETUP),
        md(r"""
## The chapter's example, one matrix at a time
"""),
        code("""\
X = example.X
Q, K, V = X @ example.W_q, X @ example.W_k, X @ example.W_v
d_k = K.shape[1]
scores = Q @ K.T / np.sqrt(d_k)                # (3, 3)
mask = sa.causal_mask(len(X))                  # True where j <= i
masked = np.where(mask, scores, -np.inf)       # the future becomes -inf
weights = sa.softmax(masked)                   # row-wise; e^-inf = 0
A = weights @ V                                # (3, 4)
print("mask(Q K^T / sqrt(d_k)):")
print(masked)
print("weights:")
print(weights)
print("A = weights V:")
print(A)"""),
        md(r"""
Entry $(3, 2)$ of $QK^T/\sqrt{d_k}$ is exactly the score of notebook 02, $q_3 \cdot k_2 / \sqrt{d_k}$:
"""),
        code("steps.score_step(result, 2, 1, tokens=tokens)"),
        md(r"""
The matrix form and the per-token loop (`sa.self_attention_loop`, one equation of the chapter at a
time) give the same numbers:
"""),
        code("""\
loop = sa.self_attention_loop(example.X, example.W_q, example.W_k, example.W_v)
print("matrix form == our step-by-step A:", np.allclose(result.output, A))
print("matrix form == per-token loop:    ", np.allclose(result.output, loop.output))
print("weights equal too:                ", np.allclose(result.weights, loop.weights))"""),
        code("plots.overview(result, tokens, i=2)"),
        md(r"""
## Parallel versus sequential

The matrix form does every token in a handful of big operations, whatever $n$ is; hardware that
multiplies matrices in parallel (a GPU) does them in one go. A recurrent network (RNN) must compute
$h_t = \tanh(x_t W_x + h_{t-1} W_h)$ one token after the other: step $t$ needs step $t-1$. Count the
steps that must wait for each other:
"""),
        code("""\
lengths = [16, 64, 256, 1024]
print("   n   dependent steps: matrix form   RNN recurrence")
for n in lengths:
    print(f"{n:4d}   {6:28d}   {n:14d}")  # project, Q K^T, scale, mask, softmax, times V"""),
        md(r"""
Measured on this machine when the notebook runs, on one core (width 64 for all three; the times are
plotted, not printed, since they change on every run): the matrix form, the per-token loop, and an
RNN-style recurrence of the same width.
"""),
        code("""\
import time


def rnn(X, W_x, W_h):
    h = np.zeros(W_h.shape[0])
    for x in X:  # one token after the other: each step needs the previous h
        h = np.tanh(x @ W_x + h @ W_h)
    return h


rng = np.random.default_rng(0)
width = 64
W_q, W_k, W_v, W_x, W_h = (rng.normal(size=(width, width)) / 8 for _ in range(5))
sizes = [8, 16, 32, 64, 128, 256, 512, 1024]
inputs = {n: rng.normal(size=(n, width)) for n in sizes}
methods = {
    "matrix form": lambda X: sa.self_attention(X, W_q, W_k, W_v),
    "per-token loop": lambda X: sa.self_attention_loop(X, W_q, W_k, W_v),
    "RNN recurrence": lambda X: rnn(X, W_x, W_h),
}
largest = {"matrix form": 1024, "per-token loop": 64, "RNN recurrence": 1024}  # the loop is slow: stop early
timings = {name: {} for name in methods}
for attempt in range(5):  # interleaved, best of 5: a busy moment spoils one try, not a whole curve
    for n in sizes:
        for name, method in methods.items():
            if n <= largest[name]:
                start = time.perf_counter()
                method(inputs[n])
                elapsed = time.perf_counter() - start
                timings[name][n] = min(elapsed, timings[name].get(n, np.inf))

fig, ax = plt.subplots(figsize=(6.5, 4), layout="constrained")
for (name, times), marker in zip(timings.items(), "os^"):
    ax.plot(list(times), np.array(list(times.values())) * 1000, marker=marker, label=name)
n = np.array(sizes, dtype=float)
# guides through the last points: a slope of n (for the RNN) and of n^2 (for the matrix form)
for power, name, style in ((1, "RNN recurrence", ":"), (2, "matrix form", "--")):
    end = timings[name][sizes[-1]] * 1000
    ax.plot(n, end * (n / n[-1]) ** power, style, color="grey", linewidth=1,
            label="∝ n" if power == 1 else "∝ n²")
ax.set_xscale("log", base=2)
ax.set_yscale("log")
ax.set_xlabel("n (tokens)")
ax.set_ylabel("time (ms, best of 5)")
ax.set_title("Matrix form, per-token loop, RNN recurrence (width 64, one core)")
ax.legend()
plt.show()"""),
        md(r"""
Read the plot by its slopes (on a busy computer a point can jump: another program had the processor;
run the cell again). The per-token loop is far slower than the matrix form at every $n$ (the
same arithmetic, one number at a time). The RNN's time grows like $n$: $n$ steps, each waiting for the
previous one, so no amount of parallel hardware shortens it. The matrix form's time grows like $n^2$
once $n$ is large, because of the score matrix, but its few big products are exactly what parallel
hardware does well.

## The $n^2$ cost of the score matrix

$QK^T$ has one entry per pair of tokens: $n^2$ numbers, each a dot product of length $d_k$, so
$n^2 d_k$ multiplications and $n^2$ floats of memory (8 bytes each in float64):
"""),
        code("""\
for n in (1_000, 10_000, 100_000):
    megabytes = n * n * 8 / 1e6
    print(f"n = {n:7,d} tokens: score matrix {n * n:>15,d} entries = {megabytes:>10,.0f} MB")"""),
        md(r"""
Ten times more tokens, a hundred times more memory and time: this is why long contexts are expensive.

## Your turn: grow the sentence

Choose how many tokens of the chapter's sentence to use and whether to mask the future. The first
three word vectors are the chapter's; the vectors of *correu* and *rapidamente* are made up for
this demonstration. The weights matrix grows as $n \times n$.
"""),
        code(PNG),
        code("""\
extra = np.array([[2.0, 0.0, 1.0, 0.0],    # made-up vector for "correu"
                  [0.0, 1.0, 1.0, 2.0]])   # made-up vector for "rapidamente"
sentence = np.vstack([example.X, extra])
words = sa.example.CHAPTER_SENTENCE
count = widgets.IntSlider(value=3, min=1, max=len(words), description="tokens n")
causal = widgets.Checkbox(value=True, description="causal mask")
picture = widgets.Image(format="png", layout=widgets.Layout(align_self="flex-start", max_width="100%"))  # natural size, not stretched
fig = Figure(figsize=(5.6, 4.4), layout="constrained")


def redraw(change=None):
    n = count.value
    r = sa.self_attention(sentence[:n], example.W_q, example.W_k, example.W_v, causal=causal.value)
    fig.clear()  # the shape changes with n: draw anew
    plots.weights_heatmap(r, words[:n], ax=fig.add_subplot(),
                          title=f"weights: {n} x {n}, " + ("causal" if r.causal else "bidirectional"))
    picture.value = png(fig)


count.observe(redraw, names="value")
causal.observe(redraw, names="value")
redraw()
widgets.VBox([widgets.HBox([count, causal]), picture])"""),
        md(r"""
## Exercises

`result.Q`, `result.K`, `result.V`, `result.d_k` and `sa.causal_mask(3)` are there for you.

**1.** Compute the whole weights matrix with the matrix form: scale, mask, row-wise softmax (you may
use `sa.softmax`, or write it).
"""),
        code("""\
my_weights = None  # your answer: a 3 x 3 matrix
exercises.check_weights(my_weights)"""),
        solution("""\
solution_scores = result.Q @ result.K.T / np.sqrt(result.d_k)
solution_weights = sa.softmax(np.where(sa.causal_mask(3), solution_scores, -np.inf))
exercises.check_weights(solution_weights)"""),
        md(r"""
**2.** From those weights, compute the output matrix $A$ with one product.
"""),
        code("""\
my_A = None  # your answer: a 3 x 4 matrix
exercises.check_output(my_A)"""),
        solution("""\
solution_A = result.weights @ result.V
exercises.check_output(solution_A)"""),
        md(r"""
**Summary.** $A = \text{softmax}(\text{mask}(QK^T/\sqrt{d_k}))V$ gives exactly the per-token
results, for every token at once; its price is the $n \times n$ score matrix. Next: what the mask
guarantees.
"""),
    ]


# --- 06 ----------------------------------------------------------------------------------------

def nb06():
    return [
        md(r"""
# 06 · Masking and causality: the future stays hidden

**The idea.** With the causal mask, token $i$ attends only to tokens $j \le i$, so its output cannot
depend on any later token. That is what lets a language model learn to predict the next word without
seeing it.

""" + quote(
            "A etapa de mascaramento, que impede que o modelo \"veja\" as palavras futuras, é crucial para o "
            "treinamento de modelos auto-regressivos, que predizem palavras em uma sequência.",
            "The masking step, which stops the model from \"seeing\" the future words, is crucial for "
            "training autoregressive models, which predict the words of a sequence.")
        ),
        md(r"""
## The equation

The mask is applied to the scores before the softmax:

$$\text{mask}(S)_{ij} = \begin{cases} S_{ij} & j \le i \\ -\infty & j > i \end{cases}
\qquad\Longrightarrow\qquad \alpha_{ij} = 0 \text{ for } j > i, \qquad a_i = \sum_{j \le i} \alpha_{ij} v_j$$

This mask is **causal** (it hides the future), not a padding mask (which hides filler tokens).
"""),
        code(SETUP + """
bidirectional = sa.self_attention(example.X, example.W_q, example.W_k, example.W_v, causal=False)"""),
        md(r"""
## Causal and bidirectional, side by side

Hatched grey cells have no weight at all: the mask removed them.
"""),
        code("""\
fig, axes = plt.subplots(1, 2, figsize=(9, 3.9), layout="constrained")
plots.weights_heatmap(result, tokens, ax=axes[0])
plots.weights_heatmap(bidirectional, tokens, ax=axes[1])
plt.show()"""),
        md(r"""
The softmax of row 2 (*gato*), with the mask and without it:
"""),
        code("steps.softmax_step(result, 1, tokens=tokens)"),
        code("steps.softmax_step(bidirectional, 1, tokens=tokens)"),
        md(r"""
## Theorem 1: the future cannot change the past

The chapter:

""" + quote(
            "Teorema 1. O mecanismo de autoatenção com máscaras implementa um tipo específico de atenção "
            "causal, onde a representação de uma palavra só pode depender das palavras precedentes e da "
            "própria palavra.",
            "Theorem 1. Masked self-attention implements a specific kind of causal attention, where the "
            "representation of a word can only depend on the preceding words and on the word itself.") + r"""

Put to the test: change the last token's vector $x_3$ and recompute. The outputs of the earlier
tokens do not change, not even in the last bit:
"""),
        code("""\
X_changed = example.X.copy()
X_changed[2] = [5.0, -3.0, 7.0, 0.5]  # a very different x_3
changed = sa.self_attention(X_changed, example.W_q, example.W_k, example.W_v)
for i in range(3):
    same = np.array_equal(result.output[i], changed.output[i])
    print(f"a_{i + 1} ({tokens[i]}): {'unchanged, bit for bit' if same else 'changed'}")"""),
        md(r"""
## Corollary 1.1: without the mask, every output changes

""" + quote(
            "A remoção da máscara no mecanismo de autoatenção permite que o modelo compute representações "
            "contextuais que levam em conta todas as palavras da sequência, e não apenas as precedentes.",
            "Removing the mask lets the model compute contextual representations that take into account all "
            "the words of the sequence, not only the preceding ones.")
        ),
        code("""\
changed_bi = sa.self_attention(X_changed, example.W_q, example.W_k, example.W_v, causal=False)
for i in range(3):
    same = np.array_equal(bidirectional.output[i], changed_bi.output[i])
    print(f"a_{i + 1} ({tokens[i]}): {'unchanged' if same else 'changed'}")"""),
        md(r"""
## Proposition 1: masked attention is attention restricted to the past

""" + quote(
            "Proposição 1. O mecanismo de autoatenção pode ser visto como um caso específico de um modelo de "
            "atenção mais geral, onde a atenção é restrita às palavras precedentes.",
            "Proposition 1. The self-attention mechanism can be seen as a specific case of a more general "
            "attention model, where attention is restricted to the preceding words.") + r"""

Two ways to restrict the same general (bidirectional) attention to the past: put $-\infty$ in the
future scores **before** the softmax, or take the full softmax, set the future weights to 0
**after** it, and renormalise each row to sum to 1. They give the same weights, because the
exponentials of the allowed scores are the same in both and only the denominator changes:
"""),
        code("""\
mask = sa.causal_mask(3)
before = sa.softmax(np.where(mask, result.scores, -np.inf))   # -inf before the softmax
full = sa.softmax(result.scores)                               # general attention, every pair
zeroed = np.where(mask, full, 0.0)                             # zero the future after it...
after = zeroed / zeroed.sum(axis=1, keepdims=True)             # ...and renormalise
print("zeroed, not renormalised, row sums:", zeroed.sum(axis=1))
print("renormalised == masked before the softmax:", np.allclose(after, before))
print(after)"""),
        md(r"""
Zeroing without renormalising is a common bug: the rows no longer sum to 1.

## Your turn: change one token, see who notices

Pick a token, push its word vector by an amount, and choose the mask. The bars show how far each
output $a_i$ moved (the length of $a_i' - a_i$). With the mask, only the changed token and the tokens
after it move.
"""),
        code(PNG),
        code("""\
which = widgets.Dropdown(options=[(f"x_{i + 1} ({t})", i) for i, t in enumerate(tokens)], value=1,
                         description="change")
amount = widgets.FloatSlider(value=1.0, min=-3.0, max=3.0, step=0.25, description="by",
                             continuous_update=False)
causal = widgets.Checkbox(value=True, description="causal mask")
picture = widgets.Image(format="png", layout=widgets.Layout(align_self="flex-start", max_width="100%"))  # natural size, not stretched
fig = Figure(figsize=(5.5, 3.2), layout="constrained")
ax = fig.add_subplot()
bars = ax.bar(range(3), np.zeros(3), color=plots.token_colors(3))
labels = [ax.text(i, 0, "", ha="center", va="bottom") for i in range(3)]
ax.set_xticks(range(3), [f"a_{i + 1} ({t})" for i, t in enumerate(tokens)])
ax.set_ylabel("how far a_i moved")


def redraw(change=None):
    X_new = example.X.copy()
    X_new[which.value] += amount.value
    old = sa.self_attention(example.X, example.W_q, example.W_k, example.W_v, causal=causal.value)
    new = sa.self_attention(X_new, example.W_q, example.W_k, example.W_v, causal=causal.value)
    moved = np.linalg.norm(new.output - old.output, axis=1)
    for bar, label, m in zip(bars, labels, moved):
        bar.set_height(m)
        label.set_position((label.get_position()[0], m))
        label.set_text(f"{m:.2f}")
    ax.set_ylim(0, max(moved.max() * 1.15, 0.1))
    ax.set_title(f"x_{which.value + 1} + {amount.value:g}, " + ("causal" if causal.value else "bidirectional"))
    picture.value = png(fig)


for control in (which, amount, causal):
    control.observe(redraw, names="value")
redraw()
widgets.VBox([widgets.HBox([which, amount, causal]), picture])"""),
        md(r"""
## Exercises

**1.** With the causal mask, which outputs change when $x_2$ changes? Give the subscripts, e.g. `[1, 3]`.
"""),
        code("""\
my_changed = None  # your answer: a list of subscripts i of a_i
exercises.check_changed_outputs(my_changed, perturbed=2)"""),
        solution("""\
solution_changed = [2, 3]  # a_2 and a_3 attend to x_2; a_1 cannot see it
exercises.check_changed_outputs(solution_changed, perturbed=2)"""),
        md(r"""
**2.** And *without* the mask, which outputs change when $x_3$ changes?
"""),
        code("""\
my_changed_bidirectional = None  # your answer
exercises.check_changed_outputs(my_changed_bidirectional, perturbed=3, causal=False)"""),
        solution("""\
solution_changed_bidirectional = [1, 2, 3]  # every token attends to x_3
exercises.check_changed_outputs(solution_changed_bidirectional, perturbed=3, causal=False)"""),
        md(r"""
**3.** Starting from the full softmax `sa.softmax(result.scores)` (no mask), make the causal weights
by zeroing the future and fixing the rows.
"""),
        code("""\
my_causal_weights = None  # your answer: a 3 x 3 matrix
exercises.check_weights(my_causal_weights)"""),
        solution("""\
solution_zeroed = np.tril(sa.softmax(result.scores))
solution_causal_weights = solution_zeroed / solution_zeroed.sum(axis=1, keepdims=True)
exercises.check_weights(solution_causal_weights)"""),
        md(r"""
**Summary.** The causal mask gives the future exactly zero weight, so $a_i$ depends only on
$x_1, \dots, x_i$ (Theorem 1, checked bit for bit); without it every output depends on every token
(Corollary 1.1); masking before the softmax equals zeroing after it and renormalising
(Proposition 1). Notebook 09 puts every input in your hands.
"""),
    ]


# --- 09 ----------------------------------------------------------------------------------------

def nb09():
    return [
        md(r"""
# 09 · Explorer: change every input, watch every step

**The idea.** Everything of notebooks 01-06 in one place: edit the word vectors $X$ and the
matrices $W^Q$, $W^K$, $W^V$, and every intermediate (queries, keys, values, scores, weights,
outputs) follows at once.

$$A = \text{softmax}\!\left(\text{mask}\!\left(\frac{(XW^Q)(XW^K)^T}{\sqrt{d_k}}\right)\right) XW^V$$
"""),
        code("""\
%matplotlib inline
import numpy as np
import selfattn_lib as sa
from selfattn_lib import widgets

example = sa.chapter_example()
tokens = example.tokens
np.set_printoptions(precision=4, suppress=True)"""),
        md(r"""
## The explorer

It starts from the chapter's example. Edit a number (press Enter to apply) or paste a whole matrix,
switch the causal mask and the division by $\sqrt{d_k}$, add tokens, and pick the *focus token*
whose output is taken apart step by step. *Chapter values* under a matrix brings back its numbers;
*Chapter example* brings back everything.
"""),
        code("""\
explorer = widgets.AttentionExplorer(example)
explorer"""),
        md(r"""
For readers without a live kernel: the explorer's starting point, as a static figure.
"""),
        code("""\
result = explorer.result
print("weights:")
print(result.weights)
explorer.overview()"""),
        md(r"""
## Things to try

1. **Make *preto* attend to *gato*.** Row 3 of the weights should put most of its weight on column
   2, so the score $q_3 \cdot k_2$ must beat $q_3 \cdot k_1$ and $q_3 \cdot k_3$. Multiply the row of
   *gato* in $X$ by 5 (each of its four numbers): its key $k_2 = x_2 W^K$ grows, and $\alpha_{32}$
   rises from about 0.33 to about 0.62. Can you get it higher by changing $W^K$ instead?
2. **Make one token dominate.** Multiply the row of *O* in $X$ by 5 instead: column 1 takes most of
   the weight in every row (about 0.88 in row 2, 0.73 in row 3).
3. **Remove the scaling and watch saturation.** Multiply every number of $W^Q$ and $W^K$ by 3, then
   switch the division by $\sqrt{d_k}$ off. Here $d_k = 4$, so the division only halves the scores,
   yet row 2 goes from about 0.91 / 0.09 to 0.99 / 0.01: larger scores push the softmax towards
   0 and 1 (notebook 02 shows that with a realistic $d_k$ of 64 or more the effect is far larger).
4. **Switch the mask off.** Row 1 (*O*) now attends to all three tokens, and $a_1$ is no longer $v_1$
   (notebook 06).
5. **Add a word.** *Add token*, name it *correu* ("ran") and give it a vector: the score and
   weights matrices grow to $4 \times 4$, and with the causal mask the first three rows do not change
   at all.
6. **Check one number by hand.** Pick any weight and recompute it from the scores of its row with
   the softmax formula (notebook 03).

The computation behind the explorer is the same call as everywhere in the series:
"""),
        code("""\
same = sa.self_attention(example.X, example.W_q, example.W_k, example.W_v)
print("explorer's result == sa.self_attention:", np.allclose(result.output, same.output))"""),
    ]


BUILDERS = {
    "01": ("01_projections.ipynb", nb01),
    "02": ("02_scores.ipynb", nb02),
    "03": ("03_softmax.ipynb", nb03),
    "04": ("04_combining_values.ipynb", nb04),
    "05": ("05_matrix_form.ipynb", nb05),
    "06": ("06_masking_and_causality.ipynb", nb06),
    "09": ("09_explorer.ipynb", nb09),
}

METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python", "pygments_lexer": "ipython3"},
}


def build(number: str) -> Path:
    name, make = BUILDERS[number]
    nb = nbformat.v4.new_notebook(metadata=dict(METADATA))
    nb.cells = make()
    for index, cell in enumerate(nb.cells):
        cell.id = f"cell-{number}-{index:02d}"  # stable ids: a rebuild changes only what changed
    path = NOTEBOOKS / name
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return path


def main(argv: list[str]) -> int:
    for number in argv or list(BUILDERS):
        print("wrote", build(number).relative_to(NOTEBOOKS.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
