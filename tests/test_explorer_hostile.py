"""The explorer under hostile and careless input (issues 14 and 21). A refused action changes
nothing (`to_json()` before == after) and says why; both sides (the kernel's state.py and the
page's explorer.js, run in node) refuse the same files. The page's own behaviour in a browser:
test_explorer_page_browser.py."""

import json
import time

import pytest
from explorer_page_cases import run_page

from selfattn_lib import chapter_example
from selfattn_lib.explorer import AttentionExplorer, InputError
from selfattn_lib.explorer.state import ExplorerState


@pytest.fixture
def explorer():
    return AttentionExplorer()


def config_with(**changes) -> str:
    chapter = chapter_example()
    data = {
        "tokens": list(chapter.tokens),
        "X": chapter.X.tolist(),
        "W_q": chapter.W_q.tolist(),
        "W_k": chapter.W_k.tolist(),
        "W_v": chapter.W_v.tolist(),
        "causal": True,
        "scaled": True,
        "focus": 2,
    }
    data.update(changes)
    return json.dumps(data)


HOSTILE = {
    "deep nesting": "[" * 100_000 + "]" * 100_000,
    "deep in a matrix": config_with()[:-1] + ', "extra": ' + "[" * 50_000 + "]" * 50_000 + "}",
    "a number as X": config_with(X=5),
    "objects in X": config_with(X=[[{"a": 1}] * 4] * 3),
    "true in X": config_with(X=[[True, 1, 1, 1]] * 3),
    "a huge integer": config_with(W_v=[[10**400, 0, 0, 0]] * 4),
    "Infinity": config_with()[:-1].replace('"W_v": [[0.1', '"W_v": [[Infinity') + "}",
    "tokens of numbers": config_with(tokens=[1, 2, 3]),
    "tokens not a list": config_with(tokens="O gato preto"),
    "a 10,000 character token": config_with(tokens=["O", "g" * 10_000, "preto"]),
    "an invisible token": config_with(tokens=["O", "\u200b", "preto"]),
    "a right-to-left override": config_with(tokens=["O", "ga\u202eto", "preto"]),
    "focus as text": config_with(focus="1"),
    "focus as float": config_with(focus=1.5),
    "sizes beyond the limits": config_with(tokens=["t"] * 40, X=[[1.0] * 4] * 40),
    "good X, bad W_v": config_with(X=[[9.0, 9, 9, 9]] * 3, W_v=[[0.1, 0.2], [0.3]]),
    "five heads": config_with(n_heads=5),
    "positions as text": config_with(positions="yes"),
    "a list": "[1, 2]",
    "a string": '"hello"',
    "not JSON": "{'tokens': ['O']}",
}
# refused by the kernel after loading (validate), by the page too
TOO_LARGE = {"1.7e308 in W_v": config_with(W_v=[[1.7e308, 0, 0, 0]] * 4)}


@pytest.mark.parametrize("name", list(HOSTILE) + list(TOO_LARGE))
def test_a_hostile_configuration_changes_nothing_in_the_kernel(explorer, name):
    before = explorer.to_json()
    with pytest.raises(InputError):
        explorer.load_json({**HOSTILE, **TOO_LARGE}[name])
    assert explorer.to_json() == before


def test_the_page_refuses_the_same_configurations():
    cases = [{"op": "config", "text": text} for text in HOSTILE.values()]
    answers = run_page(cases)
    accepted = [name for name, answer in zip(HOSTILE, answers) if answer["ok"]]
    assert not accepted, accepted
    assert all(a["key"] in ("bad_config", "bad_json") for a in answers), [a["key"] for a in answers]


def test_the_page_reads_what_the_kernel_writes_and_back():
    state = ExplorerState.of(
        ["gato", "$x^2$", "R$5"],
        [[1, 2], [3, 4.5], [1e-7, -1e11]],
        [[1, 0], [0, 1]],
        [[0.5, 0], [0, 0.25]],
        [[1, 2], [3, 4]],
        causal=False,
        focus=1,
        n_heads=2,
        positions=True,
    )
    page = run_page([{"op": "config", "text": state.to_json()}, {"op": "toJson", "state": state.to_page()}])
    assert page[0]["ok"] and page[0]["value"] == {
        "tokens": state.tokens,
        "X": state.X.tolist(),
        "n_heads": 2,
        "focus": 1,
    }
    assert ExplorerState.from_json(page[1]["value"]) == state  # the page's file loads in the kernel


def test_a_75_megabyte_configuration_is_refused_within_a_second(explorer):
    before = explorer.to_json()
    huge = '{"tokens": [' + '"a", ' * 15_000_000 + '"a"]}'
    start = time.process_time()  # CPU time: the work done, however busy the machine is
    with pytest.raises(InputError, match="at most"):
        explorer.load_json(huge)
    assert time.process_time() - start < 1.0
    assert explorer.to_json() == before


def test_a_configuration_without_focus_loads(explorer):
    data = json.loads(config_with())
    data["focus"] = None
    explorer.load_json(json.dumps(data))
    assert json.loads(explorer.to_json())["focus"] == 2
