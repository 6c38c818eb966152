"""Write notebooks/00_start_here.ipynb's cells (then run `make notebooks` to execute it)."""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

PATH = Path(__file__).resolve().parent.parent / "notebooks" / "00_start_here.ipynb"

CELLS = [
    ("md", r"""# 00 · Start here: what self-attention computes

These notebooks teach, one step at a time, how the **self-attention** layer of a Transformer turns a
sequence of word vectors into *contextual* vectors. They follow a Portuguese chapter built on
Jurafsky & Martin, *Speech and Language Processing*, chapter 10 (sections 10.1.1 to 10.1.4), and use
its notation throughout.

Every number you will see is **computed** by the small library `selfattn_lib`, which is tested against
an independent implementation. You can change every input (the word vectors and the three weight
matrices) and watch every intermediate number and heatmap follow."""),
    ("md", r"""## What is self-attention for?

The chapter's example sentence:

> **O gato preto correu rapidamente.**
> *The black cat ran quickly.* (word by word: *O* "the", *gato* "cat", *preto* "black", *correu* "ran", *rapidamente* "quickly")

A word's meaning depends on the words around it. The chapter puts it this way:

> *Por exemplo, em "O gato preto correu rapidamente", a palavra "preto" está relacionada a "gato",
> enquanto "rapidamente" está relacionado a "correu".*
>
> For example, in "O gato preto correu rapidamente", the word "preto" (black) is related to "gato"
> (cat), while "rapidamente" (quickly) is related to "correu" (ran).

In Portuguese the relation is even visible in the spelling: *preto* is masculine because *gato* is
(a female cat, *gata*, is *preta*). To build a good representation of *preto*, a model should **look
back at** *gato*. Self-attention is the mechanism that does the looking: for each word it computes
how much to attend to every earlier word, and mixes their information accordingly."""),
    ("md", r"""## The notation, once

Each token is a **row vector** $x_i$ of length $d_{model}$; the $n$ tokens stacked as rows form the
matrix $X$ ($n \times d_{model}$). Three weight matrices, learned in training, give each token three
roles:

| symbol | shape | meaning |
|---|---|---|
| $q_i = x_i W^Q$ | $1 \times d_k$ | **query**: what token $i$ is looking for |
| $k_j = x_j W^K$ | $1 \times d_k$ | **key**: what token $j$ offers to be found by |
| $v_j = x_j W^V$ | $1 \times d_v$ | **value**: what token $j$ hands over when attended to |
| $\text{score}(x_i, x_j) = \dfrac{q_i \cdot k_j}{\sqrt{d_k}}$ | number | how well query $i$ matches key $j$ |
| $\alpha_{ij} = \dfrac{\exp(\text{score}(x_i, x_j))}{\sum_{k \le i} \exp(\text{score}(x_i, x_k))}$, $j \le i$ | number | attention **weight** of $i$ on $j$ (causal: only $j \le i$) |
| $a_i = \sum_{j \le i} \alpha_{ij} v_j$ | $1 \times d_v$ | the **output**: token $i$'s contextual representation |

Vectors are rows and they multiply matrices from the left ($x_i W$, not $W x_i$). In code the same
names are used: `X`, `W_q`, `W_k`, `W_v`, `Q`, `K`, `V`, `scores`, `weights` (the $\alpha_{ij}$),
`output` (the $a_i$), `d_k`, `tokens`, `causal`."""),
    ("md", r"""## The chapter's example, computed

The chapter works through three tokens with $d_{model} = d_k = d_v = 4$. We label them with the first
three words of the sentence. Here are its inputs, exactly as the chapter prints them:"""),
    ("code", r"""import numpy as np
import selfattn_lib as sa

example = sa.chapter_example()
print("tokens:", example.tokens)
print("X (one row per token):")
print(example.X)
print("W^Q:")
print(example.W_q)"""),
    ("md", r"""One call computes every step. The result keeps every intermediate: `Q`, `K`, `V`, the `scores`,
the attention `weights` and the `output` vectors $a_i$:"""),
    ("code", r"""result = sa.self_attention(example.X, example.W_q, example.W_k, example.W_v)

with np.printoptions(precision=4, suppress=True):
    print("weights (row i: how much token i attends to each token j):")
    print(result.weights)
    print("output (row i: a_i):")
    print(result.output)"""),
    ("md", r"""Read the weights row by row: row 1 (*O*) can only look at itself, so its weight is 1; row 2
(*gato*) splits its attention between *O* and itself; row 3 (*preto*) spreads it over all three. The
zeros above the diagonal are the **causal mask**: a token never looks at the tokens after it.
Every row sums to 1:"""),
    ("code", r"""result.weights.sum(axis=1).round(12)"""),
    ("md", r"""The same numbers as pictures. Left, the scores $q_i \cdot k_j / \sqrt{d_k}$ of every pair (the
hatched ones are removed by the mask); middle, the weights $\alpha_{ij}$ on a fixed 0-to-1 colour scale;
right, what the output $a_3$ of *preto* is made of: each bar stacks the three pieces
$\alpha_{3j} v_j$ of one component. The next notebooks build each of these step by step."""),
    ("code", r"""sa.plots.overview(result, example.tokens, i=2)"""),
    ("md", r"""> **A warning about the chapter's printed numbers.** The chapter's worked example contains
> arithmetic errors (for instance it prints $v_1 = [0.2, 0.8, 0.7, 0.4]$, but $x_1 W^V = [0.2, 0.7, 0.7, 0.4]$),
> and it leaves out the division by $\sqrt{d_k}$ that its own formalization requires. These notebooks
> never copy its numbers: they compute them. Notebook 07 audits every printed number."""),
    ("md", r"""## How the series is organised

One idea per notebook, in the order the chapter computes: projections, scores, softmax, combining
values, the matrix form, masking. Each notebook says its idea in prose, shows the chapter's equation,
shows the numbers the library computes for the chapter's example, writes one step out by hand, then
gives you a widget to change the inputs. Each ends with short exercises that check your answer at once
and give a hint for the usual mistakes.

**How to use them.** Run cells in order with *Shift + Enter* (or *Run → Run All Cells*). Change any
number and re-run; nothing can break: bad input gets a message, not a crash. To start fresh, use
*Kernel → Restart Kernel and Run All Cells*."""),
    ("md", "## Contents\n", {"tags": ["contents"]}),
]


def build() -> None:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for index, spec in enumerate(CELLS):
        kind, source = spec[0], spec[1]
        metadata = spec[2] if len(spec) > 2 else {}
        cell = (new_markdown_cell if kind == "md" else new_code_cell)(source, metadata=metadata)
        cell.id = f"start-{index:02d}"
        nb.cells.append(cell)
    nbformat.write(nb, PATH)


if __name__ == "__main__":
    build()
