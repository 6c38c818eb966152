"""The tiny language model: corpus, hand gradients vs finite differences, the mask's effect."""

import math
from collections import Counter, defaultdict

import numpy as np
import pytest
from gradcheck import numeric_gradient

from selfattn_lib import corpus, self_attention
from selfattn_lib import language_model as lm


def test_corpus_is_seeded_and_grammatical():
    a, b = corpus.make_corpus(300, seed=5), corpus.make_corpus(300, seed=5)
    assert a == b and a != corpus.make_corpus(300, seed=6)
    assert all(len(s) == 7 and corpus.is_sentence(s) for s in a)
    assert all(w in corpus.VOCABULARY for s in a for w in s)
    assert len(set(corpus.VOCABULARY)) == len(corpus.VOCABULARY)


@pytest.mark.parametrize(
    "words",
    [
        "<s> o gata dormiu ontem cansada .",  # determiner disagrees with the noun
        "<s> o gato dormiu ontem cansada .",  # state disagrees with the noun three words back
        "<s> o gato viu o gato",  # no full stop
        "<s> o gato viu a gato .",  # object's determiner disagrees
        "<s> o gato dormiu o gato .",  # a resting verb with an object
        "<s> o gato .",
        "<s> gato o viu o cão .",
    ],
)
def test_is_sentence_rejects(words):
    assert not corpus.is_sentence(words.split())


def test_is_sentence_accepts_both_patterns():
    assert corpus.is_sentence("<s> a menina dormiu ontem cansada .".split())
    assert corpus.is_sentence("uma cadela seguiu o tio .".split())


def test_best_possible_loss_matches_counts_from_a_large_corpus():
    # Independent estimate: the conditional entropy of the next word given the whole prefix,
    # from the frequencies in 20000 generated sentences (the grammar's choices are uniform).
    sentences = corpus.make_corpus(20000, seed=1)
    total = 0.0
    for t in range(1, 7):
        by_prefix = defaultdict(Counter)
        for s in sentences:
            by_prefix[tuple(s[:t])][s[t]] += 1
        entropy = 0.0
        for counts in by_prefix.values():
            size = sum(counts.values())
            entropy += size * -sum(c / size * math.log(c / size) for c in counts.values())
        total += entropy / len(sentences)
    assert corpus.best_possible_loss() == pytest.approx(total / 6, abs=0.03)


def test_encode_names_unknown_words():
    with pytest.raises(ValueError, match="unknown \\['gatinho'\\]"):
        corpus.encode(["o", "gatinho"])


@pytest.fixture(scope="module", params=["sinusoidal", "learned"])
def small(request):
    rng = np.random.default_rng(2)
    sentences = np.array([corpus.encode(s) for s in corpus.make_corpus(5, seed=3)])
    params = lm.init_lm(rng, len(corpus.VOCABULARY), 6, d=4, d_k=3, positions=request.param, scale=0.8)
    return sentences, params


@pytest.mark.parametrize("causal", [True, False])
@pytest.mark.parametrize("name", lm.LMParams.NAMES)
def test_hand_gradients_match_central_finite_differences(small, name, causal):
    sentences, params = small
    _, grads = lm.lm_loss_and_gradients(params, sentences, causal)
    if name == "P" and not params.learned_positions:
        # sinusoidal positions are fixed: the loss still depends on them, but training must not
        # move them, so their "gradient" is reported as zero and they are not in trained_names
        assert (grads.P == 0).all() and "P" not in params.trained_names()
        return
    expected = numeric_gradient(lambda p: lm.lm_loss_and_gradients(p, sentences, causal)[0], params, name, h=1e-5)
    assert np.abs(expected).max() > 1e-5  # not comparing zeros
    np.testing.assert_allclose(getattr(grads, name), expected, rtol=1e-5, atol=1e-9)


def test_forward_attention_is_the_library_self_attention(small):
    sentences, params = small
    for causal in (True, False):
        fwd = lm.lm_forward(params, sentences[:, :-1], causal)
        for b in range(len(sentences)):
            r = self_attention(fwd.X[b], params.W_q, params.W_k, params.W_v, causal=causal)
            np.testing.assert_allclose(fwd.weights[b], r.weights, rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(fwd.H[b], fwd.X[b] + r.output, rtol=1e-12, atol=1e-14)


def test_causal_model_loss_equals_its_prefix_loss(small):
    # With the mask, position t never sees t+1, so running on the prefix changes nothing.
    sentences, params = small
    train = lm.lm_loss_and_gradients(params, sentences, True)[0]
    assert lm.prefix_loss(params, sentences, True) == pytest.approx(train, rel=1e-12)
    assert lm.prefix_loss(params, sentences, False) != pytest.approx(
        lm.lm_loss_and_gradients(params, sentences, False)[0], rel=1e-6
    )


def test_sequences_longer_than_the_position_table_are_refused(small):
    sentences, params = small
    with pytest.raises(ValueError, match="at most 6 words long"):
        lm.lm_forward(params, np.zeros((1, 7), dtype=int))


def test_bad_positions_kind():
    with pytest.raises(ValueError, match="positions must be 'sinusoidal' or 'learned'; got 'x'"):
        lm.init_lm(np.random.default_rng(0), 5, 4, positions="x")


@pytest.fixture(scope="module")
def experiment():
    return lm.run_lm_experiment()  # the notebook's run


def test_without_the_mask_the_training_loss_falls_far_lower(experiment):
    masked, unmasked = experiment.causal.final_loss, experiment.unmasked.final_loss
    best = corpus.best_possible_loss()
    assert best - 0.1 < masked < best + 0.1  # the masked model cannot beat the grammar
    assert unmasked < 0.1 * masked  # the unmasked one reads the answer


def test_without_the_mask_generation_fails(experiment):
    test = np.array([corpus.encode(s) for s in experiment.test_sentences])
    assert lm.prefix_loss(experiment.unmasked.params, test, False) > 3.0
    assert lm.prefix_loss(experiment.causal.params, test, True) < corpus.best_possible_loss() + 0.2
    samples = {}
    for run in (experiment.causal, experiment.unmasked):
        rng = np.random.default_rng(0)
        samples[run.causal] = [lm.generate(run.params, ["o", "gato"], rng, run.causal) for _ in range(40)]
    assert lm.share_of_sentences(samples[True]) >= 0.9
    assert lm.share_of_sentences(samples[False]) <= 0.1


def test_runs_are_deterministic():
    a = lm.run_lm_experiment(train_size=50, steps=5)
    b = lm.run_lm_experiment(train_size=50, steps=5)
    np.testing.assert_array_equal(a.causal.losses, b.causal.losses)
    np.testing.assert_array_equal(a.unmasked.params.E, b.unmasked.params.E)
