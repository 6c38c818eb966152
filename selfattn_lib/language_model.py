"""A tiny one-layer language model in numpy: why a language model needs the causal mask.

For a sentence of word indices w_0 .. w_n (w_0 = "<s>"), the model reads w_0 .. w_{n-1} and at
every position t predicts the next word w_{t+1}:
    X = E[w] + P                     (n, d)   word embedding + position (sinusoidal or learned)
    Q = X W_q, K = X W_k, V = X W_v  the chapter's self-attention, causal or not
    A = softmax(mask(Q K^T / sqrt(d_k))) V
    H = X + A                        (n, d)   the word itself plus what attention brought
    logits = H W_out + b             (n, vocabulary)
    loss = mean over positions of -log softmax(logits)[w_{t+1}]
Without the mask, position t can attend to t+1 and simply read the word it must predict: the
training loss falls far lower, and the model is useless when it generates, one word at a time,
because then the next word is not there yet. Every gradient is written out by hand; the
tests check them against central finite differences.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .attention import _flag, _preview, causal_mask, softmax
from .corpus import END, START, VOCABULARY, decode, encode, is_sentence, make_corpus
from .positions import check_count, learned_positions, positional_encoding
from .training import (
    check_finite_params,
    check_hyperparameters,
    combine_backward,
    guarded_step,
    guarded_update,
    project_backward,
    scores_backward,
    softmax_backward,
)

__all__ = [
    "LMParams",
    "init_lm",
    "LMForward",
    "lm_forward",
    "lm_loss_and_gradients",
    "LMTraining",
    "train_lm",
    "prefix_loss",
    "generate",
    "LMExperiment",
    "run_lm_experiment",
    "share_of_sentences",
]


@dataclass(frozen=True, eq=False)
class LMParams:
    E: np.ndarray  # (vocabulary, d)  one embedding row per word
    P: np.ndarray  # (n, d)  positions: sinusoidal (fixed) or a learned table
    W_q: np.ndarray  # (d, d_k)
    W_k: np.ndarray  # (d, d_k)
    W_v: np.ndarray  # (d, d)
    W_out: np.ndarray  # (d, vocabulary)
    b: np.ndarray  # (vocabulary,)
    learned_positions: bool = False

    NAMES = ("E", "P", "W_q", "W_k", "W_v", "W_out", "b")

    def items(self):
        return [(name, getattr(self, name)) for name in self.NAMES]

    def trained_names(self):
        return [name for name in self.NAMES if name != "P" or self.learned_positions]

    def replace(self, **arrays) -> LMParams:
        values = {name: arrays.get(name, value) for name, value in self.items()}
        return LMParams(**values, learned_positions=self.learned_positions)


def init_lm(rng, vocabulary: int, n: int, d: int = 12, d_k: int = 12, positions="sinusoidal", scale=0.3) -> LMParams:
    """Random small weights; positions "sinusoidal" (fixed) or "learned" (a trained table)."""
    vocabulary, n, d, d_k = (
        check_count(v, name) for v, name in ((vocabulary, "vocabulary"), (n, "n"), (d, "d"), (d_k, "d_k"))
    )
    if positions not in ("sinusoidal", "learned"):
        raise ValueError(f"positions must be 'sinusoidal' or 'learned'; got {positions!r}")
    learned = positions == "learned"
    return LMParams(
        E=rng.normal(0.0, scale, (vocabulary, d)),
        P=learned_positions(rng, n, d) if learned else positional_encoding(n, d),
        W_q=rng.normal(0.0, scale, (d, d_k)),
        W_k=rng.normal(0.0, scale, (d, d_k)),
        W_v=rng.normal(0.0, scale, (d, d)),
        W_out=rng.normal(0.0, scale, (d, vocabulary)),
        b=np.zeros(vocabulary),
        learned_positions=learned,
    )


@dataclass(frozen=True, eq=False)
class LMForward:
    words: np.ndarray  # (B, n) the input word indices
    X: np.ndarray  # (B, n, d)
    Q: np.ndarray
    K: np.ndarray
    V: np.ndarray
    weights: np.ndarray  # (B, n, n)
    H: np.ndarray  # (B, n, d)
    log_probs: np.ndarray  # (B, n, vocabulary) log P(next word)

    @property
    def probs(self) -> np.ndarray:
        return np.exp(self.log_probs)


def _word_rows(params: LMParams, rows, name: str, columns: int):
    """`rows` as a 2-D int array of word indices (B, >= columns), or a ValueError naming `name`."""
    expected = (
        f"{name} must be a 2-D array of word indices (whole numbers from 0 to "
        f"{len(params.E) - 1}), one sentence per row"
    )
    try:
        array = np.asarray(rows)
    except (ValueError, TypeError):  # numpy 2 refuses ragged nested lists
        array = None
    if array is None or array.dtype.kind not in "iu" or array.ndim != 2:
        got = (
            f"shape {array.shape}, type {array.dtype}"
            if array is not None and array.dtype != object
            else _preview(rows)
        )
        raise ValueError(f"{expected}; got {got}")
    if array.shape[0] < 1 or array.shape[1] < columns:
        need = "at least one sentence" + (f" of at least {columns} words (a word and the next)" if columns > 1 else "")
        raise ValueError(f"{expected}, and {need}; got shape {array.shape}")
    outside = (array < 0) | (array >= len(params.E))
    if outside.any():
        b, t = (int(k) for k in np.argwhere(outside)[0])
        raise ValueError(f"{expected}; got {array[b, t]} at row {b}, column {t}")
    return array


def _check_sentences(params: LMParams, sentences):
    """Sentences (B, n+1): each row gives inputs w_0..w_{n-1} and the words to predict w_1..w_n."""
    if not isinstance(params, LMParams):
        raise ValueError(f"params must be an LMParams (from init_lm); got {type(params).__name__}")
    return _word_rows(params, sentences, "sentences", columns=2)


def lm_forward(params: LMParams, words, causal=True) -> LMForward:
    """The model on a batch of word-index rows (B, n), n at most the position table's rows."""
    causal = _flag(causal, "causal")
    if not isinstance(params, LMParams):
        raise ValueError(f"params must be an LMParams (from init_lm); got {type(params).__name__}")
    words = _word_rows(params, words, "words", columns=1)
    n = words.shape[1]
    if n > len(params.P):
        raise ValueError(f"sequences can be at most {len(params.P)} words long (the position table's rows); got {n}")
    X = params.E[words] + params.P[:n]  # (B, n, d)
    Q, K, V = X @ params.W_q, X @ params.W_k, X @ params.W_v
    scores = Q @ np.swapaxes(K, -1, -2) / math.sqrt(Q.shape[-1])
    weights = softmax(scores, causal_mask(n) if causal else None)
    H = X + weights @ V
    logits = H @ params.W_out + params.b  # (B, n, vocabulary)
    # log softmax, stable: subtract each row's largest logit before exp (changes nothing)
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return LMForward(words, X, Q, K, V, weights, H, log_probs)


