"""Learning W^Q, W^K and W^V: one causal self-attention layer trained with numpy only.

The task is Portuguese gender agreement, from the chapter's sentence "O gato preto correu
rapidamente". The adjective comes in as its stem only ("pret-"), and the model must choose
its ending: "-o" (preto, masculine) or "-a" (preta, feminine). The stem has no gender and the
layer is causal, so the answer must come from attending back, to the noun. Two sentence
patterns, both 5 words: "O gato pret- correu rapidamente" and "Ela viu o gato pret-"; in the
second the subject has a gender of its own, often not the noun's, so a blend of every
gendered word is not enough: attention has to pick the noun.

Forward, for a batch of B sentences of n tokens (row vectors, as in the chapter):
    Q = X W_q, K = X W_k, V = X W_v                       (B, n, d_k) / (B, n, d_v)
    scores = Q K^T / sqrt(d_k)                           (B, n, n)
    weights = softmax(scores, causal mask)               (B, n, n), zero above the diagonal
    output = weights V                                   (B, n, d_v)
    logit = a_adj . w_out + b_out                        (B,)   the smallest readout:
                                                         a_adj is the adjective's output row
    p = sigmoid(logit) = P(feminine ending "-a")
    loss = mean binary cross-entropy(p, y)
Every backward step is written out by hand below, one function per forward step, and the
tests check each one against central finite differences.
"""

from __future__ import annotations

import itertools
import math
import numbers
import warnings
from dataclasses import dataclass, field

import numpy as np

from . import answers
from .attention import AttentionResult, _flag, causal_mask, self_attention, softmax
from .exercises import _LANGUAGE, Feedback, _answers, _numbers
from .strings import DEFAULT_LANGUAGE, text

__all__ = [
    "DETERMINERS",
    "NOUNS",
    "ADJECTIVES",
    "VERBS",
    "ADVERBS",
    "PERSONS",
    "SEEING_VERBS",
    "FEATURES",
    "CHAPTER_INPUT",
    "HELD_OUT_NOUNS",
    "HELD_OUT_ADJECTIVES",
    "SAVE_AT",
    "Lexicon",
    "make_lexicon",
    "Dataset",
    "make_dataset",
    "train_test_split",
    "Params",
    "init_params",
    "Forward",
    "forward",
    "bce_loss",
    "readout_backward",
    "combine_backward",
    "softmax_backward",
    "scores_backward",
    "project_backward",
    "loss_and_gradients",
    "Snapshot",
    "TrainingRun",
    "TrainingDiverged",
    "train",
    "MAX_STEPS",
    "MAX_LR",
    "check_hyperparameters",
    "check_share",
    "guarded_step",
    "guarded_update",
    "predict",
    "noun_weights",
    "evaluate",
    "attention_result",
    "Experiment",
    "run_experiment",
    "check_softmax_backward",
    "check_logit_gradient",
    "check_attention_target",
    "ATTENTION_EXERCISE",
]

# --- The toy language -------------------------------------------------------------------

