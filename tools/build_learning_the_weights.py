"""Write notebooks/08_learning_the_weights.ipynb (unexecuted); then `make notebooks` executes it."""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

cells = []


def md(text, **meta):
    cells.append(new_markdown_cell(text.strip("\n"), metadata=meta))


def code(text, **meta):
    cells.append(new_code_cell(text.strip("\n"), metadata=meta))


md(r"""
# 08 · Learning the weights: training W^Q, W^K and W^V

So far $W^Q$, $W^K$ and $W^V$ were numbers someone wrote down. The chapter insists they are not:

> *É crucial entender que as matrizes de pesos $W^Q$, $W^K$ e $W^V$ são parâmetros que o modelo
> aprende durante o treinamento.*
>
> It is crucial to understand that the weight matrices $W^Q$, $W^K$ and $W^V$ are parameters that
> the model learns during training.

In this notebook we **train** one causal self-attention layer, with numpy only and every gradient
written out by hand, on a small task where we know in advance which word should attend to which.
Then we watch the attention weights move, step by step, from "look everywhere" to the pattern
the task needs.
""")

md(r"""
## The task: the adjective must find its noun

The chapter's sentence, and its remark about it:

> **O gato preto correu rapidamente.** *The black cat ran quickly.*
>
> *... a palavra "preto" está relacionada a "gato" ...* (... the word "preto" (black) is related
> to "gato" (cat) ...)

In Portuguese the relation is grammatical: the adjective takes the noun's gender. *O gato preto*
(a male cat), *a gata preta* (a female cat). So we give the model the adjective **without its
ending**, as the stem `pret-`, and ask it to choose the ending: **-o** or **-a**.

The stem has no gender, and the layer is causal (each word sees only itself and the words before
it), so the only way to the answer is to **attend back to the noun**. Two details make sure
attention really has to pick the noun, and not a blend of every word that happens to have a gender:

* a third of the determiners are *cada* (each) or *qualquer* (any), which are the same for both
  genders: *cada gato preto*, *cada gata preta*;
* half the sentences follow a second pattern, *Ela viu o gato pret-* ("She saw the black cat"),
  where the subject (*Ela*, *Ele*, *Maria*, *Pedro*, ...) has a gender of its own, often not the
  noun's.

Sentences are generated at random from small word lists (printed below). Some words are **held out**: they never appear in training, only in the test. Among them are
*gato* and *preto*, so the chapter's own sentence is new to the model.
""")

code(r"""
%matplotlib inline
import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

import selfattn_lib as sa
from selfattn_lib import plots
from selfattn_lib import training as tr

experiment = tr.run_experiment(seed=0)  # word vectors, sentences, initial weights, 600 training steps
lexicon, train_set, test_set = experiment.lexicon, experiment.train_set, experiment.test_set
run = experiment.run

print(f"words: {len(tr.NOUNS)} noun pairs, {len(tr.ADJECTIVES)} adjectives, "
      f"{len(tr.VERBS) + len(tr.SEEING_VERBS)} verbs, {len(tr.ADVERBS)} adverbs, "
      f"{len(tr.DETERMINERS)} determiners, {len(tr.PERSONS)} persons")
print(f"held out: {[w for pair in tr.HELD_OUT_NOUNS for w in pair]}, "
      f"{[stem + '-' for stem in tr.HELD_OUT_ADJECTIVES]}")
print(f"{len(train_set)} training sentences, {len(test_set)} held-out test sentences. The first six:")
for b in range(6):
    print(f"  {' '.join(train_set.tokens[b]):42s} ->  {train_set.answer(b)}")
""")

md(r"""
## The input vectors $X$

A real Transformer learns its word vectors too. Here they are **fixed**, so that the only things
that learn are the three matrices (and a tiny readout, below). Each word's row $x_i$ has
9 numbers: one column per word class (determiner, noun, adjective, verb, adverb, person), a
`gender` column (+1 masculine, −1 feminine, 0 none), and two random columns `id1`, `id2` that give
every word its own identity, so a held-out word is a genuinely new vector. Here is $X$ for the
chapter's sentence as the model reads it:
""")

code(r"""
chapter_X = lexicon.embed(tr.CHAPTER_INPUT)
fig, ax = plt.subplots(figsize=(8, 3))
plots.matrix_heatmap(chapter_X, tr.CHAPTER_INPUT, tr.FEATURES, ax=ax,
                     title="X for 'O gato pret- correu rapidamente' (one row per token)")
plt.show()
""")