def _cross_entropy(log_probs, targets) -> float:
    return float(-np.mean(np.take_along_axis(log_probs, targets[..., None], axis=-1)))


def lm_loss_and_gradients(params: LMParams, sentences, causal=True):
    """Mean next-word cross-entropy on `sentences` (B, n+1) and the gradient of each parameter."""
    causal = _flag(causal, "causal")
    loss, grads, _ = _loss_gradients_forward(params, _check_sentences(params, sentences), causal)
    return loss, grads


def _loss_gradients_forward(params, sentences, causal):
    inputs, targets = sentences[:, :-1], sentences[:, 1:]
    fwd = lm_forward(params, inputs, causal)
    loss = _cross_entropy(fwd.log_probs, targets)
    B, n = inputs.shape
    dlogits = fwd.probs.copy()  # softmax + cross-entropy: p - onehot
    np.put_along_axis(
        dlogits, targets[..., None], np.take_along_axis(dlogits, targets[..., None], axis=-1) - 1.0, axis=-1
    )
    dlogits /= B * n
    dW_out = project_backward(fwd.H, dlogits)
    db = dlogits.reshape(-1, dlogits.shape[-1]).sum(axis=0)
    dH = dlogits @ params.W_out.T  # (B, n, d)
    dweights, dV = combine_backward(dH, fwd.weights, fwd.V)  # H = X + A: A gets dH as it is
    dscores = softmax_backward(dweights, fwd.weights)
    dQ, dK = scores_backward(dscores, fwd.Q, fwd.K)
    # X reaches the loss four ways: directly (residual) and through Q, K and V
    dX = dH + dQ @ params.W_q.T + dK @ params.W_k.T + dV @ params.W_v.T
    dE = np.zeros_like(params.E)
    np.add.at(dE, inputs, dX)  # a word used twice adds up
    dP = np.zeros_like(params.P)
    if params.learned_positions:
        dP[:n] = dX.sum(axis=0)
    grads = params.replace(
        E=dE,
        P=dP,
        W_q=project_backward(fwd.X, dQ),
        W_k=project_backward(fwd.X, dK),
        W_v=project_backward(fwd.X, dV),
        W_out=dW_out,
        b=db,
    )
    return loss, grads, fwd


@dataclass(frozen=True, eq=False)
class LMTraining:
    params: LMParams
    causal: bool
    losses: np.ndarray  # (steps,) loss on each step's batch, before its update
    final_loss: float  # loss on the whole training set after the last step


