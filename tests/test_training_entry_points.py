"""Issue 26: every training entry point (train, train_heads, train_lm) makes the same argument
check as train() (issue 14) and stops, naming the step, when the loss stops being finite."""

import math
import warnings

import numpy as np
import pytest

from selfattn_lib import corpus
from selfattn_lib import language_model as lm
from selfattn_lib import multihead_training as mt
from selfattn_lib import training as T

RNG = np.random.default_rng(4)
LEXICON = T.make_lexicon(RNG)
TWO = mt.make_two_relation_data(RNG, LEXICON, 12)
HEADS = mt.init_head_params(RNG, TWO.X.shape[-1], n_heads=2, d_k=2, d_v=2)
ONE = T.make_dataset(RNG, LEXICON, 12)
SENTENCES = np.array([corpus.encode(s) for s in corpus.make_corpus(6, seed=3)])
LM = lm.init_lm(np.random.default_rng(2), len(corpus.VOCABULARY), SENTENCES.shape[1] - 1, d=4, d_k=3)


def run(entry, steps=2, lr=0.5, **more):
    if entry == "train":
        return T.train(T.init_params(np.random.default_rng(0)), ONE, steps=steps, lr=lr, **more)
    if entry == "train_heads":
        return mt.train_heads(HEADS, TWO, steps=steps, lr=lr, **more)
    return lm.train_lm(LM, SENTENCES, steps=steps, lr=lr, **more)


ENTRIES = ["train", "train_heads", "train_lm"]


@pytest.mark.parametrize("entry", ENTRIES)
@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"steps": -1}, ["steps", "between 0", "-1"]),
        ({"steps": 10**7}, ["steps", "between 0", str(T.MAX_STEPS)]),
        ({"steps": 2.5}, ["steps", "whole number", "2.5"]),
        ({"steps": "10"}, ["steps", "whole number", "'10'"]),
        ({"steps": True}, ["steps", "whole number"]),
        ({"lr": "0.1"}, ["lr", "number", "'0.1'"]),
        ({"lr": None}, ["lr", "None"]),
        ({"lr": True}, ["lr", "True"]),
        ({"lr": float("nan")}, ["lr", "nan"]),
        ({"lr": float("inf")}, ["lr", "inf"]),
        ({"lr": -1}, ["lr", "above 0", "-1"]),
        ({"lr": 0}, ["lr", "above 0"]),
        ({"lr": 1e6}, ["lr", "at most"]),
        ({"lr": 10**400}, ["lr", "at most"]),
    ],
)
def test_every_entry_point_refuses_the_same_bad_hyperparameters(entry, kwargs, words):
    with pytest.raises(ValueError) as info:
        run(entry, **kwargs)
    for word in words:
        assert word in str(info.value), (word, str(info.value))


@pytest.mark.parametrize("flag", ["False", None, 0, 1, "True", np.float64(1.0)])
def test_the_mask_flag_is_a_real_boolean(flag):
    # "False" used to train with the mask and report causal=True; None ran unmasked
    for call in (
        lambda: lm.train_lm(LM, SENTENCES, causal=flag, steps=1),
        lambda: lm.lm_forward(LM, SENTENCES[:, :-1], causal=flag),
        lambda: lm.lm_loss_and_gradients(LM, SENTENCES, causal=flag),
        lambda: lm.prefix_loss(LM, SENTENCES, causal=flag),
    ):
        with pytest.raises(ValueError, match=r"^causal must be True or False; got "):
            call()


def test_numpy_booleans_and_numbers_are_fine():
    done = lm.train_lm(LM, SENTENCES, causal=np.bool_(False), steps=np.int64(1), lr=np.float32(0.03))
    assert done.causal is False and len(done.losses) == 1
    assert mt.train_heads(HEADS, TWO, steps=np.int64(1), lr=np.float64(0.5)).losses.shape == (2,)