md(r"""
## The model, forward

One causal self-attention layer, exactly the chapter's, with $d_k = d_v = 2$:

$$Q = X W^Q,\quad K = X W^K,\quad V = X W^V,\qquad
\text{scores} = \frac{Q K^\top}{\sqrt{d_k}},\qquad
\alpha = \text{softmax}(\text{mask}(\text{scores})),\qquad A = \alpha V.$$

The **smallest readout** the task needs: the adjective's output row $a_{adj}$ (a vector of 2
numbers) is turned into one number, the *logit* $z = a_{adj} \cdot w_{out} + b_{out}$, and the
probability of the ending **-a** is $p = \sigma(z) = 1 / (1 + e^{-z})$. The loss is the
cross-entropy, averaged over the sentences:

$$L = -\big[\, y \log p + (1-y) \log (1-p) \,\big], \qquad y = 1 \text{ for -a},\ 0 \text{ for -o}.$$

Training changes five things: $W^Q$, $W^K$, $W^V$ (each $9 \times 2$), $w_{out}$ and $b_{out}$.
They start as small random numbers, so at step 0 every score is near 0 and attention is close to
**uniform**, and $p \approx 0.5$ for every sentence, a loss of $\log 2 \approx 0.693$:
""")

code(r"""
start = tr.evaluate(experiment.initial, train_set)
print(f"step 0: loss {start['loss']:.4f}, log 2 = {np.log(2):.4f}")
print(f"step 0: mean weight of the adjective on its noun {start['noun_attention_mean']:.3f}")
""")

md(r"""
## The gradients, by hand

Training needs $\partial L / \partial W$ for every weight. The chain rule walks the forward pass
backwards, one step at a time; each line below is one small function in `selfattn_lib.training`,
and the tests check each one against finite differences.

1. **Readout.** For a sigmoid followed by cross-entropy the chain rule collapses to
   $\partial L / \partial z = p - y$ (divided by the number of sentences, since $L$ is a mean).
   Then $\partial L / \partial w_{out} = (p - y)\, a_{adj}$ and $\partial L / \partial a_{adj} = (p - y)\, w_{out}$.
   Every other row of $A$ gets gradient 0: only the adjective is read.
2. **Combining values**, $A = \alpha V$: $\;\partial L/\partial \alpha = (\partial L/\partial A)\, V^\top$ and
   $\partial L/\partial V = \alpha^\top (\partial L/\partial A)$.
3. **Softmax**, row by row: raising one score raises its own weight and lowers all the others
   in the row, so
   $$\frac{\partial L}{\partial \text{score}_{ij}} = \alpha_{ij}\Big(\frac{\partial L}{\partial \alpha_{ij}} - \sum_k \alpha_{ik}\frac{\partial L}{\partial \alpha_{ik}}\Big).$$
4. **The causal mask.** A masked cell ($j > i$) has $\alpha_{ij} = 0$ exactly, whatever its score, so
   the formula above gives it gradient **exactly 0**: nothing flows through the mask, and the words
   after the adjective (*correu*, *rapidamente*) can never change what is learned for it.
5. **Scores**, $QK^\top/\sqrt{d_k}$: $\;\partial L/\partial Q = (\partial L/\partial\,\text{scores})\, K/\sqrt{d_k}$ and
   $\partial L/\partial K = (\partial L/\partial\,\text{scores})^\top Q/\sqrt{d_k}$.
6. **Projections**, $Q = XW^Q$: $\;\partial L/\partial W^Q = X^\top\, \partial L/\partial Q$, summed over the
   sentences; the same for $W^K$ (with $\partial L/\partial K$) and $W^V$ (with $\partial L/\partial V$).

Don't take the formulas on trust: nudge one weight up and down by a tiny $h$ and compare the change
in the loss, $\frac{L(w+h) - L(w-h)}{2h}$, with the hand-written gradient. Here for one entry of
$W^V$, at step 0:
""")

code(r"""
params = experiment.initial.copy()
loss, grads = tr.loss_and_gradients(params, train_set)

h = 1e-6
row, col = tr.FEATURES.index("gender"), 0  # one entry of W^V: the gender row, column 1
params.W_v[row, col] += h
loss_up, _ = tr.loss_and_gradients(params, train_set)
params.W_v[row, col] -= 2 * h
loss_down, _ = tr.loss_and_gradients(params, train_set)
params.W_v[row, col] += h

print(f"hand-written dL/dW^V[gender, 1] = {grads.W_v[row, col]:+.8f}")
print(f"finite difference               = {(loss_up - loss_down) / (2 * h):+.8f}")
print()
for name in ("W_q", "W_k", "W_v"):
    print(f"step 0, largest |dL/d{name}| = {np.abs(getattr(grads, name)).max():.6f}")
""")