def train_lm(params: LMParams, sentences, causal=True, steps=300, lr=0.03, batch_size=100, seed=0) -> LMTraining:
    """Adam on random batches of `batch_size` sentences (drawn from `seed`: same seed, same run).

    Adam is gradient descent with a step size per weight, so embeddings and attention learn
    at a similar pace; batches keep each step cheap. The arguments are checked as train()'s are
    (training.check_hyperparameters); if the loss or the parameters stop being finite, a
    TrainingDiverged names the step (`.run`: the steps before).
    """
    check_finite_params(params, LMParams, "init_lm")
    sentences = _check_sentences(params, sentences)
    steps, lr, causal = check_hyperparameters(steps, lr, causal=causal)
    batch_size = check_count(batch_size, "batch_size")
    rng = np.random.default_rng(seed)
    names = params.trained_names()
    m = {name: np.zeros_like(getattr(params, name)) for name in names}
    v = {name: np.zeros_like(getattr(params, name)) for name in names}
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    losses = []

    def partial_run():  # the steps before; no final loss, since the run did not finish
        return LMTraining(params, causal, np.array(losses), math.nan)

    for step in range(steps):
        batch = sentences[rng.choice(len(sentences), min(batch_size, len(sentences)), replace=False)]
        loss, grads, _ = guarded_step(step, lr, partial_run, _loss_gradients_forward, params, batch, causal)
        losses.append(loss)
        new = {}
        with np.errstate(all="ignore"):  # a non-finite update is reported just below
            for name in names:
                g = getattr(grads, name)
                m[name] = beta1 * m[name] + (1 - beta1) * g
                v[name] = beta2 * v[name] + (1 - beta2) * g * g
                m_hat = m[name] / (1 - beta1 ** (step + 1))
                v_hat = v[name] / (1 - beta2 ** (step + 1))
                new[name] = getattr(params, name) - lr * m_hat / (np.sqrt(v_hat) + eps)
        guarded_update(step, lr, partial_run, new.values())
        params = params.replace(**new)
    (final,) = guarded_step(
        steps,
        lr,
        partial_run,
        lambda: (_cross_entropy(lm_forward(params, sentences[:, :-1], causal).log_probs, sentences[:, 1:]),),
    )
    return LMTraining(params, causal, np.array(losses), final)


def prefix_loss(params: LMParams, sentences, causal=True) -> float:
    """Next-word loss when each prediction sees only the words before it, as in generation.

    Word t+1 is predicted from the model run on w_0 .. w_t alone (the last position's output).
    For a causal model this equals the training loss; without the mask it does not.
    """
    causal = _flag(causal, "causal")
    sentences = _check_sentences(params, sentences)
    total, count = 0.0, 0
    for t in range(1, sentences.shape[1]):
        log_probs = lm_forward(params, sentences[:, :t], causal).log_probs[:, -1]  # (B, vocab)
        total += -log_probs[np.arange(len(sentences)), sentences[:, t]].sum()
        count += len(sentences)
    return float(total / count)


def generate(params: LMParams, prompt, rng, causal=True, max_words=None) -> list:
    """Sample word after word (each from the model run on all the words so far) until "."."""
    words = list(prompt)
    if not words or words[0] != START:
        words = [START] + words
    indices = list(encode(words))
    limit = len(params.P) + 1 if max_words is None else max_words
    while len(indices) < limit and decode(indices[-1:]) != [END]:
        probs = lm_forward(params, np.array([indices]), causal).probs[0, -1]
        # inverse-CDF sampling with one uniform number: same rng, same words
        choice = int(np.searchsorted(np.cumsum(probs), rng.random() * probs.sum()))
        indices.append(min(choice, len(probs) - 1))
    return decode(indices)


@dataclass(frozen=True, eq=False)
class LMExperiment:
    train_sentences: list
    test_sentences: list
    causal: LMTraining
    unmasked: LMTraining


def run_lm_experiment(
    seed=0, train_size=1000, test_size=200, steps=300, lr=0.03, d=12, d_k=12, positions="sinusoidal", batch_size=100
) -> LMExperiment:
    """The same corpus and the same initial weights, trained once with the mask, once without."""
    train_sentences = make_corpus(train_size, seed=seed)
    test_sentences = make_corpus(test_size, seed=seed + 1)
    data = np.array([encode(s) for s in train_sentences])
    initial = init_lm(np.random.default_rng(seed), len(VOCABULARY), data.shape[1] - 1, d, d_k, positions)
    return LMExperiment(
        train_sentences,
        test_sentences,
        train_lm(initial, data, True, steps, lr, batch_size, seed),
        train_lm(initial, data, False, steps, lr, batch_size, seed),
    )


def share_of_sentences(samples) -> float:
    """Share of generated word lists that are sentences of the grammar."""
    return float(np.mean([is_sentence(s) for s in samples]))
