"""Write notebooks/07_checking_the_chapter.ipynb (unexecuted); then `make notebooks` executes it."""
from pathlib import Path

import nbformat

cells = []


def md(text, **meta):
    cells.append(nbformat.v4.new_markdown_cell(text.strip("\n"), metadata=meta))


def code(text, **meta):
    cells.append(nbformat.v4.new_code_cell(text.strip("\n"), metadata=meta))


def solution(text):
    code(text, jupyter={"source_hidden": True, "outputs_hidden": True}, tags=["solution"])


md(r"""
# 07 · Checking the chapter: its worked example and its claims

The chapter we follow works one example by hand: three tokens, vectors of dimension $d = 4$, every step
written out. **Most of the numbers it prints are wrong.** A teacher using the chapter needs to know which
numbers to trust; a learner who redoes the arithmetic and gets something else deserves to know that
they are the one who is right.

This notebook checks every number the example prints against the library, says where each error
entered, and then puts the chapter's lemma, theorem, proposition and corollary to the test. The same
audit, as a short list for a teacher, is in [ERRATA.md](../ERRATA.md); it is generated from the code used
here, so the two cannot drift apart.
""")

code(r"""
%matplotlib inline
import math

import matplotlib.pyplot as plt
import numpy as np

from selfattn_lib import audit, chapter_example, plots, self_attention, softmax, steps

example = chapter_example()
X, W_q, W_k, W_v, tokens = example.X, example.W_q, example.W_k, example.W_v, example.tokens
records = audit.chapter_audit(scaled=False)  # the example as the chapter computes it: no sqrt(d_k)
printed = {r.quantity: np.array(r.chapter) for r in records}  # the chapter's numbers, as printed
""")

md(r"""
## 1 · How a printed number is judged

The chapter's inputs $X$, $W^Q$, $W^K$ and $W^V$ are printed correctly (notebook 01 uses them). Every
number computed from them is one link of a chain:

$$x_i \;\xrightarrow{\;W^Q,\,W^K,\,W^V\;}\; q_i,\ k_i,\ v_i \;\longrightarrow\; \mathrm{score}(x_i, x_j) = q_i \cdot k_j
\;\longrightarrow\; \alpha_{ij} = \frac{e^{\mathrm{score}(x_i, x_j)}}{\sum_{k \le i} e^{\mathrm{score}(x_i, x_k)}}
\;\longrightarrow\; a_i = \sum_{j \le i} \alpha_{ij} v_j$$

For each printed number the audit computes two values:

- **correct**: from the chapter's own $X$ and $W$, by the library;
- **from the chapter's own numbers**: from the chapter's *earlier printed* numbers, right or wrong. For a
  score, the chapter's $q_i \cdot k_j$; for a weight, the softmax of the chapter's scores; for an output,
  the chapter's alphas times the chapter's values.

A printed number *agrees* with a value when it is within half a unit of its last printed digit (0.47
stands for anything from 0.465 to 0.475). That gives four labels:

| label | meaning |
|---|---|
| correct | agrees with the correct value |
| wrong from the start | a projection $x_i W$ computed wrongly: the first link of its chain is already wrong |
| error carried forward | wrong, but computed correctly from the chapter's earlier wrong numbers |
| does not follow from the chapter's own previous numbers | wrong even given the chapter's earlier numbers: a new error |
""")

md(r"""
## 2 · The audit, step by step

Red rows are the **first error of a chain** (a projection computed wrongly); orange rows are a **new
error** entering later in a chain; green rows are correct; unmarked rows inherited their error. The
chapter prints $q_2, k_2, q_3, k_3$ only inside its step 2, and $v_2, v_3$ only inside its step 4.
""")

code(r"""
audit.audit_table(records)
""")

code(r"""
for label, count in audit.summary(records).items():
    print(f"{count:2d} of {len(records)}: {label}")
""")

