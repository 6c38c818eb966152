"""The training notebook's library: gradients against finite differences, the toy data, and
that training from a fixed seed finds the known attention pattern (adjective -> its noun)."""

import math

import numpy as np
import pytest

from selfattn_lib import self_attention
from selfattn_lib import training as T
from selfattn_lib.attention import causal_mask, softmax

H = 1e-6  # central differences in float64: error ~ H^2 * f''' plus rounding ~ 1e-16 / H


def numeric_gradient(f, x):
    """dL/dx by central differences, one entry of x at a time (x is changed and restored)."""
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + H
        up = f()
        x[index] = old - H
        down = f()
        x[index] = old
        grad[index] = (up - down) / (2 * H)
    return grad


def assert_close(analytic, numeric):
    assert analytic.shape == numeric.shape
    assert np.allclose(analytic, numeric, rtol=1e-5, atol=1e-8), np.abs(analytic - numeric).max()


@pytest.fixture(scope="module")
def small():
    """A handful of sentences and random (not small) parameters, so every path carries gradient."""
    rng = np.random.default_rng(1)
    lexicon = T.make_lexicon(rng)
    data = T.make_dataset(rng, lexicon, 6)
    params = T.init_params(rng, scale=0.7)
    return data, params


# --- each backward step against finite differences of its own forward step -----------------


def test_softmax_backward_matches_finite_differences_and_blocks_the_mask():
    rng = np.random.default_rng(2)
    n = 5
    mask = causal_mask(n)
    scores = rng.normal(size=(3, n, n))
    upstream = rng.normal(size=(3, n, n))  # L = sum(upstream * weights)
    weights = softmax(scores, mask)
    analytic = T.softmax_backward(upstream, weights)
    numeric = numeric_gradient(lambda: float(np.sum(upstream * softmax(scores, mask))), scores)
    assert_close(analytic, numeric)
    # masked scores: changing them changes nothing, and the hand-written gradient is exactly 0
    assert np.all(numeric[:, ~mask] == 0.0)
    assert np.all(analytic[:, ~mask] == 0.0)


def test_scores_backward_matches_finite_differences():
    rng = np.random.default_rng(3)
    Q, K = rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 4, 3))
    upstream = rng.normal(size=(2, 4, 4))

    def loss():
        return float(np.sum(upstream * (Q @ np.swapaxes(K, -1, -2)) / math.sqrt(3)))

    dQ, dK = T.scores_backward(upstream, Q, K)
    assert_close(dQ, numeric_gradient(loss, Q))
    assert_close(dK, numeric_gradient(loss, K))


def test_combine_and_project_backward_match_finite_differences():
    rng = np.random.default_rng(4)
    weights = softmax(rng.normal(size=(2, 4, 4)), causal_mask(4))
    X, W = rng.normal(size=(2, 4, 5)), rng.normal(size=(5, 3))
    upstream = rng.normal(size=(2, 4, 3))

    def combined():
        return float(np.sum(upstream * (weights @ (X @ W))))

    dweights, dV = T.combine_backward(upstream, weights, X @ W)
    assert_close(dweights, numeric_gradient(combined, weights))
    assert_close(T.project_backward(X, dV), numeric_gradient(combined, W))


def test_readout_backward_matches_finite_differences(small):
    data, params = small
    fwd = T.forward(params, data.X, data.adjective)
    output = fwd.output.copy()
    w_out, b_out = params.w_out.copy(), params.b_out.copy()

    def loss():
        read = output[np.arange(len(data)), data.adjective]
        p = 1 / (1 + np.exp(-(read @ w_out + b_out)))
        return T.bce_loss(p, data.y)

    doutput, dw_out, db_out = T.readout_backward(fwd, data.y, params.w_out)
    assert_close(doutput, numeric_gradient(loss, output))
    assert_close(dw_out, numeric_gradient(loss, w_out))
    assert_close(db_out, numeric_gradient(loss, b_out))


# --- the whole chain: every parameter's gradient --------------------------------------------


@pytest.mark.parametrize("name", T.Params.NAMES)
def test_every_parameter_gradient_matches_finite_differences(small, name):
    data, params = small
    params = params.copy()
    _, grads = T.loss_and_gradients(params, data)
    numeric = numeric_gradient(lambda: T.loss_and_gradients(params, data)[0], getattr(params, name))
    assert np.abs(numeric).max() > 1e-4  # the check means something: this gradient is not ~0
    assert_close(getattr(grads, name), numeric)


def test_future_words_get_no_gradient_and_do_not_change_the_loss(small):
    data, params = small
    # in "O gato pret- correu rapidamente" the verb and adverb come after the adjective
    late = [b for b in range(len(data)) if data.adjective[b] == 2]
    assert late
    loss, grads = T.loss_and_gradients(params, data)
    X = data.X.copy()
    X[late, 3:] += 10.0
    moved = T.Dataset(data.tokens, X, data.y, data.noun, data.adjective)
    loss_moved, grads_moved = T.loss_and_gradients(params, moved)
    assert loss_moved == pytest.approx(loss, abs=1e-12)
    for name in T.Params.NAMES:
        assert np.allclose(getattr(grads_moved, name), getattr(grads, name), atol=1e-12)