# gender: +1 masculine, -1 feminine, 0 none (the neutral determiners force the model to use
# the noun: with "Cada" or "Qualquer" the determiner says nothing about the ending).
DETERMINERS = {"O": 1, "Um": 1, "A": -1, "Uma": -1, "Cada": 0, "Qualquer": 0}
# (masculine, feminine) pairs; some do not end in -o/-a, to show that spelling is not the cue.
NOUNS = (
    ("gato", "gata"),
    ("menino", "menina"),
    ("lobo", "loba"),
    ("aluno", "aluna"),
    ("pato", "pata"),
    ("coelho", "coelha"),
    ("porco", "porca"),
    ("macaco", "macaca"),
    ("tio", "tia"),
    ("vizinho", "vizinha"),
    ("cão", "cadela"),
    ("leão", "leoa"),
    ("homem", "mulher"),
    ("rapaz", "moça"),
)
# adjective stems: stem + "o" is masculine, stem + "a" feminine (preto / preta)
ADJECTIVES = (
    "pret",
    "branc",
    "pequen",
    "bonit",
    "velh",
    "nov",
    "gord",
    "magr",
    "lind",
    "cansad",
    "assustad",
    "molhad",
)
VERBS = ("correu", "saltou", "dormiu", "comeu", "fugiu", "chegou", "caiu", "parou", "nadou")
# The second pattern, "Ela viu o gato preto", puts a gendered word (the subject) before the
# noun; half the time its gender disagrees with the noun's, so only attention that picks the
# noun, not a blend of every gendered word, gets the ending right.
PERSONS = {"Ele": 1, "Pedro": 1, "João": 1, "Ela": -1, "Maria": -1, "Ana": -1}
SEEING_VERBS = ("viu", "chamou", "seguiu", "encontrou", "pegou", "adotou", "lavou")
ADVERBS = ("rapidamente", "lentamente", "ontem", "hoje", "cedo", "tarde", "calmamente")

# Never in training: the chapter's own sentence is made of these, so it is new to the model.
HELD_OUT_NOUNS = (("gato", "gata"), ("leão", "leoa"), ("tio", "tia"))
HELD_OUT_ADJECTIVES = ("pret", "lind")

# Columns of X. Word class and gender are features a real model would have to learn for
# itself; fixing them keeps the lesson on W^Q, W^K, W^V. The two random `id` columns give
# each word its own identity, so a word never seen in training is a new input, not a copy.
FEATURES = ("det", "noun", "adj", "verb", "adv", "person", "gender", "id1", "id2")
GENDER = FEATURES.index("gender")
# The chapter's sentence as the model reads it: the adjective as its stem.
CHAPTER_INPUT = ("O", "gato", "pret-", "correu", "rapidamente")


@dataclass(frozen=True)
class Lexicon:
    """Word -> embedding row x (len(FEATURES),), and word -> gender (+1, -1, 0).

    Keys are lower case: "O" and "o" are one word.
    """

    vectors: dict
    genders: dict

    def embed(self, tokens) -> np.ndarray:
        """X for a sentence: one row per token, (n, d_model)."""
        return np.array([self.vectors[t.lower()] for t in tokens])

    def gender(self, word) -> int:
        return self.genders[word.lower()]


def make_lexicon(rng: np.random.Generator, identity_scale: float = 0.5) -> Lexicon:
    """Embeddings from the category and gender features plus a random identity per word."""
    vectors, genders = {}, {}

    def add(word, category, gender):
        x = np.zeros(len(FEATURES))
        x[FEATURES.index(category)] = 1.0
        x[GENDER] = gender
        x[GENDER + 1 :] = rng.normal(0.0, identity_scale, size=len(FEATURES) - GENDER - 1)
        vectors[word.lower()], genders[word.lower()] = x, gender

    for word, gender in DETERMINERS.items():
        add(word, "det", gender)
    for masculine, feminine in NOUNS:
        add(masculine, "noun", 1)
        add(feminine, "noun", -1)
    for stem in ADJECTIVES:
        add(stem + "-", "adj", 0)  # the stem only: its gender is what the model must find
    for word in VERBS + SEEING_VERBS:
        add(word, "verb", 0)
    for word in ADVERBS:
        add(word, "adv", 0)
    for word, gender in PERSONS.items():
        add(word, "person", gender)
    return Lexicon(vectors, genders)


# --- Data ----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Dataset:
    tokens: list  # B tuples of 5 words, the adjective as its stem ("pret-")
    X: np.ndarray  # (B, 5, d_model)
    y: np.ndarray  # (B,)  1.0 when the adjective takes "-a" (feminine), else 0.0
    noun: np.ndarray  # (B,)  position of the noun the adjective agrees with
    adjective: np.ndarray  # (B,)  position of the adjective stem

    def __len__(self):
        return len(self.tokens)

    def answer(self, b: int) -> str:
        """Sentence b written with the adjective's correct form."""
        words = list(self.tokens[b])
        i = self.adjective[b]
        words[i] = words[i][:-1] + ("a" if self.y[b] else "o")
        return " ".join(words)

    @staticmethod
    def concat(*parts) -> Dataset:
        return Dataset(
            sum((p.tokens for p in parts), []),
            *(np.concatenate([getattr(p, name) for p in parts]) for name in ("X", "y", "noun", "adjective")),
        )