md(r"""
The only right number is $\alpha_{11} = 1$, which is 1 whatever the scores: a softmax over a single
score. The very first score shows the two kinds of error at once. The chapter's $q_1$ and $k_1$ are
already wrong, and then it writes out their products and prints a sum that those products do not give:
""")

code(r"""
q1, k1 = printed["q_1"], printed["k_1"]
products = " + ".join(f"{a:g}·{b:g}" for a, b in zip(q1, k1))
print(f"the chapter's own products: {products} = {q1 @ k1:.2f}")
print(f"the chapter prints:         {printed['score(x_1, x_1)']:g}")
""")

md(r"""
The correct computation, with $q_1$ and $k_1$ computed from $X$ and the weights (unscaled, as in the
chapter's example):
""")

code(r"""
unscaled = self_attention(X, W_q, W_k, W_v, causal=True, scaled=False)
steps.score_step(unscaled, 0, 0, tokens)
""")

md(r"""
### Could the chapter have meant a different product?

The chapter prints $x_i$ as a column but writes $x_i W^Q$, which is undefined for a $4 \times 1$ column
times a $4 \times 4$ matrix. In our notation vectors are rows, and $x_i W^Q$ is the row times the matrix.
If the chapter had meant $W^Q x_i$ with a column $x_i$ (the same numbers as the row $x_i (W^Q)^\top$),
would its vectors come out?
""")

code(r"""
for name, W in (("q", W_q), ("k", W_k), ("v", W_v)):
    other_reading = X @ W.T  # row i is (W x_i)^T with x_i a column
    hits = [f"{name}_{i + 1}" for i in range(3) if np.allclose(other_reading[i], printed[f"{name}_{i + 1}"], atol=0.05)]
    print(f"{name}: printed vectors reproduced by W x_i: {hits or 'none'}")
""")

md(r"""
No: the chapter's vectors follow from no reading of the product. They are arithmetic errors.

## 3 · The missing division by $\sqrt{d_k}$

The example computes $\mathrm{score}(x_i, x_j) = q_i \cdot k_j$. The chapter's own formalization (its
step 2) says

$$\mathrm{score}(x_i, x_j) = \frac{q_i \cdot k_j}{\sqrt{d_k}},$$

with $d_k = 4$ here, so every score should be halved and the weights come out flatter. The projections do
not change; steps 2 to 4, audited against the scaled values:
""")

code(r"""
scaled_records = audit.chapter_audit(scaled=True)
audit.audit_table([r for r in scaled_records if r.step > 1])
""")

md(r"""
The chapter's weights beside the correct ones, on one 0 to 1 scale. In the chapter, *gato* gives more
weight to itself than to *O*; computed correctly it is the other way round, with or without the
scaling.
""")

code(r"""
scaled = self_attention(X, W_q, W_k, W_v, causal=True, scaled=True)
fig, axes = plt.subplots(1, 3, figsize=(14, 4))
plots.weights_heatmap(audit.chapter_result(), tokens, ax=axes[0], title="The chapter's printed weights", colorbar=False)
plots.weights_heatmap(unscaled, tokens, ax=axes[1], title="Correct, unscaled (as the example)", colorbar=False)
plots.weights_heatmap(scaled, tokens, ax=axes[2], title="Correct, divided by sqrt(d_k) (as the formalization)")
fig.tight_layout()
plt.show()
""")

md(r"""
## 4 · The corrected worked example

The chapter's four steps again, with every number computed by the library. First unscaled, as the
chapter does it, so you can lay it beside the chapter's page, for each of the three tokens.
""")

code(r"""
steps.worked_example(X, W_q, W_k, W_v, tokens, i=0, causal=True, scaled=False)
""")

code(r"""
steps.worked_example(X, W_q, W_k, W_v, tokens, i=1, causal=True, scaled=False)
""")

code(r"""
steps.worked_example(X, W_q, W_k, W_v, tokens, i=2, causal=True, scaled=False)
""")

md(r"""
And as the formalization says, divided by $\sqrt{d_k}$. **Your turn:** change `i` (0, 1 or 2) to see
another token, or set `scaled=False` to compare with the cell above.
""")