# --- the forward pass against the library's own self-attention --------------------------------


def test_forward_matches_self_attention_sentence_by_sentence(small):
    data, params = small
    fwd = T.forward(params, data.X, data.adjective)
    for b in range(len(data)):
        reference = self_attention(data.X[b], params.W_q, params.W_k, params.W_v)
        assert np.allclose(fwd.weights[b], reference.weights)
        a = reference.output[data.adjective[b]]
        logit = sum(a[k] * params.w_out[k] for k in range(len(a))) + float(params.b_out)
        assert fwd.p[b] == pytest.approx(1 / (1 + math.exp(-logit)))


# --- the toy data ------------------------------------------------------------------------------


def test_sentences_agree_and_the_answer_is_in_the_noun():
    rng = np.random.default_rng(5)
    lexicon = T.make_lexicon(rng)
    data = T.make_dataset(rng, lexicon, 200)
    assert set(data.adjective) == {2, 4}  # both sentence patterns occur
    for b, words in enumerate(data.tokens):
        noun, adjective = words[data.noun[b]], words[data.adjective[b]]
        feminine = lexicon.gender(noun) < 0
        assert data.y[b] == float(feminine)
        assert adjective.endswith("-") and lexicon.gender(adjective) == 0
        determiner = words[data.noun[b] - 1]
        assert lexicon.gender(determiner) in (0, lexicon.gender(noun))  # "O gata" never occurs
        assert data.answer(b).split()[data.adjective[b]] == adjective[:-1] + ("a" if feminine else "o")
    # both hard cases occur: a determiner with no gender, and a subject of the other gender
    assert any(lexicon.gender(w[data.noun[b] - 1]) == 0 for b, w in enumerate(data.tokens))
    assert any(
        data.adjective[b] == 4 and lexicon.gender(w[0]) != lexicon.gender(w[3]) for b, w in enumerate(data.tokens)
    )


def test_held_out_words_never_appear_in_training_and_each_test_sentence_has_one():
    e = T.run_experiment(seed=0, steps=0)
    held_out = {w for pair in T.HELD_OUT_NOUNS for w in pair}
    held_out |= {stem + "-" for stem in T.HELD_OUT_ADJECTIVES}
    assert not any(held_out & set(words) for words in e.train_set.tokens)
    assert all(held_out & set(words) for words in e.test_set.tokens)
    # the chapter's sentence is made of held-out words: the model never saw it
    assert {"gato", "pret-"} <= held_out


def test_experiment_is_deterministic_and_leaves_the_global_rng_alone():
    np.random.seed(123)
    before = np.random.random()
    np.random.seed(123)
    a = T.run_experiment(seed=3, steps=5)
    b = T.run_experiment(seed=3, steps=5)
    assert np.random.random() == before
    assert a.train_set.tokens == b.train_set.tokens
    assert np.array_equal(a.run.losses, b.run.losses)
    for name in T.Params.NAMES:
        assert np.array_equal(getattr(a.run.params, name), getattr(b.run.params, name))


# --- training finds the known pattern ----------------------------------------------------------

# Threshold 0.5: the noun then gets more weight than all the other visible words together,
# so "the adjective attends mostly to its noun" holds. Before training, attention is close to
# uniform: 1/3 for the chapter's sentence (3 visible words), 1/5 in "Ela viu o gato pret-".
THRESHOLD = 0.5


@pytest.fixture(scope="module")
def trained():
    return T.run_experiment(seed=0)


def test_training_lowers_the_loss_and_learns_to_attend_to_the_noun(trained):
    run = trained.run
    assert run.losses[0] == pytest.approx(math.log(2), abs=0.02)  # small weights: p ~ 1/2
    assert run.final_loss < 0.01
    assert [s.step for s in run.snapshots] == list(T.SAVE_AT)
    before = T.evaluate(trained.initial, trained.test_set)
    after = T.evaluate(run.params, trained.test_set)
    assert before["noun_attention_mean"] < 0.35
    assert after["noun_attention_min"] > THRESHOLD  # every held-out sentence, not just on average
    assert after["accuracy"] == 1.0


def test_the_chapter_sentence_adjective_attends_mostly_to_gato(trained):
    lexicon, params = trained.lexicon, trained.run.params
    X = lexicon.embed(T.CHAPTER_INPUT)
    before = T.attention_result(trained.initial, X).weights[2]
    after = T.attention_result(params, X).weights[2]
    assert abs(before[1] - 1 / 3) < 0.05
    assert after[1] > THRESHOLD and after[1] == after.max()
    assert np.all(after[3:] == 0.0)  # the causal mask: correu, rapidamente are never seen
    assert T.predict(params, X, 2) < 0.5  # "preto", not "preta"
    # and with the feminine noun, the same layer says "preta"
    X_f = lexicon.embed(("A", "gata", "pret-", "correu", "rapidamente"))
    assert T.predict(params, X_f, 2) > 0.5