md(r"""
At step 0 the gradients of $W^Q$ and $W^K$ are hundreds of times smaller than those of $W^V$.
With tiny random weights, the values carry almost nothing, so it hardly matters where the
adjective looks; first $W^V$ must learn to pass the gender on, and only then does looking at the
right word start to pay. Watch for this slow start in the curves below.
""")

md(r"""
## Training: gradient descent

Each step computes the loss and all the gradients on every training sentence, then moves every
weight a little downhill:
$$W \leftarrow W - \eta\, \frac{\partial L}{\partial W} \qquad (\eta \text{ is the learning rate}).$$
`run_experiment` above did this from a fixed seed, keeping a copy of the weights at a few steps.
The loss falls, and at the same time the weight each adjective puts on its noun rises from its
uniform share (a third of the weight with 3 visible words, a fifth with 5) to most of the weight:
""")

code(r"""
steps = np.arange(len(run.losses))
fig, (ax_loss, ax_noun) = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained")
ax_loss.semilogy(steps, run.losses, color="tab:blue")
ax_loss.set(title="Training loss (cross-entropy, log scale)", xlabel="step", ylabel="loss")
ax_noun.plot(steps, run.noun_attention, color="tab:purple")
ax_noun.set(title="Mean weight α(adjective → its noun), training set", xlabel="step",
            ylabel="α", ylim=(0, 1))
for snapshot in run.snapshots:
    ax_noun.axvline(snapshot.step, color="0.85", linewidth=0.8, zorder=0)
plt.show()
print(f"{run.steps} steps, learning rate {run.lr:g}, weights kept at steps {[s.step for s in run.snapshots]}")
print(f"loss: step 0 {run.losses[0]:.4f}, step {run.steps} {run.final_loss:.2e}")
""")

md(r"""
## Watching the attention weights learn

Two sentences: the chapter's, *O gato pret- correu rapidamente*, and *Ele viu cada gata pret-*
("He saw each black (female) cat"), where the subject *Ele* is masculine but the adjective must
agree with *gata*. Look at the adjective's row (`pret-`) and move the slider through the saved
training steps:
""")

code(r"""
snapshots = run.snapshots
sentences = [tr.CHAPTER_INPUT, tr.ATTENTION_EXERCISE]
inputs = [lexicon.embed(tokens) for tokens in sentences]

# one figure, drawn once; the slider only changes the numbers in it and sends a new PNG
fig = Figure(figsize=(9.5, 4.4), layout="constrained", dpi=80)
axes = fig.subplots(1, 2)
images = [plots.weights_heatmap(tr.attention_result(snapshots[0].params, X), tokens, ax=ax)
          for X, tokens, ax in zip(inputs, sentences, axes)]


def snapshot_png(index):
    snapshot = snapshots[index]
    for image, X in zip(images, inputs):
        result = tr.attention_result(snapshot.params, X)
        plots.update_heatmap(image, result.weights, result.mask)
    fig.suptitle(f"After {snapshot.step} training steps (loss {snapshot.loss:.2g})")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


slider = widgets.IntSlider(value=len(snapshots) - 1, min=0, max=len(snapshots) - 1,
                           description="snapshot", readout=False)
step_label = widgets.Label()
picture = widgets.Image(format="png", layout=widgets.Layout(align_self="flex-start", max_width="100%"))  # natural size


def show(change=None):
    try:
        picture.value = snapshot_png(slider.value)
        step_label.value = f"step {snapshots[slider.value].step} of {snapshots[-1].step}"
    except Exception as exc:  # a callback's error is otherwise shown nowhere
        step_label.value = f"could not draw this step: {exc}"


slider.observe(show, names="value")
show()
widgets.VBox([widgets.HBox([slider, step_label]), picture])
""")

md(r"""
For readers who cannot move the slider (a static page), the same weights for the chapter's
sentence at every saved step:
""")