code(r"""
steps.worked_example(X, W_q, W_k, W_v, tokens, i=2, causal=True, scaled=True)
""")

md(r"""
## 5 · Lemma 1: invariance under translation

> **Lema 1.** *A autoatenção é invariante por translação no espaço de embeddings, desde que as matrizes
> de peso $W^Q$, $W^K$ e $W^V$ sejam aplicadas após a translação.*
>
> **Lemma 1.** Self-attention is invariant under translation in the embedding space, provided the weight
> matrices $W^Q$, $W^K$ and $W^V$ are applied after the translation.

Translation means moving every embedding by the same vector $t$: $x_i \to x_i + t$. The proof's own
step IV expands the new score correctly:

$$(q_i + tW^Q) \cdot (k_j + tW^K) = q_i \cdot k_j
+ \underbrace{q_i \cdot tW^K}_{\text{same for every } j}
+ \underbrace{tW^Q \cdot k_j}_{\text{depends on } j}
+ \underbrace{tW^Q \cdot tW^K}_{\text{same everywhere}}$$

Its step VII then says "the softmax is invariant under translation". What the softmax ignores is a
constant added to a whole **row** of scores, and only that:
""")

code(r"""
mask = scaled.mask
per_row = np.array([[5.0], [-2.0], [0.7]])    # a different constant for each row i
per_column = np.array([[0.0, 0.5, 1.0]])      # depends on j
same = lambda A, B: np.allclose(A, B, rtol=0, atol=1e-12)
print("weights unchanged after adding a constant per row:   ", same(softmax(scaled.scores + per_row, mask), scaled.weights))
print("weights unchanged after adding something that varies with j:", same(softmax(scaled.scores + per_column, mask), scaled.weights))
""")

md(r"""
So the first and last terms are harmless, but the middle one, $tW^Q \cdot k_j$, changes with $j$. A
counterexample with the chapter's own matrices (scaled, causal), moving every embedding by $t$:
""")

code(r"""
t = np.array(audit.LEMMA_T)  # try your own t (4 numbers)
effect = audit.translation_effect(X, W_q, W_k, W_v, t)
print("t W^Q . k_j for j = 1, 2, 3:", audit.format_value(effect.column_term), " <- not the same for every j")
print("the score change predicted by step IV equals the real one:",
      same(effect.predicted_score_change, effect.score_change))
print()
for i in (1, 2):
    print(f"weights of x_{i + 1} before: {audit.format_value(effect.before.weights[i, :i + 1])}")
    print(f"weights of x_{i + 1} after:  {audit.format_value(effect.after.weights[i, :i + 1])}")
print()
print("t W^V =", audit.format_value(effect.value_shift))
for i in range(3):
    print(f"a_{i + 1}: {audit.format_value(effect.before.output[i])} -> {audit.format_value(effect.after.output[i])}")
""")

md(r"""
The weights change, and the outputs change even where the weights cannot: $a_1 = v_1$ always
($\alpha_{11} = 1$), and it moves by exactly $tW^V$. **Lemma 1 is false.**

What does hold, in plain words:

1. Adding a constant to every score of a row leaves that row's weights unchanged (shown above).
2. A translation leaves the weights of row $i$ unchanged exactly when $tW^Q \cdot k_j$ is the same for
   every $j \le i$. That depends on the input; for *every* input it needs $tW^Q (W^K)^\top = 0$, which
   means $tW^Q = 0$ when $W^K$ has full rank, as the chapter's does.
3. Whenever the weights stay, every value moves by $tW^V$, and since each row of weights sums to 1, every
   output moves by exactly $tW^V$ too. The outputs are unchanged only if also $tW^V = 0$.

The chapter's $W^Q$ also has full rank, so only $t = 0$ gives $tW^Q = 0$. To see point 3, take a query
matrix that ignores the first coordinate:
""")