def test_a_subject_of_the_other_gender_does_not_mislead_the_trained_layer(trained):
    lexicon, params = trained.lexicon, trained.run.params
    X = lexicon.embed(("Ele", "viu", "cada", "gata", "pret-"))
    weights = T.attention_result(params, X).weights[4]
    assert weights[3] > THRESHOLD and weights[3] > 5 * weights[0]
    assert T.predict(params, X, 4) > 0.5  # "preta"


# --- exercise checks ---------------------------------------------------------------------------


def test_check_softmax_backward_accepts_right_answers_and_names_mistakes():
    def right(dweights, weights):
        return weights * (dweights - (dweights * weights).sum(axis=1, keepdims=True))

    assert T.check_softmax_backward(right)
    assert T.check_softmax_backward(lambda d, w: -right(d, w)).mistakes == ("sign",)
    assert T.check_softmax_backward(lambda d, w: w * d).mistakes == ("diagonal_only",)
    assert T.check_softmax_backward(lambda d, w: None).mistakes == ("unanswered",)
    assert T.check_softmax_backward(None).message.startswith("Not answered yet")
    assert T.check_softmax_backward(lambda d, w: 1 / 0).mistakes == ("error",)
    assert T.check_softmax_backward(lambda d, w: d[:2]).mistakes == ("shape",)
    # a gradient leaking into the masked (future) cells
    assert T.check_softmax_backward(lambda d, w: right(d, w) + 0.1).mistakes == ("future",)


def test_check_logit_gradient():
    assert T.check_logit_gradient(-0.2)
    assert T.check_logit_gradient(0.2).mistakes == ("sign",)
    assert T.check_logit_gradient(0.16).mistakes == ("sigmoid_only",)
    assert T.check_logit_gradient(None).mistakes == ("unanswered",)
    assert T.check_logit_gradient("x").mistakes == ("not_numbers",)
    assert not T.check_logit_gradient(0.5)


def test_check_attention_target_agrees_with_the_trained_layer(trained):
    assert T.check_attention_target("gata")
    assert T.check_attention_target(" Gata ")
    for wrong in ("Ele", "viu", "cada", "pret-", "gato"):
        assert not T.check_attention_target(wrong)
    assert T.check_attention_target(None).mistakes == ("unanswered",)
    # the answer the check accepts is where the trained layer puts most of the weight
    X = trained.lexicon.embed(T.ATTENTION_EXERCISE)
    weights = T.attention_result(trained.run.params, X).weights[4]
    assert T.ATTENTION_EXERCISE[int(weights.argmax())] == "gata"


def test_the_learned_matrices_read_as_the_notebook_says(trained):
    """Notebook 08 explains the final matrices by three rows; check that reading holds."""
    final = trained.run.params
    row = {name: k for k, name in enumerate(T.FEATURES)}
    W_q, W_k, W_v = np.abs(final.W_q), final.W_k, np.abs(final.W_v)
    r, c = np.unravel_index(W_q.argmax(), W_q.shape)
    assert r == row["adj"]  # the adjective's query is the largest entry of W^Q
    assert np.unravel_index(np.abs(W_k).argmax(), W_k.shape) == (row["noun"], c)  # the noun's key, same column
    q_adj = final.W_q[row["adj"]]
    # the noun's key row points along the adjective's query; person and adj rows against it
    assert W_k[row["noun"]] @ q_adj > 0
    assert W_k[row["person"]] @ q_adj < 0 and W_k[row["adj"]] @ q_adj < 0
    assert np.unravel_index(W_v.argmax(), W_v.shape)[0] == row["gender"]
    assert W_v[row["gender"]].sum() > 2 * np.delete(W_v, row["gender"], axis=0).sum(axis=1).max()


def test_at_step_0_the_values_learn_first(trained):
    """Notebook 08: at step 0, dL/dW^Q and dL/dW^K are at least 100 times smaller than dL/dW^V."""
    _, grads = T.loss_and_gradients(trained.initial, trained.train_set)
    largest = {name: np.abs(getattr(grads, name)).max() for name in ("W_q", "W_k", "W_v")}
    assert largest["W_v"] > 100 * max(largest["W_q"], largest["W_k"])


def test_easy_data_teaches_no_attention(trained):
    """Notebook 08: with no neutral determiners and no subjects, the task is solved by a blend
    of the visible words; attention stays near uniform and the hard test is no longer perfect."""
    easy = T.run_experiment(seed=0, neutral_share=0.0, seeing_share=0.0)
    assert T.evaluate(easy.run.params, easy.test_set)["accuracy"] == 1.0
    hard = T.evaluate(easy.run.params, trained.test_set)
    assert hard["noun_attention_mean"] < 0.4 < THRESHOLD
    assert hard["accuracy"] < 1.0
    X = easy.lexicon.embed(T.CHAPTER_INPUT)
    assert abs(T.attention_result(easy.run.params, X).weights[2, 1] - 1 / 3) < 0.1