def _pick(rng, options):
    return options[rng.integers(len(options))]


def check_share(value, name: str) -> float:
    """A probability: a real number from 0 to 1, or a ValueError naming `name`."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) or not 0 <= value <= 1:
        raise ValueError(f"{name} must be a number between 0 and 1 (a share of the sentences); got {value!r}"[:200])
    return float(value)


def make_dataset(
    rng, lexicon, size, nouns=NOUNS, adjectives=ADJECTIVES, neutral_share=1 / 3, seeing_share=1 / 2
) -> Dataset:
    """`size` random sentences of two patterns, each 5 words long:

    "O gato pret- correu rapidamente"  (determiner noun adjective verb adverb), and, with
    probability `seeing_share`, "Ela viu o gato pret-" (person verb determiner noun adjective).
    A share `neutral_share` of determiners are "Cada"/"Qualquer", which have no gender.
    """
    neutral_share = check_share(neutral_share, "neutral_share")
    seeing_share = check_share(seeing_share, "seeing_share")
    gendered = {1: ("O", "Um"), -1: ("A", "Uma")}
    neutral = ("Cada", "Qualquer")
    persons = tuple(PERSONS)
    tokens, y, noun_at, adjective_at = [], [], [], []
    for _ in range(size):
        noun = _pick(rng, nouns)[int(rng.integers(2))]
        gender = lexicon.gender(noun)
        det = _pick(rng, neutral if rng.random() < neutral_share else gendered[gender])
        adj = _pick(rng, adjectives) + "-"
        if rng.random() < seeing_share:
            tokens.append((_pick(rng, persons), _pick(rng, SEEING_VERBS), det.lower(), noun, adj))
            noun_at.append(3)
            adjective_at.append(4)
        else:
            tokens.append((det, noun, adj, _pick(rng, VERBS), _pick(rng, ADVERBS)))
            noun_at.append(1)
            adjective_at.append(2)
        y.append(float(gender < 0))
    X = np.stack([lexicon.embed(t) for t in tokens])
    return Dataset(tokens, X, np.array(y), np.array(noun_at), np.array(adjective_at))


def train_test_split(rng, lexicon, train_size=240, test_size=120, neutral_share=1 / 3, seeing_share=1 / 2):
    """Training sentences never use a held-out word; every test sentence uses at least one."""
    train_nouns = tuple(p for p in NOUNS if p not in HELD_OUT_NOUNS)
    train_adjectives = tuple(a for a in ADJECTIVES if a not in HELD_OUT_ADJECTIVES)
    shares = dict(neutral_share=neutral_share, seeing_share=seeing_share)
    train_set = make_dataset(rng, lexicon, train_size, train_nouns, train_adjectives, **shares)
    half = test_size // 2  # a held-out noun with any adjective, or any noun with a held-out adjective
    test_set = Dataset.concat(
        make_dataset(rng, lexicon, half, HELD_OUT_NOUNS, ADJECTIVES, **shares),
        make_dataset(rng, lexicon, test_size - half, NOUNS, HELD_OUT_ADJECTIVES, **shares),
    )
    return train_set, test_set


# --- Model ---------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Params:
    """What training changes: the three projections and the readout."""

    W_q: np.ndarray  # (d_model, d_k)
    W_k: np.ndarray  # (d_model, d_k)
    W_v: np.ndarray  # (d_model, d_v)
    w_out: np.ndarray  # (d_v,)
    b_out: np.ndarray  # ()  a scalar, kept as an array so every parameter updates alike

    NAMES = ("W_q", "W_k", "W_v", "w_out", "b_out")

    def items(self):
        return [(name, getattr(self, name)) for name in self.NAMES]

    def copy(self) -> Params:
        return Params(*(np.array(value, dtype=float) for _, value in self.items()))


def init_params(rng, d_model=len(FEATURES), d_k=2, d_v=2, scale=0.1) -> Params:  # noqa: B008 (a constant)
    """Small random projections, so that at step 0 attention is close to uniform."""
    return Params(
        W_q=rng.normal(0.0, scale, (d_model, d_k)),
        W_k=rng.normal(0.0, scale, (d_model, d_k)),
        W_v=rng.normal(0.0, scale, (d_model, d_v)),
        w_out=rng.normal(0.0, scale, d_v),
        b_out=np.array(0.0),
    )


@dataclass(frozen=True, eq=False)
class Forward:
    """Every intermediate of the forward pass for a batch, kept for the backward pass."""

    X: np.ndarray
    Q: np.ndarray
    K: np.ndarray
    V: np.ndarray
    scores: np.ndarray
    weights: np.ndarray
    output: np.ndarray
    adjective: np.ndarray  # (B,) which row of `output` feeds the readout
    logits: np.ndarray  # (B,)
    p: np.ndarray  # (B,) P(feminine ending)

    @property
    def read(self) -> np.ndarray:
        """The adjective's output row a_i of each sentence, (B, d_v)."""
        return self.output[np.arange(len(self.adjective)), self.adjective]