code(r"""
print("rank of the chapter's W^Q and W^K:", np.linalg.matrix_rank(W_q), np.linalg.matrix_rank(W_k))
W_q_blind = W_q.copy()
W_q_blind[0] = 0.0  # now t = (2, 0, 0, 0) gives t W^Q = 0
kept = audit.translation_effect(X, W_q_blind, W_k, W_v, t)
print("t W^Q =", audit.format_value(t @ W_q_blind))
print("weights unchanged:", same(kept.after.weights, kept.before.weights))
print("every output moved by exactly t W^V:", same(kept.after.output - kept.before.output, np.tile(t @ W_v, (3, 1))))
""")

md(r"""
## 6 · Theorem 1, Proposition 1 and Corollary 1.1

Notebook 06 shows these with heatmaps; here each is reduced to a test.

> **Teorema 1.** *O mecanismo de autoatenção com máscaras implementa um tipo específico de atenção
> causal, onde a representação de uma palavra só pode depender das palavras precedentes e da própria
> palavra.*
>
> **Theorem 1.** Self-attention with a mask implements a kind of causal attention, where the
> representation of a word can depend only on the preceding words and on the word itself.

The test: change one input $x_j$ (add 1 to each component) and see which outputs change at all, bit for
bit.
""")

code(r"""
audit.dependence_table(audit.output_dependence(X, W_q, W_k, W_v, causal=True), tokens)
""")

md(r"""
Lower triangular: $a_i$ depends on $x_j$ only for $j \le i$. The theorem holds. The same on random inputs
of other sizes:
""")

code(r"""
rng = np.random.default_rng(0)
holds = []
for n, d in [(2, 3), (4, 2), (5, 4), (6, 3), (8, 5)]:
    X_random, *Ws = (rng.normal(size=shape) for shape in [(n, d), (d, d), (d, d), (d, 2)])
    holds.append((audit.output_dependence(X_random, *Ws, causal=True) == np.tri(n, dtype=bool)).all())
print("Theorem 1 holds on all random inputs:", all(holds))
""")

md(r"""
> **Proposição 1.** *O mecanismo de autoatenção pode ser visto como um caso específico de um modelo de
> atenção mais geral, onde a atenção é restrita às palavras precedentes.*
>
> **Proposition 1.** Self-attention can be seen as a special case of a more general attention model,
> where attention is restricted to the preceding words.

Stated like this it is closer to a definition than to a claim. Its testable content: causal attention at
position $i$ equals plain attention, with no mask at all, run on the first $i$ tokens only.
""")

code(r"""
gaps = audit.prefix_gap(X, W_q, W_k, W_v, scaled=True)
print("causal a_i equals unmasked attention over x_1..x_i (to 1e-12):", bool(gaps.max() < 1e-12))
full = self_attention(X, W_q, W_k, W_v, causal=False, scaled=True)
print("while unmasked attention over all tokens differs:", not np.allclose(full.output[:2], scaled.output[:2]))
""")

md(r"""
> **Corolário 1.1.** *A remoção da máscara no mecanismo de autoatenção permite que o modelo compute
> representações contextuais que levam em conta todas as palavras da sequência, e não apenas as
> precedentes.*
>
> **Corollary 1.1.** Removing the mask lets the model compute contextual representations that take
> every word of the sequence into account, not only the preceding ones.

Without the mask, every output changes when any input changes:
""")

code(r"""
audit.dependence_table(audit.output_dependence(X, W_q, W_k, W_v, causal=False), tokens)
""")

md(r"""
The corollary holds (for these inputs every entry changes; "can depend" is all it claims).

## 7 · Exercises

Each check answers instantly, with a hint for the most likely slip. Solutions are in collapsed cells
(click the `···` to open them).

### Exercise 1: find the first wrong number in this chain

A learner redid the chapter's example for token 2, *gato*, dividing by $\sqrt{d_k}$ as the formalization
says. One number is wrong; everything after it was computed correctly from the numbers before it. Which
is the first wrong number?
""")