code(r"""
fig, axes = plt.subplots(2, 4, figsize=(16, 8.4), layout="constrained")
for snapshot, ax in zip(snapshots, axes.ravel()):
    result = tr.attention_result(snapshot.params, inputs[0])
    image = plots.weights_heatmap(result, tr.CHAPTER_INPUT, ax=ax, colorbar=False,
                                  title=f"step {snapshot.step}, loss {snapshot.loss:.2g}")
fig.colorbar(image, ax=axes, shrink=0.6, label="attention weight α")
fig.suptitle("Attention weights for 'O gato pret- correu rapidamente' during training (causal, scaled)")
plt.show()
""")

md(r"""
At step 0 the row of `pret-` is nearly uniform over the three words it may see. As training goes
on, weight flows to *gato*. The rows of the other words barely matter here: the loss only reads the
adjective's row, so nothing teaches them anything in particular. The hatched cells stay empty at
every step: the mask hides *correu* and *rapidamente* from `pret-`, in training as in use.
""")

md(r"""
## What the matrices learned

The final $W^Q$, $W^K$ and $W^V$, one row per input column. A score is $q_i \cdot k_j/\sqrt{d_k}$
with $q_i = x_i W^Q$ and $k_j = x_j W^K$, so read the `adj` row of $W^Q$ (what an adjective asks
for) against the `noun` row of $W^K$ (what a noun offers), and the `gender` row of $W^V$ (what gets
passed on):
""")

code(r"""
final = run.params
fig, axes = plt.subplots(1, 3, figsize=(7.5, 4.2), layout="constrained")
for ax, name in zip(axes, ("W_q", "W_k", "W_v")):
    plots.matrix_heatmap(getattr(final, name), tr.FEATURES, ["1", "2"], ax=ax,
                         title=f"learned {name} (step {run.snapshots[-1].step})")
plt.show()
with np.printoptions(precision=4, suppress=True):
    print("readout w_out =", final.w_out, "  b_out =", np.round(float(final.b_out), 4))
""")

md(r"""
Three rows stand out, and together they are the whole mechanism:

* $W^Q$, row `adj`: every adjective's query points one way (column 1);
* $W^K$, row `noun`: every noun's key points the same way, so $q_{adj} \cdot k_{noun}$ is large. The
  rows `person` and `adj` go the other way, so the subject and the adjective itself score low;
* $W^V$, row `gender`: a word's value is, above all, its gender, with a sign: + for masculine,
  − for feminine. The readout turns that sign into the ending.

No row names a particular word: that is why the pattern carries over to words never seen in training.
""")

md(r"""
The numbers these matrices produce for the chapter's sentence: the adjective's scores against each
visible word, the resulting weights, and the values that get mixed. The two value vectors of *gato*
and *gata* point in opposite directions: that difference is what the readout turns into **-o** or
**-a**.
""")

code(r"""
result = tr.attention_result(final, inputs[0])
adj = 2  # the row of pret- (0-based)
with np.printoptions(precision=4, suppress=True):
    print("scores of pret- on O, gato, pret-:", result.scores[adj, :3])
    print("weights of pret-:                 ", result.weights[adj, :3])
    print("v(gato) =", lexicon.embed(["gato"])[0] @ final.W_v,
          "  v(gata) =", lexicon.embed(["gata"])[0] @ final.W_v)
p = tr.predict(final, inputs[0], adj)
print(f"P(-a) = {p:.1e}, P(-o) = {1 - p:.4f}  ->  the model writes 'pret{'a' if p > 0.5 else 'o'}'")
""")

md(r"""
## Does it generalise? The held-out test

The test sentences each contain at least one word never seen in training (*gato*/*gata*,
*leão*/*leoa*, *tio*/*tia*, *preto*, *lindo*). If the layer had memorised training sentences, it
would fail here; if it learned "an adjective attends to the noun, and copies its gender", it
succeeds:
""")

code(r"""
for label, params in (("before training", experiment.initial), ("after training", final)):
    scores = tr.evaluate(params, test_set)
    print(f"{label:16s} accuracy {scores['accuracy']:.1%}, weight on the noun: "
          f"mean {scores['noun_attention_mean']:.3f}, lowest {scores['noun_attention_min']:.3f}")

fwd = tr.forward(final, test_set.X, test_set.adjective)
weights_on_noun = tr.noun_weights(final, test_set)
print("\nfive held-out sentences:")
for b in range(0, len(test_set), len(test_set) // 5):
    guess = test_set.tokens[b][test_set.adjective[b]][:-1] + ("a" if fwd.p[b] > 0.5 else "o")
    print(f"  {' '.join(test_set.tokens[b]):38s} -> {guess:10s} (right: "
          f"{test_set.answer(b).split()[test_set.adjective[b]]}); α on the noun {weights_on_noun[b]:.2f}")
""")