def forward(params: Params, X, adjective) -> Forward:
    """The layer on a batch X (B, n, d_model), read out at positions `adjective` (B,)."""
    X = np.asarray(X, dtype=float)
    adjective = np.asarray(adjective)
    Q, K, V = X @ params.W_q, X @ params.W_k, X @ params.W_v  # (B, n, d_k), (B, n, d_v)
    scores = Q @ np.swapaxes(K, -1, -2) / math.sqrt(Q.shape[-1])  # (B, n, n)
    weights = softmax(scores, causal_mask(X.shape[1]))
    output = weights @ V  # (B, n, d_v)
    read = output[np.arange(len(X)), adjective]  # (B, d_v)
    logits = read @ params.w_out + params.b_out
    p = 1.0 / (1.0 + np.exp(-logits))
    return Forward(X, Q, K, V, scores, weights, output, adjective, logits, p)


def bce_loss(p, y) -> float:
    """Mean binary cross-entropy, -[y log p + (1 - y) log(1 - p)]."""
    eps = 1e-12  # keeps log() finite if a probability rounds to exactly 0 or 1
    return float(-np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)))


# --- Backward, one forward step at a time -----------------------------------------------------


def readout_backward(fwd: Forward, y, w_out):
    """From the loss back to the readout and to the layer's output.

    For sigmoid followed by cross-entropy, dL/dlogit_b = (p_b - y_b) / B. Only the adjective's
    row of `output` feeds the readout, so every other row gets zero gradient.
    """
    dlogits = (fwd.p - y) / len(y)  # (B,)
    dw_out = dlogits @ fwd.read  # (d_v,)
    db_out = dlogits.sum()
    doutput = np.zeros_like(fwd.output)
    doutput[np.arange(len(y)), fwd.adjective] = dlogits[:, None] * w_out
    return doutput, dw_out, np.array(db_out)


def combine_backward(doutput, weights, V):
    """output = weights V, so dweights = doutput V^T and dV = weights^T doutput."""
    dweights = doutput @ np.swapaxes(V, -1, -2)
    dV = np.swapaxes(weights, -1, -2) @ doutput
    return dweights, dV


def softmax_backward(dweights, weights):
    """Row-wise softmax: dscore_ij = alpha_ij (dalpha_ij - sum_k alpha_ik dalpha_ik).

    A masked score (j > i) has alpha_ij = 0 exactly, so its gradient is exactly 0: the
    mask lets no gradient through, and a later word never changes what is learned at i.
    """
    row = (dweights * weights).sum(axis=-1, keepdims=True)
    return weights * (dweights - row)


