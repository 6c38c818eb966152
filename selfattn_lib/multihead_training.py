"""Two heads, two relations: multi-head attention trained with numpy only.

The task extends notebook 08's. A sentence like "Ela viu o gato pret- cansad-" ends with two
adjective stems: "pret-" describes the noun (preto / preta: the gato's gender) and "cansad-"
describes the subject (cansado / cansada: who was tired, Ela). The last token must output
both endings at once: two relations, to the noun and to the subject.

One head has it harder: its output is one weighted average of value vectors, and a value
vector is linear in the word's features, so the gender of the noun and the gender of the
subject land on the same directions and blend unless the softmax weighs the two words
differently by gender. It can learn that, but not always: over seeds 0-39 of
`run_two_relation_experiment` (200 steps), one head of the same width solves both endings (at
least 95 % of the test endings right for each) in 21 runs, two heads in 39, and in each of the 21
runs where both solve, two heads bring the loss under 0.1 sooner. Two heads can split the work:
one attends to the noun, the other to the subject, and W^O reads each from its own columns of
the concatenation (one head with more than half its weight on each word, in 30 of those 40
runs; in the others the heads share a relation).

Forward, for a batch of B sentences of n tokens, H heads (row vectors, as in the chapter):
    Q = X W_q, K = X W_k, V = X W_v, split into H column blocks   (B, H, n, d_k) / (B, H, n, d_v)
    scores = Q K^T / sqrt(d_k); weights = softmax(scores, causal)  (B, H, n, n)
    heads = weights V; concat = the heads side by side            (B, n, H d_v)
    logits = concat[last] W_o + b                                 (B, 2)  the two endings
    p = sigmoid(logits) = P(feminine ending); loss = mean over sentences of the summed BCE
The backward steps inside each head are those of `training` (tested there); the new ones,
concatenation and W^O, are written out below, and the tests check the whole gradient against
central finite differences.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .attention import causal_mask, softmax
from .positions import check_count
from .training import (
    ADJECTIVES,
    DETERMINERS,
    NOUNS,
    PERSONS,
    SEEING_VERBS,
    Lexicon,
    check_finite_params,
    check_hyperparameters,
    check_share,
    combine_backward,
    guarded_step,
    guarded_update,
    make_lexicon,
    project_backward,
    scores_backward,
    softmax_backward,
)

__all__ = [
    "NOUN_STEMS",
    "SUBJECT_STEMS",
    "RELATIONS",
    "TwoRelationData",
    "make_two_relation_data",
    "HeadParams",
    "init_head_params",
    "HeadForward",
    "head_forward",
    "head_loss_and_gradients",
    "HeadTraining",
    "train_heads",
    "head_attention",
    "evaluate_heads",
    "ablate_head",
    "TwoRelationExperiment",
    "run_two_relation_experiment",
]

# "pret-" and the like describe the noun; "cansad-" and the like describe the subject (a state).
SUBJECT_STEMS = ("cansad", "assustad", "molhad")
NOUN_STEMS = tuple(a for a in ADJECTIVES if a not in SUBJECT_STEMS)
RELATIONS = ("noun", "subject")  # the order of the two labels and of the two readouts
LENGTH = 6  # person, verb, determiner, noun, noun's adjective, subject's adjective
NOUN_AT, SUBJECT_AT, LAST = 3, 0, 5


@dataclass(frozen=True, eq=False)
class TwoRelationData:
    tokens: list  # B tuples of 6 words: "Ela viu o gato pret- cansad-"
    X: np.ndarray  # (B, 6, d_model)
    y: np.ndarray  # (B, 2)  column 0: noun feminine ("preta"); column 1: subject feminine

    def __len__(self):
        return len(self.tokens)

    def answer(self, b: int) -> str:
        """Sentence b with both endings right."""
        words = list(self.tokens[b])
        for position, label in ((4, self.y[b, 0]), (5, self.y[b, 1])):
            words[position] = words[position][:-1] + ("a" if label else "o")
        return " ".join(words)


def make_two_relation_data(rng, lexicon: Lexicon, size: int, neutral_share=1 / 2) -> TwoRelationData:
    """`size` sentences "person verb det noun noun-stem subject-stem", genders independent.

    A share `neutral_share` of determiners are "cada"/"qualquer" (no gender), so the noun
    itself, not its determiner, must be read.
    """
    size = check_count(size, "size")
    neutral_share = check_share(neutral_share, "neutral_share")
    gendered = {1: ("o", "um"), -1: ("a", "uma")}
    neutral = tuple(w.lower() for w, g in DETERMINERS.items() if g == 0)
    persons = tuple(PERSONS)
    tokens, y = [], []
    for _ in range(size):
        noun = NOUNS[rng.integers(len(NOUNS))][int(rng.integers(2))]
        person = persons[rng.integers(len(persons))]
        det_options = neutral if rng.random() < neutral_share else gendered[lexicon.gender(noun)]
        tokens.append(
            (
                person,
                SEEING_VERBS[rng.integers(len(SEEING_VERBS))],
                det_options[rng.integers(len(det_options))],
                noun,
                NOUN_STEMS[rng.integers(len(NOUN_STEMS))] + "-",
                SUBJECT_STEMS[rng.integers(len(SUBJECT_STEMS))] + "-",
            )
        )
        y.append((float(lexicon.gender(noun) < 0), float(lexicon.gender(person) < 0)))
    X = np.stack([lexicon.embed(t) for t in tokens])
    return TwoRelationData(tokens, X, np.array(y))


# --- Model ---------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class HeadParams:
    W_q: np.ndarray  # (d_model, H d_k)
    W_k: np.ndarray  # (d_model, H d_k)
    W_v: np.ndarray  # (d_model, H d_v)
    W_o: np.ndarray  # (H d_v, 2)
    b: np.ndarray  # (2,)
    n_heads: int

    NAMES = ("W_q", "W_k", "W_v", "W_o", "b")

    def items(self):
        return [(name, getattr(self, name)) for name in self.NAMES]

    def replace(self, **arrays) -> HeadParams:
        values = {name: arrays.get(name, value) for name, value in self.items()}
        return HeadParams(**values, n_heads=self.n_heads)


def init_head_params(rng, d_model, n_heads=2, d_k=2, d_v=2, scale=0.1) -> HeadParams:
    """Small random weights: every head starts near uniform attention, each a little different."""
    n_heads = check_count(n_heads, "n_heads")
    return HeadParams(
        W_q=rng.normal(0.0, scale, (d_model, n_heads * d_k)),
        W_k=rng.normal(0.0, scale, (d_model, n_heads * d_k)),
        W_v=rng.normal(0.0, scale, (d_model, n_heads * d_v)),
        W_o=rng.normal(0.0, scale, (n_heads * d_v, 2)),
        b=np.zeros(2),
        n_heads=n_heads,
    )


def _to_heads(M, n_heads):
    """(B, n, H d) -> (B, H, n, d): head h is the h-th block of columns."""
    B, n, width = M.shape
    return M.reshape(B, n, n_heads, width // n_heads).transpose(0, 2, 1, 3)


def _from_heads(M):
    """(B, H, n, d) -> (B, n, H d): the heads side by side, in head order."""
    B, H, n, d = M.shape
    return M.transpose(0, 2, 1, 3).reshape(B, n, H * d)


@dataclass(frozen=True, eq=False)
class HeadForward:
    X: np.ndarray
    Q: np.ndarray  # (B, H, n, d_k)
    K: np.ndarray
    V: np.ndarray  # (B, H, n, d_v)
    weights: np.ndarray  # (B, H, n, n)
    concat: np.ndarray  # (B, n, H d_v)
    logits: np.ndarray  # (B, 2)
    p: np.ndarray  # (B, 2)


def head_forward(params: HeadParams, X) -> HeadForward:
    X = np.asarray(X, dtype=float)
    H = params.n_heads
    Q, K, V = (_to_heads(X @ W, H) for W in (params.W_q, params.W_k, params.W_v))
    scores = Q @ np.swapaxes(K, -1, -2) / math.sqrt(Q.shape[-1])  # (B, H, n, n)
    weights = softmax(scores, causal_mask(X.shape[1]))
    concat = _from_heads(weights @ V)  # (B, n, H d_v)
    logits = concat[:, -1] @ params.W_o + params.b  # (B, 2)
    p = 1.0 / (1.0 + np.exp(-logits))
    return HeadForward(X, Q, K, V, weights, concat, logits, p)


def _loss(p, y) -> float:
    eps = 1e-12  # keeps log() finite if a probability rounds to exactly 0 or 1
    return float(-np.mean(np.sum(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps), axis=1)))


def head_loss_and_gradients(params: HeadParams, data: TwoRelationData):
    """Loss (mean over sentences of the two endings' cross-entropies) and every gradient."""
    loss, grads, _ = _loss_gradients_forward(params, data.X, data.y)
    return loss, grads


def _loss_gradients_forward(params, X, y):
    fwd = head_forward(params, X)
    loss = _loss(fwd.p, y)
    dlogits = (fwd.p - y) / len(y)  # sigmoid + cross-entropy, per label
    read = fwd.concat[:, -1]  # (B, H d_v) the last token's concatenation
    dW_o = read.T @ dlogits
    db = dlogits.sum(axis=0)
    dconcat = np.zeros_like(fwd.concat)
    dconcat[:, -1] = dlogits @ params.W_o.T  # only the last row feeds the readout
    dheads = _to_heads(dconcat, params.n_heads)  # concatenation backward: split it again
    dweights, dV = combine_backward(dheads, fwd.weights, fwd.V)
    dscores = softmax_backward(dweights, fwd.weights)
    dQ, dK = scores_backward(dscores, fwd.Q, fwd.K)
    grads = params.replace(
        W_q=project_backward(X, _from_heads(dQ)),
        W_k=project_backward(X, _from_heads(dK)),
        W_v=project_backward(X, _from_heads(dV)),
        W_o=dW_o,
        b=db,
    )
    return loss, grads, fwd


# --- Training and measuring ------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class HeadTraining:
    params: HeadParams
    losses: np.ndarray  # (steps + 1,)
    attention: np.ndarray  # (steps + 1, H, 2) mean alpha(last -> noun), alpha(last -> subject)

    @property
    def final_loss(self) -> float:
        return float(self.losses[-1])


def head_attention(weights: np.ndarray) -> np.ndarray:
    """(H, 2): per head, mean weight from the last token to the noun and to the subject."""
    last = weights[:, :, LAST]  # (B, H, n)
    return np.stack([last[:, :, NOUN_AT].mean(axis=0), last[:, :, SUBJECT_AT].mean(axis=0)], axis=1)


def train_heads(params: HeadParams, data: TwoRelationData, steps=200, lr=2.0) -> HeadTraining:
    """Full-batch gradient descent on the same sentences at every step.

    The arguments are checked as train()'s are (training.check_hyperparameters); if the loss or
    the parameters stop being finite, a TrainingDiverged names the step (`.run`: the steps before).
    """
    check_finite_params(params, HeadParams, "init_head_params")
    if not isinstance(data, TwoRelationData):
        raise ValueError(f"data must be a TwoRelationData (from make_two_relation_data); got {type(data).__name__}")
    steps, lr = check_hyperparameters(steps, lr)
    losses, attention = [], []

    def partial_run():
        return HeadTraining(params, np.array(losses), np.array(attention))

    for step in range(steps + 1):
        loss, grads, fwd = guarded_step(step, lr, partial_run, _loss_gradients_forward, params, data.X, data.y)
        losses.append(loss)
        attention.append(head_attention(fwd.weights))
        if step < steps:
            with np.errstate(all="ignore"):
                updated = params.replace(
                    **{name: value - lr * grad for (name, value), (_, grad) in zip(params.items(), grads.items())}
                )
            guarded_update(step, lr, partial_run, [value for _, value in updated.items()])
            params = updated
    return HeadTraining(params, np.array(losses), np.array(attention))


def evaluate_heads(params: HeadParams, data: TwoRelationData) -> dict:
    """Loss, share right for each ending, and per head the attention to noun and subject."""
    fwd = head_forward(params, data.X)
    right = (fwd.p > 0.5) == (data.y > 0.5)  # (B, 2)
    return {
        "loss": _loss(fwd.p, data.y),
        "accuracy": {r: float(right[:, c].mean()) for c, r in enumerate(RELATIONS)},
        "attention": head_attention(fwd.weights),
    }


def ablate_head(params: HeadParams, data: TwoRelationData, head: int) -> dict:
    """Share right for each ending when head `head`'s output is replaced by zeros in the concat.

    If a head carries one relation, removing it drops that ending to chance (about 0.5) and
    leaves the other ending right.
    """
    head = check_count(head, "head", minimum=0)
    if head >= params.n_heads:
        raise ValueError(f"head must be from 0 to {params.n_heads - 1}; got {head}")
    width = params.W_o.shape[0] // params.n_heads
    kept = np.ones(params.W_o.shape[0])
    kept[head * width : (head + 1) * width] = 0.0
    fwd = head_forward(params, data.X)
    logits = (fwd.concat[:, -1] * kept) @ params.W_o + params.b  # (B, 2)
    right = (logits > 0) == (data.y > 0.5)
    return {r: float(right[:, c].mean()) for c, r in enumerate(RELATIONS)}


@dataclass(frozen=True, eq=False)
class TwoRelationExperiment:
    lexicon: Lexicon
    train_set: TwoRelationData
    test_set: TwoRelationData
    initial: HeadParams
    run: HeadTraining


def run_two_relation_experiment(
    seed=2, n_heads=2, d_k=2, d_v=2, steps=200, lr=2.0, train_size=240, test_size=120
) -> TwoRelationExperiment:
    """Lexicon (notebook 08's), data, initial weights and training from one seeded generator."""
    rng = np.random.default_rng(seed)
    lexicon = make_lexicon(rng)
    train_set = make_two_relation_data(rng, lexicon, train_size)
    test_set = make_two_relation_data(rng, lexicon, test_size)
    d_model = train_set.X.shape[-1]
    initial = init_head_params(rng, d_model, n_heads, d_k, d_v)
    return TwoRelationExperiment(lexicon, train_set, test_set, initial, train_heads(initial, train_set, steps, lr))