code(r"""
audit.chain_table(audit.student_chain())
""")

code(r"""
first_wrong = None  # your answer: the name of a quantity, e.g. "q_2"
print(audit.check_first_wrong(first_wrong))
""")

solution(r"""
# Solution: recompute each number of the chain with the library and stop at the first mismatch.
correct_chain = {"q_2": scaled.Q[1], "k_1": scaled.K[0], "k_2": scaled.K[1], "v_1": scaled.V[0],
                 "v_2": scaled.V[1], "score(x_2, x_1)": scaled.scores[1, 0], "score(x_2, x_2)": scaled.scores[1, 1]}
for name, written in audit.student_chain():
    if not np.allclose(written, correct_chain[name]):
        print(f"{name}: written {audit.format_value(written)}, correct {audit.format_value(correct_chain[name])}")
        break
print(audit.check_first_wrong(name))
""")

md(r"""
### Exercise 2: label the chapter's numbers

For each of these four numbers the chapter prints, which label applies: `"correct"`, `"wrong from the
start"`, `"error carried forward"` or `"does not follow"`? Recompute them yourself before looking at the
table above.
""")

code(r"""
my_labels = {
    "v_1": None,              # your label
    "score(x_3, x_2)": None,
    "alpha_22": None,
    "a_1": None,
}
print(audit.check_labels(my_labels))
""")

solution(r"""
# Solution: compare each printed number with the correct value and with the value its own inputs give.
for r in records:
    if r.quantity in my_labels:
        own = audit.format_value(r.from_chapter, 5) if r.inputs else "(it comes straight from X and W)"
        print(f"{r.quantity}: printed {audit.format_value(r.chapter)}; correct {audit.format_value(r.computed)}; "
              f"from the chapter's own earlier numbers {own} -> {r.chain}")
print()
print(audit.check_labels({r.quantity: r.chain for r in records if r.quantity in my_labels}))
""")

md(r"""
### Exercise 3: correct a score

The chapter prints $\mathrm{score}(x_3, x_2) = 0.89$. Compute the correct value as the formalization
says, $q_3 \cdot k_2 / \sqrt{d_k}$, from $X$ and the weights (by hand, or with `X`, `W_q`, `W_k` and `@`).
""")

code(r"""
my_score = None  # your value of score(x_3, x_2), divided by sqrt(d_k)
print(audit.check_corrected_score(my_score))
""")

solution(r"""
# Solution
q_3 = X[2] @ W_q  # the query of token 3
k_2 = X[1] @ W_k  # the key of token 2
score_32 = q_3 @ k_2 / math.sqrt(W_k.shape[1])
print("q_3 =", audit.format_value(q_3), " k_2 =", audit.format_value(k_2), " score(x_3, x_2) =", audit.format_value(score_32))
print(audit.check_corrected_score(score_32))
""")

md(r"""
## What to trust

- The inputs $X$, $W^Q$, $W^K$, $W^V$ and the formulas of the formalization are right.
- Every $q$, $k$ and $v$ vector of the example is wrong, so everything computed from them is too; and most
  scores, weights and outputs do not even follow from the chapter's own previous numbers.
- The example leaves out the division by $\sqrt{d_k}$ that its formalization requires.
- Its closing remark that $a_1$ "is simply the initial representation weighted by 1" is off too:
  $a_1 = 1 \cdot v_1 = x_1 W^V$, the value vector of $x_1$, not $x_1$ itself.
- Lemma 1 is false; Theorem 1, Proposition 1 and Corollary 1.1 hold.

The full list with the correct values is in [ERRATA.md](../ERRATA.md).
""")

nb = nbformat.v4.new_notebook()
nb.cells = cells
for k, cell in enumerate(nb.cells):
    cell.id = f"check-{k:02d}"
nb.metadata = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}
nbformat.validate(nb)
nbformat.write(nb, Path(__file__).resolve().parent.parent / "notebooks" / "07_checking_the_chapter.ipynb")
print(len(cells), "cells")