def scores_backward(dscores, Q, K):
    """scores = Q K^T / sqrt(d_k), so dQ = dscores K / sqrt(d_k), dK = dscores^T Q / sqrt(d_k)."""
    scale = 1.0 / math.sqrt(Q.shape[-1])
    dQ = dscores @ K * scale
    dK = np.swapaxes(dscores, -1, -2) @ Q * scale
    return dQ, dK


def project_backward(X, dM):
    """M = X W for each sentence, so dW = sum over sentences of X^T dM."""
    # all sentences' rows stacked: one (d_model, B n) @ (B n, d) product does the sum
    return X.reshape(-1, X.shape[-1]).T @ dM.reshape(-1, dM.shape[-1])


def loss_and_gradients(params: Params, data: Dataset):
    """Mean cross-entropy on the adjective's ending, and its gradient for every parameter."""
    loss, grads, _ = _loss_gradients_forward(params, data)
    return loss, grads


def _loss_gradients_forward(params: Params, data: Dataset):
    fwd = forward(params, data.X, data.adjective)
    loss = bce_loss(fwd.p, data.y)
    doutput, dw_out, db_out = readout_backward(fwd, data.y, params.w_out)
    dweights, dV = combine_backward(doutput, fwd.weights, fwd.V)
    dscores = softmax_backward(dweights, fwd.weights)
    dQ, dK = scores_backward(dscores, fwd.Q, fwd.K)
    grads = Params(
        W_q=project_backward(fwd.X, dQ),
        W_k=project_backward(fwd.X, dK),
        W_v=project_backward(fwd.X, dV),
        w_out=dw_out,
        b_out=db_out,
    )
    return loss, grads, fwd


# --- Training ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Snapshot:
    step: int
    params: Params
    loss: float


@dataclass(frozen=True, eq=False)
class TrainingRun:
    params: Params  # after the last step
    lr: float  # the learning rate used
    losses: np.ndarray  # (steps + 1,) training loss at each step, before its update
    noun_attention: np.ndarray  # (steps + 1,) mean alpha(adjective -> its noun), training set
    snapshots: list = field(default_factory=list)

    @property
    def steps(self) -> int:
        return len(self.losses) - 1

    @property
    def final_loss(self) -> float:
        return float(self.losses[-1])


# Bounds on what train() accepts: beyond MAX_STEPS a run takes minutes; a learning rate above
# MAX_LR makes this layer's updates blow up within a few steps (the notebook uses 3.0).
MAX_STEPS = 20_000
MAX_LR = 100.0


class TrainingDiverged(ValueError):
    """The loss or the parameters stopped being finite numbers; `run` holds the steps before
    (a TrainingRun, or the HeadTraining / LMTraining of the other entry points)."""

    def __init__(self, message: str, run):
        super().__init__(message)
        self.run = run


def check_hyperparameters(steps, lr, **flags) -> tuple:
    """The one argument check of every training entry point (train, train_heads, train_lm):
    steps a whole number in 0..MAX_STEPS, lr a finite number in (0, MAX_LR], each flag True or
    False. Returns (steps, lr, *flags) as int, float and bools; else a ValueError naming it."""
    if isinstance(steps, (bool, np.bool_)) or not isinstance(steps, (int, np.integer)):
        raise ValueError(f"steps must be a whole number of training steps; got {steps!r} ({type(steps).__name__})")
    if not 0 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be between 0 and {MAX_STEPS}; got {steps}")
    if isinstance(lr, (bool, np.bool_)) or not isinstance(lr, numbers.Real):
        raise ValueError(f"lr (the learning rate) must be a number; got {lr!r} ({type(lr).__name__})")
    # compared before any float(): 10**400 is a Python int that float() cannot hold
    if not (0 < lr <= MAX_LR):  # also False for nan
        raise ValueError(f"lr (the learning rate) must be a finite number above 0 and at most {MAX_LR:g}; got {lr!r}")
    return (int(steps), float(lr), *(_flag(value, name) for name, value in flags.items()))


