"""Issue 14: train() refuses bad hyperparameters and stops, saying at which step, when it diverges."""

import warnings

import numpy as np
import pytest

from selfattn_lib import training as T

E = T.run_experiment(seed=0, steps=0)


def _train(**kwargs):
    args = {"params": E.initial, "data": E.train_set, "steps": 3, "lr": 1.0}
    args.update(kwargs)
    return T.train(args.pop("params"), args.pop("data"), **args)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"lr": float("nan")}, ["lr", "nan"]),
        ({"lr": float("inf")}, ["lr", "inf"]),
        ({"lr": -0.5}, ["lr", "above 0", "-0.5"]),
        ({"lr": 0}, ["lr", "above 0"]),
        ({"lr": 1e6}, ["lr", "at most", "1000000.0"]),
        ({"lr": 10**400}, ["lr", "at most"]),
        ({"lr": "0.1"}, ["lr", "number", "'0.1'"]),
        ({"lr": None}, ["lr", "None"]),
        ({"lr": True}, ["lr", "True"]),
        ({"lr": 1j}, ["lr", "number"]),
        ({"steps": 2.5}, ["steps", "whole number", "2.5"]),
        ({"steps": "10"}, ["steps", "whole number", "'10'"]),
        ({"steps": -1}, ["steps", "between 0", "-1"]),
        ({"steps": 10**9}, ["steps", "between 0"]),
        ({"steps": True}, ["steps", "whole number"]),
        ({"save_at": 5}, ["save_at"]),
        ({"save_at": [1.5]}, ["save_at"]),
        ({"save_at": [-1]}, ["save_at"]),
        ({"params": None}, ["params", "Params"]),
        ({"data": [1, 2]}, ["data", "Dataset"]),
        ({"params": T.Params(*(np.full_like(v, np.nan) for _, v in E.initial.items()))}, ["params.W_q", "finite"]),
    ],
)
def test_bad_hyperparameters_are_refused_by_name(kwargs, words):
    with pytest.raises(ValueError) as info:
        _train(**kwargs)
    for word in words:
        assert word in str(info.value), (word, str(info.value))


def test_a_diverging_run_stops_with_the_step_not_nan_parameters():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning escapes either
        with pytest.raises(T.TrainingDiverged) as info:
            _train(steps=400, lr=100.0)
    message = str(info.value)
    step = int(message.split("training stopped at step ")[1].split(":")[0])
    assert 0 < step < 400 and "lr = 100" in message and "smaller learning rate" in message
    run = info.value.run  # the steps before: finite numbers only
    assert len(run.losses) == step + 1 and np.isfinite(run.losses).all()
    assert all(np.isfinite(v).all() for _, v in run.params.items())


def test_numpy_numbers_are_fine_hyperparameters():
    run = _train(steps=np.int64(2), lr=np.float32(0.5), save_at=np.array([0, 2]))
    assert run.steps == 2 and [s.step for s in run.snapshots] == [0, 2]


@pytest.mark.parametrize(
    "fn",
    [
        lambda d, w: (w * (d - (w * d).sum(-1, keepdims=True))) + 0j,  # right numbers, complex type
        lambda d, w: [[10**400] * 4] * 4,
        lambda d, w: "dscores",
        lambda d, w: np.full((4, 4), np.nan),
        42,
    ],
)
def test_softmax_backward_check_answers_anything(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        feedback = T.check_softmax_backward(fn)
    assert not feedback.correct and feedback.message


@pytest.mark.parametrize("value", [10**400, float("nan"), float("inf"), 1j, "-0.2", True, [0.1]])
def test_logit_gradient_check_answers_anything(value):
    feedback = T.check_logit_gradient(value)
    assert not feedback.correct and feedback.message
