"""Two heads trained on two relations: hand gradients vs finite differences, data, and outcome."""

import numpy as np
import pytest
from gradcheck import numeric_gradient

from selfattn_lib import multi_head_attention
from selfattn_lib import multihead_training as mt
from selfattn_lib.training import make_lexicon


@pytest.fixture(scope="module")
def small():
    rng = np.random.default_rng(4)
    lexicon = make_lexicon(rng)
    data = mt.make_two_relation_data(rng, lexicon, 12)
    params = mt.init_head_params(rng, data.X.shape[-1], n_heads=2, d_k=2, d_v=3, scale=0.7)
    return data, params


@pytest.mark.parametrize("name", mt.HeadParams.NAMES)
def test_hand_gradients_match_central_finite_differences(small, name):
    data, params = small
    _, grads = mt.head_loss_and_gradients(params, data)
    expected = numeric_gradient(lambda p: mt.head_loss_and_gradients(p, data)[0], params, name)
    assert np.abs(expected).max() > 1e-4  # the check is not comparing zeros
    np.testing.assert_allclose(getattr(grads, name), expected, rtol=1e-5, atol=1e-8)


def test_forward_agrees_with_the_library_multi_head_attention(small):
    data, params = small
    fwd = mt.head_forward(params, data.X)
    for b in range(3):
        result = multi_head_attention(data.X[b], params.W_q, params.W_k, params.W_v, params.W_o, params.n_heads)
        np.testing.assert_allclose(fwd.concat[b], result.concat, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(fwd.logits[b], result.output[-1] + params.b, rtol=1e-12)
        np.testing.assert_allclose(fwd.weights[b], result.weights, rtol=1e-12, atol=1e-15)


def test_labels_follow_the_noun_and_the_subject(small):
    data, _ = small
    lexicon = make_lexicon(np.random.default_rng(4))
    for b, words in enumerate(data.tokens):
        assert words[4][:-1] in mt.NOUN_STEMS and words[5][:-1] in mt.SUBJECT_STEMS
        assert data.y[b, 0] == (lexicon.gender(words[3]) < 0)
        assert data.y[b, 1] == (lexicon.gender(words[0]) < 0)
    assert "cansad" not in mt.NOUN_STEMS


def test_same_seed_same_experiment():
    a = mt.run_two_relation_experiment(steps=5)
    b = mt.run_two_relation_experiment(steps=5)
    np.testing.assert_array_equal(a.run.losses, b.run.losses)
    assert a.train_set.tokens == b.train_set.tokens


@pytest.fixture(scope="module")
def trained():
    return mt.run_two_relation_experiment()  # the notebook's run: seed 2, 2 heads, 200 steps


def test_each_head_takes_one_relation(trained):
    params, test = trained.run.params, trained.test_set
    result = mt.evaluate_heads(params, test)
    assert result["accuracy"] == {"noun": 1.0, "subject": 1.0}
    attention = result["attention"]  # (head, [noun, subject])
    noun_head, subject_head = int(np.argmax(attention[:, 0])), int(np.argmax(attention[:, 1]))
    assert noun_head != subject_head
    assert attention[noun_head, 0] > 0.7 and attention[noun_head, 1] < 0.1
    assert attention[subject_head, 1] > 0.7 and attention[subject_head, 0] < 0.1
    # removing a head takes its relation to chance level and leaves the other one intact
    without_noun_head = mt.ablate_head(params, test, noun_head)
    without_subject_head = mt.ablate_head(params, test, subject_head)
    assert without_noun_head["noun"] < 0.7 and without_noun_head["subject"] == 1.0
    assert without_subject_head["subject"] < 0.7 and without_subject_head["noun"] == 1.0


def test_loss_falls_from_two_log_two(trained):
    assert trained.run.losses[0] == pytest.approx(2 * np.log(2), abs=0.01)
    assert trained.run.final_loss < 0.01


def test_exercise_feedback(trained):
    attention = mt.evaluate_heads(trained.run.params, trained.test_set)["attention"]
    subject_head = int(np.argmax(attention[:, 1]))
    from selfattn_lib.exercises_more import check_head_relation

    assert check_head_relation(subject_head, attention)
    wrong = check_head_relation(1 - subject_head, attention)
    assert not wrong and wrong.mistakes == ("wrong_head",)
    assert check_head_relation(None, attention).mistakes == ("unanswered",)
    assert check_head_relation(7, attention).mistakes == ("range",)
    assert check_head_relation("1", attention).mistakes == ("not_numbers",)


def test_bad_head_for_ablation(trained):
    with pytest.raises(ValueError, match="head must be from 0 to 1; got 2"):
        mt.ablate_head(trained.run.params, trained.test_set, 2)