def _diverged(step: int, what: str, lr: float, run) -> TrainingDiverged:
    return TrainingDiverged(
        f"training stopped at step {step}: {what}. The updates grew too large for lr = {lr:g}; "
        f"try a smaller learning rate.",
        run,
    )


def guarded_step(step: int, lr: float, partial_run, compute, *args):
    """compute(*args) -> (loss, ...) for one training step; a TrainingDiverged naming the step
    (with partial_run(), the steps before) if it cannot be computed or the loss is not finite."""
    # overflow is looked for here, by step: numpy's warnings would only repeat it
    with np.errstate(all="ignore"):
        try:
            loss, *rest = compute(*args)
        except ValueError as exc:  # the softmax refuses nan or inf scores
            raise _diverged(step, f"the attention scores are no longer finite ({exc})", lr, partial_run()) from None
    if not math.isfinite(loss):
        raise _diverged(step, f"the loss became {loss}", lr, partial_run())
    return (loss, *rest)


def guarded_update(step: int, lr: float, partial_run, arrays) -> None:
    """A TrainingDiverged naming the step if an updated parameter is not finite."""
    if not all(np.isfinite(value).all() for value in arrays):
        raise _diverged(step, "the update made a parameter inf or nan", lr, partial_run())


def check_finite_params(params, cls, made_by: str) -> None:
    if not isinstance(params, cls):
        raise ValueError(f"params must be a {cls.__name__} (from {made_by}); got {type(params).__name__}")
    for name, value in params.items():
        if not np.isfinite(value).all():
            raise ValueError(f"params.{name} must contain only finite numbers; it holds nan or inf")


def _check_training_arguments(params, data, steps, lr, save_at):
    check_finite_params(params, Params, "init_params")
    if not isinstance(data, Dataset):
        raise ValueError(f"data must be a Dataset (from make_dataset); got {type(data).__name__}")
    steps, lr = check_hyperparameters(steps, lr)
    try:
        chosen = list(itertools.islice(iter(save_at), MAX_STEPS + 2))
    except TypeError:
        chosen = None
    if chosen is None or any(
        isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)) or k < 0 for k in chosen
    ):
        raise ValueError(
            f"save_at must be a list of whole step numbers (0 or more), such as (0, 10, 100); got {save_at!r}"[:300]
        )
    save_at = {int(k) for k in chosen}
    return steps, lr, save_at


def train(params: Params, data: Dataset, steps=300, lr=1.0, save_at=()) -> TrainingRun:
    """Full-batch gradient descent, W <- W - lr dL/dW, on the same sentences at every step.

    Bad hyperparameters (steps not a whole number in 0..MAX_STEPS, lr not in (0, MAX_LR], ...)
    are a ValueError naming them. If the loss or the parameters stop being finite (too large a
    learning rate), training stops with a TrainingDiverged that says at which step; its `.run`
    holds the steps before. Steps in `save_at` beyond `steps` are never reached.
    """
    steps, lr, save_at = _check_training_arguments(params, data, steps, lr, save_at)
    params = params.copy()
    losses, noun_attention, snapshots = [], [], []

    def partial_run():
        return TrainingRun(params, lr, np.array(losses), np.array(noun_attention), snapshots)

    for step in range(steps + 1):
        loss, grads, fwd = guarded_step(step, lr, partial_run, _loss_gradients_forward, params, data)
        losses.append(loss)
        noun_attention.append(fwd.weights[np.arange(len(data)), data.adjective, data.noun].mean())
        if step in save_at:
            snapshots.append(Snapshot(step, params.copy(), loss))
        if step < steps:
            with np.errstate(all="ignore"):
                updated = Params(*(value - lr * grad for (_, value), (_, grad) in zip(params.items(), grads.items())))
            guarded_update(step, lr, partial_run, [value for _, value in updated.items()])
            params = updated
    return TrainingRun(params, lr, np.array(losses), np.array(noun_attention), snapshots)