md(r"""
## Your turn: what if the data were easy?

Why the neutral determiners and the subjects with a gender of their own? Try without them. With
`neutral_share=0` every determiner already has the noun's gender (*o gato*, *a gata*), and with
`seeing_share=0` there is no subject to mislead: then a blend of all the visible words is enough
to get the ending right. Run the cell, then change the two shares (between 0 and 1) and run it again:
""")

code(r"""
neutral_share, seeing_share = 0.0, 0.0  # change these

easy = tr.run_experiment(seed=0, neutral_share=neutral_share, seeing_share=seeing_share)
for label, data in (("its own test", easy.test_set), ("the full test above", test_set)):
    scores = tr.evaluate(easy.run.params, data)
    print(f"on {label:20s} accuracy {scores['accuracy']:.1%}, mean weight on the noun "
          f"{scores['noun_attention_mean']:.3f}")

fig, axes = plt.subplots(1, 2, figsize=(9.5, 4.4), layout="constrained")
for X, tokens, ax in zip(inputs, sentences, axes):
    plots.weights_heatmap(tr.attention_result(easy.run.params, X), tokens, ax=ax)
fig.suptitle(f"Trained with neutral_share={neutral_share}, seeing_share={seeing_share}")
plt.show()
""")

md(r"""
With both shares at 0 the model still gets its own easy test right, yet its attention stays
nearly uniform: it never had to find the noun, so it did not learn to. Training learns the pattern
the data **demands**, not the one we had in mind.
""")

md(r"""
## Exercises

Each check answers at once, with a hint for the usual mistakes.

**1.** In *Ele viu cada gata pret-* ("He saw each black cat"), which word must `pret-` attend to?
Give it as a string.
""")

code(r"""
my_word = None  # your answer: one of "Ele", "viu", "cada", "gata", "pret-"
tr.check_attention_target(my_word)
""")

code(r"""
# Solution (click to expand)
solution_word = "gata"  # the noun; "Ele" is masculine, but he is the one who saw
tr.check_attention_target(solution_word)
""", jupyter={"source_hidden": True})

md(r"""
**2.** For one sentence whose right ending is **-a** ($y = 1$), the model gives $p = 0.8$.
What is $\partial L / \partial z$, the gradient of that sentence's loss with respect to its logit?
""")

code(r"""
my_gradient = None  # your answer: one number
tr.check_logit_gradient(my_gradient, p=0.8, y=1.0)
""")

code(r"""
# Solution (click to expand)
solution_gradient = 0.8 - 1.0  # p - y
tr.check_logit_gradient(solution_gradient, p=0.8, y=1.0)
""", jupyter={"source_hidden": True})

md(r"""
**3.** Write the softmax's backward step (step 3 above) for one causal weights matrix: a function
that takes `dweights` ($\partial L/\partial\alpha$, shape $n \times n$) and `weights` ($\alpha$) and
returns `dscores`. Masked cells must come out as 0. Then pass the function itself to the check.
""")

code(r"""
# def my_softmax_backward(dweights, weights):
#     ...
#     return dscores
my_softmax_backward = None  # replace with your function
tr.check_softmax_backward(my_softmax_backward)
""")

code(r"""
# Solution (click to expand)
def solution_softmax_backward(dweights, weights):
    row = (dweights * weights).sum(axis=1, keepdims=True)  # sum_k alpha_ik dL/dalpha_ik
    return weights * (dweights - row)  # masked cells: their weight is 0, so is their gradient


tr.check_softmax_backward(solution_softmax_backward)
""", jupyter={"source_hidden": True})

md(r"""
## What to take away

* $W^Q$, $W^K$ and $W^V$ are learned by gradient descent, through the softmax and the causal mask;
  the mask passes no gradient to the future.
* Attention is not told where to look: it learned to send the adjective to its noun because that
  was the only way to lower the loss, and the pattern holds for words it never saw.
* It learns only what the data demands: with easy data, the same layer solved the task without
  ever learning to look at the noun.
""")

nb = new_notebook(cells=cells, metadata={
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
})
nbformat.write(nb, Path(__file__).resolve().parent.parent / "notebooks" / "08_learning_the_weights.ipynb")