@pytest.mark.parametrize(
    "entry, huge",
    [
        ("train_heads", lambda: HEADS.replace(W_q=HEADS.W_q * 1e160, W_k=HEADS.W_k * 1e160)),
        ("train_lm", lambda: LM.replace(W_q=LM.W_q * 1e160, W_k=LM.W_k * 1e160)),
    ],
)
def test_a_loss_that_stops_being_finite_stops_training_naming_the_step(entry, huge):
    # finite weights whose scores overflow: the softmax used to say "scores must be finite ...
    # index (0,0,0,0)", naming neither the step nor the learning rate
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning escapes either
        with pytest.raises(T.TrainingDiverged) as info:
            if entry == "train_heads":
                mt.train_heads(huge(), TWO, steps=5, lr=0.5)
            else:
                lm.train_lm(huge(), SENTENCES, steps=5, lr=0.03)
    message = str(info.value)
    assert message.startswith("training stopped at step 0: ") and "lr = " in message
    assert len(info.value.run.losses) == 0


def test_train_heads_stops_at_the_step_its_updates_blow_up():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(T.TrainingDiverged) as info:
            mt.train_heads(HEADS, TWO, steps=2000, lr=T.MAX_LR)
    message = str(info.value)
    step = int(message.split("training stopped at step ")[1].split(":")[0])
    assert 0 < step < 2000 and "lr = 100" in message and "smaller learning rate" in message
    # the losses of the steps before (and of this one, when its update is what blew up)
    assert len(info.value.run.losses) in (step, step + 1)
    assert np.isfinite(info.value.run.losses).all()
    assert all(np.isfinite(v).all() for _, v in info.value.run.params.items())


@pytest.mark.parametrize(
    "bad, words",
    [
        (SENTENCES[:, :1], ["sentences", "at least 2"]),
        (SENTENCES[:0], ["sentences", "at least one"]),
        (SENTENCES.astype(float) + 0.5, ["sentences", "whole"]),
        (np.full_like(SENTENCES, len(corpus.VOCABULARY)), ["sentences", str(len(corpus.VOCABULARY) - 1)]),
        (np.full_like(SENTENCES, -1), ["sentences", "-1"]),
        ([[1, 2], [3]], ["sentences"]),
        ("abc", ["sentences"]),
    ],
)
def test_sentences_are_checked_before_any_arithmetic(bad, words):
    # a one-column batch used to end prefix_loss in ZeroDivisionError; -1 silently read the last word
    for call in (
        lambda: lm.prefix_loss(LM, bad),
        lambda: lm.train_lm(LM, bad, steps=1),
        lambda: lm.lm_loss_and_gradients(LM, bad),
    ):
        with pytest.raises(ValueError) as info:
            call()
        for word in words:
            assert word in str(info.value), (word, str(info.value))


@pytest.mark.parametrize(
    "shares, words",
    [
        ({"neutral_share": 5}, ["neutral_share", "between 0 and 1", "5"]),
        ({"seeing_share": float("nan")}, ["seeing_share", "nan"]),
        ({"seeing_share": -0.1}, ["seeing_share", "-0.1"]),
        ({"neutral_share": "0.5"}, ["neutral_share", "'0.5'"]),
        ({"neutral_share": None}, ["neutral_share", "None"]),
    ],
)
def test_run_experiment_refuses_shares_that_are_not_shares(shares, words):
    with pytest.raises(ValueError) as info:
        T.run_experiment(steps=0, **shares)
    for word in words:
        assert word in str(info.value), (word, str(info.value))


def test_shares_at_the_ends_are_fine():
    data = T.make_dataset(np.random.default_rng(1), LEXICON, 20, neutral_share=0, seeing_share=1)
    assert all(len(t) == 5 and t[1] in T.SEEING_VERBS for t in data.tokens)
    assert not any(t[2] in ("cada", "qualquer") for t in data.tokens)
    assert math.isfinite(mt.make_two_relation_data(np.random.default_rng(1), LEXICON, 5, neutral_share=1).y.sum())