def predict(params: Params, X, adjective: int) -> float:
    """P(ending "-a") for one sentence X (n, d_model) whose adjective stem is at `adjective`."""
    return float(forward(params, np.asarray(X)[None], [adjective]).p[0])


def noun_weights(params: Params, data: Dataset) -> np.ndarray:
    """alpha(adjective -> its noun) for each sentence, (B,)."""
    weights = forward(params, data.X, data.adjective).weights
    return weights[np.arange(len(data)), data.adjective, data.noun]


def evaluate(params: Params, data: Dataset) -> dict:
    """Loss, share of right endings, and the attention adjective -> noun (mean and minimum)."""
    fwd = forward(params, data.X, data.adjective)
    alpha = noun_weights(params, data)
    return {
        "loss": bce_loss(fwd.p, data.y),
        "accuracy": float(np.mean((fwd.p > 0.5) == (data.y > 0.5))),
        "noun_attention_mean": float(alpha.mean()),
        "noun_attention_min": float(alpha.min()),
    }


def attention_result(params: Params, X) -> AttentionResult:
    """The library's AttentionResult for one sentence X (n, d_model) under the learned matrices."""
    return self_attention(X, params.W_q, params.W_k, params.W_v, causal=True, scaled=True)


# --- The whole experiment, as the notebook runs it ---------------------------------------------

SAVE_AT = (0, 10, 25, 50, 100, 200, 400, 600)  # the steps whose parameters are kept


@dataclass(frozen=True, eq=False)
class Experiment:
    lexicon: Lexicon
    train_set: Dataset
    test_set: Dataset
    initial: Params
    run: TrainingRun


def run_experiment(seed=0, steps=600, lr=3.0, save_at=SAVE_AT, neutral_share=1 / 3, seeing_share=1 / 2) -> Experiment:
    """Embeddings, data, initial weights and training, all from one seeded generator."""
    rng = np.random.default_rng(seed)
    lexicon = make_lexicon(rng)
    train_set, test_set = train_test_split(rng, lexicon, neutral_share=neutral_share, seeing_share=seeing_share)
    initial = init_params(rng)
    run = train(initial, train_set, steps=steps, lr=lr, save_at=save_at)
    return Experiment(lexicon, train_set, test_set, initial, run)


# --- Exercise checks -------------------------------------------------------------------------
# Each returns an exercises.Feedback (the series' one format): truthy when right, and its
# message names the specific mistake when one is recognised, in the check's `language`
# ("training.*" keys of strings; `_answers` sets the language for the call, as in exercises).


def _t(key: str, **values) -> str:
    return text("training." + key, _LANGUAGE.get(), **values)


@_answers
def check_softmax_backward(fn, language=DEFAULT_LANGUAGE) -> Feedback:
    """Exercise: fn(dweights, weights) -> dscores for one causal weights matrix."""
    rng = np.random.default_rng(7)
    n = 4
    weights = softmax(rng.normal(size=(n, n)), causal_mask(n))
    dweights = rng.normal(size=(n, n))
    expected = softmax_backward(dweights, weights)
    if fn is None:
        return Feedback(False, _t("backward_unanswered"), ("unanswered",))
    if not callable(fn):
        return Feedback(False, _t("backward_not_callable", type=type(fn).__name__), ("not_numbers",))
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = fn(dweights.copy(), weights.copy())
    except Exception as exc:  # the learner's code: report it, do not stop the notebook
        return Feedback(
            False, _t("backward_raised", error=type(exc).__name__, detail=answers.error_detail(exc)), ("error",)
        )
    if got is None:
        return Feedback(False, _t("backward_none"), ("unanswered",))
    got, problem = _numbers(got)
    if problem is not None:
        return Feedback(False, _t("backward_not_numbers", got=problem[0], n=n), (problem[1],))
    if not np.isfinite(got).all():
        return Feedback(False, _t("backward_not_finite"), ("other",))
    if got.shape != expected.shape:
        return Feedback(False, _t("backward_shape", expected=expected.shape, got=got.shape), ("shape",))
    if np.allclose(got, expected):
        return Feedback(True, _t("backward_right"))
    if np.allclose(got, -expected):
        return Feedback(False, _t("backward_sign"), ("sign",))
    if np.allclose(got, weights * dweights):
        return Feedback(False, _t("backward_diagonal"), ("diagonal_only",))
    weighted = weights * dweights
    slips = (  # (the slip's dscores, mistake code, hint key)
        (weights * (dweights - weighted.sum(axis=0, keepdims=True)), "axis", "backward_axis"),
        (weights * (dweights - weighted.sum(axis=-1)), "keepdims", "backward_keepdims"),
        (weights * (1 - weights) * dweights, "w_one_minus_w", "backward_w_one_minus_w"),
    )
    for value, code, key in slips:
        if np.allclose(got, value):
            return Feedback(False, _t(key), (code,))
    if not np.allclose(got[~causal_mask(n)], 0.0):
        return Feedback(False, _t("backward_future"), ("future",))
    return Feedback(False, _t("backward_other"), ("other",))


@_answers
def check_logit_gradient(value, p=0.8, y=1.0, language=DEFAULT_LANGUAGE) -> Feedback:
    """Exercise: dL/dlogit for one sentence, with P(feminine) = p and true label y."""
    if value is None:
        return Feedback(False, _t("logit_unanswered"), ("unanswered",))
    value, problem = answers.read_number(value, _LANGUAGE.get())
    if problem is not None:  # read as every check reads one number (answers.read_number)
        got, code = problem
        return Feedback(False, got if code == answers.DECIMAL_COMMA else _t("logit_not_number", got=got), (code,))
    expected = p - y
    if math.isclose(value, expected, abs_tol=1e-6):
        return Feedback(True, _t("logit_right", p=float(f"{p:g}"), y=float(f"{y:g}"), expected=float(f"{expected:g}")))
    if math.isclose(value, -expected, abs_tol=1e-6):
        return Feedback(False, _t("logit_sign"), ("sign",))
    if math.isclose(value, p * (1 - p), abs_tol=1e-6):
        return Feedback(False, _t("logit_sigmoid"), ("sigmoid_only",))
    slips = (  # (the slip's number, mistake code, hint key); rounded to two decimals it still counts
        (2 * expected, "factor", "logit_factor"),
        (expected / 2, "factor", "logit_factor"),
        (-math.log(p if y else 1 - p), "loss_not_gradient", "logit_loss"),
        (-math.log(1 - p if y else p), "loss_not_gradient", "logit_loss"),
        (expected / (p * (1 - p)), "gradient_wrt_p", "logit_wrt_p"),
    )
    for wrong, code, key in slips:
        if not math.isclose(wrong, expected, abs_tol=0.005) and math.isclose(value, wrong, abs_tol=0.005):
            return Feedback(False, _t(key), (code,))
    return Feedback(False, _t("logit_other"), ("other",))


ATTENTION_EXERCISE = ("Ele", "viu", "cada", "gata", "pret-")


@_answers
def check_attention_target(token, language=DEFAULT_LANGUAGE) -> Feedback:
    """Exercise: in "Ele viu cada gata pret-", which token must the adjective attend to?"""
    hints = {  # the sentence's words, as typed: Portuguese in both editions
        "gata": (True, "target_right"),
        "ele": (False, "target_ele"),
        "cada": (False, "target_cada"),
        "pret-": (False, "target_stem"),
        "viu": (False, "target_viu"),
    }
    if token is None:
        return Feedback(False, _t("target_unanswered"), ("unanswered",))
    correct, key = hints.get(str(token).strip().lower(), (False, "target_other"))
    return Feedback(correct, _t(key, words=ATTENTION_EXERCISE), () if correct else ("wrong_token",))
