"""The explorer's kernel side (selfattn_lib.explorer.widget): the page proposes a state in the
one synced trait `page_state`; the kernel validates it with state.py's rules, keeps it as the
state of record (the page writes the worked steps itself: steps.js, run here in node), or refuses,
puts the page back and says why. Driven from Python as the page drives it (the page itself:
test_explorer_page*.py)."""

import json

import numpy as np
import pytest
from explorer_page_cases import run_page
from ipywidgets.widgets import widget as ipywidget

from selfattn_lib import chapter_example, multi_head_attention, self_attention, steps
from selfattn_lib.explorer import AttentionExplorer, ExplorerState, InputError, page_payload
from selfattn_lib.explorer.steps_view import page_blocks
from selfattn_lib.strings import text


@pytest.fixture
def explorer():
    return AttentionExplorer()


def propose(explorer, **changes):
    """What the page sends after an edit: its whole state, one revision later."""
    data = json.loads(json.dumps(explorer.page_state))  # a copy, as it arrives from the page
    data.update(changes)
    data["rev"] = explorer.page_state["rev"] + 1 if "rev" not in changes else changes["rev"]
    explorer.page_state = data
    return data


def page_steps(state, language="en"):
    """The worked steps the page draws for `state` (steps.js in node), as nodes."""
    answer = run_page([{"op": "steps", "state": state.to_page(), "language": language}])[0]
    assert answer["ok"], answer
    return answer["page"]


def with_cell(explorer, name, row, col, value):
    store = json.loads(json.dumps(explorer.page_state["store"]))
    store[name][row][col] = value
    return propose(explorer, store=store)


def test_starts_on_the_chapter_example(explorer):
    ex = chapter_example()
    reference = self_attention(ex.X, ex.W_q, ex.W_k, ex.W_v)
    np.testing.assert_array_equal(explorer.result.output, reference.output)
    assert explorer.tokens == list(ex.tokens) and explorer.state.focus == 2
    assert explorer.page_state == {**explorer.state.to_page(), "rev": 0}
    assert "steps" not in explorer.trait_names(sync=True)  # the page writes them (steps.js)


def test_an_accepted_edit_becomes_the_state_of_record_and_the_page_writes_its_steps(explorer):
    ex = chapter_example()
    with_cell(explorer, "W_q", 0, 0, 0.9)
    W_q = ex.W_q.copy()
    W_q[0, 0] = 0.9
    reference = self_attention(ex.X, W_q, ex.W_k, ex.W_v)
    np.testing.assert_array_equal(explorer.result.weights, reference.weights)
    assert explorer.state.W_q[0, 0] == 0.9 and explorer.refusal == {}
    worked = steps.worked_steps(reference, ex.X, W_q, list(ex.tokens), 2)
    assert page_steps(explorer.state) == page_blocks(worked)


def test_several_heads_and_positions_are_the_librarys(explorer):
    propose(explorer, n_heads=2, positions=True)
    state = explorer.state
    reference = multi_head_attention(state.X_in, state.W_q, state.W_k, state.W_v, state.W_o, 2)
    np.testing.assert_array_equal(explorer.result.output, reference.output)


@pytest.mark.parametrize(
    "changes, key",
    [
        ({"labels": ["O", "x" * 41, "preto"]}, "label_too_long"),
        ({"labels": ["O", "\u200b", "preto"]}, "label_invisible"),
        ({"focus": 7}, "focus_range"),
        ({"n_heads": 3}, "explorer_heads_divide"),
        ({"n": 40}, "too_many_tokens"),
        ({"causal": "yes"}, "bad_config"),
        ({"store": {"X": "no"}}, "bad_config"),
    ],
)
def test_a_proposal_the_rules_refuse_puts_the_page_back_and_says_why(explorer, changes, key):
    before = explorer.to_json()
    record = explorer.state.to_page()
    sent = propose(explorer, **changes)
    assert explorer.to_json() == before
    assert {k: v for k, v in explorer.page_state.items() if k != "rev"} == record
    assert explorer.page_state["rev"] > sent["rev"]  # newer than the refused one: the page takes it
    assert explorer.refusal["message"]
    with pytest.raises(InputError) as caught:
        from selfattn_lib.explorer.state import validate

        validate(ExplorerState.from_page({k: v for k, v in sent.items() if k != "rev"}))
    assert caught.value.key == key


def test_a_huge_value_is_refused_quoting_it_exactly(explorer):
    with_cell(explorer, "W_v", 0, 0, 1.0000000001e12)
    assert "1000000000100" in explorer.refusal["message"], explorer.refusal  # not rounded to "1e+12"
    assert explorer.state.W_v[0, 0] == chapter_example().W_v[0, 0]


def test_an_old_or_repeated_revision_changes_nothing(explorer):
    with_cell(explorer, "W_q", 0, 0, 0.9)
    before = explorer.to_json()
    propose(explorer, focus=0, rev=1)  # the same revision again: not a new proposal
    assert explorer.to_json() == before


def test_notebook_code_changes_reach_the_page(explorer):
    config = json.loads(explorer.to_json())
    config["focus"] = 0
    explorer.load_json(json.dumps(config))
    assert explorer.page_state["focus"] == 0
    with pytest.raises(InputError):
        explorer.load_json("{")
    assert explorer.state.focus == 0
    with_cell(explorer, "X", 0, 0, 3.0)
    explorer.reset()
    assert explorer.state == ExplorerState.from_page(
        {k: v for k, v in page_payload()["page_state"].items() if k != "rev"}
    )


def test_one_widget_model_per_explorer_whatever_the_learner_does():
    before = len(ipywidget._instances)
    explorer = AttentionExplorer()
    models = len(ipywidget._instances) - before
    assert models == 2  # the widget and its layout (a DOMWidget's); the old explorer made 196
    rng = np.random.default_rng(0)
    for k in range(1000):  # edits, resizes, heads, refusals
        action = k % 5
        if action == 0:
            with_cell(explorer, "X", 0, int(rng.integers(0, 4)), float(np.round(rng.normal(), 2)))
        elif action == 1:
            propose(explorer, d_model=int(rng.integers(1, 5)) if k % 10 else 4)
        elif action == 2:
            propose(explorer, n_heads=int(rng.choice([1, 2, 4])))
        elif action == 3:
            propose(explorer, labels=["O", "x" * 50, "preto"])  # refused
        else:
            propose(explorer, focus=int(rng.integers(0, 3)))
    assert len(ipywidget._instances) == before + models


def test_the_stored_text_is_the_state_in_words_with_no_address(explorer):
    bundle = explorer._repr_mimebundle_()
    plain = bundle[0]["text/plain"] if isinstance(bundle, tuple) else bundle["text/plain"]
    assert (
        plain
        == repr(explorer)
        == text("repr", n=3, tokens="O, gato, preto", d_model=4, d_k=4, d_v=4, mode="causal, scaled", focus="3 (preto)")
    )
    assert "0x" not in plain


def test_overview_is_a_static_picture_for_readers_without_javascript(explorer):
    assert explorer.overview()._repr_png_().startswith(b"\x89PNG")
    propose(explorer, n_heads=2)
    assert explorer.overview()._repr_png_().startswith(b"\x89PNG")


def test_panels_and_editors_are_checked():
    only_q = AttentionExplorer(panels=("Q",), editors=("X", "W_q"))
    assert only_q.panels == ["Q"] and only_q.editors == ["X", "W_q"]
    with pytest.raises(ValueError, match="panels"):
        AttentionExplorer(panels=("attention",))


def test_the_portuguese_explorer_speaks_portuguese():
    explorer = AttentionExplorer(language="pt")
    assert explorer.strings["title"] == text("title", "pt") != text("title")
    with_cell(explorer, "X", 0, 0, 1e13)
    assert explorer.refusal["message"].startswith(
        text("too_large", "pt", name="X", value="10000000000000", limit="1e+12", row=1, col=1)[:20]
    )
    with_cell(explorer, "W_q", 0, 0, 0.9)
    blocks = page_steps(explorer.state, "pt")
    assert any("0,90" in json.dumps(b, ensure_ascii=False) for b in blocks if b["k"] == "math")


def test_the_static_picture_draws_labels_as_typed_never_as_mathtext():
    """ "$$" stopped the figure with a mathtext parser error; "$x^2$" was drawn as x²."""
    ex = chapter_example()
    labels = ["$$", "R$5 e R$6", "$x^2$"]
    figure = AttentionExplorer(ExplorerState.of(labels, ex.X, ex.W_q, ex.W_k, ex.W_v)).overview()
    figure._repr_png_()  # draws without a parser error
    texts = [t.get_text() for ax in figure.axes for t in ax.get_xticklabels()]
    assert texts[:3] == [r"\$\$", r"R\$5 e R\$6", r"\$x^2\$"]  # matplotlib's literal dollar


def test_with_positions_the_steps_call_the_input_x_plus_p(explorer):
    """The steps wrote "x_3 = [...]" for the numbers of x_3 + p_3."""
    propose(explorer, positions=True)
    maths = [json.dumps(b["c"], ensure_ascii=False) for b in page_steps(explorer.state) if b["k"] == "math"]
    assert maths[0].startswith('["(x", ["sub", ["3"]], " + p", ["sub", ["3"]], ")')
    first = [float(v) for v in maths[0].split("[")[-1].split("]")[0].split(",")]
    np.testing.assert_allclose(first, explorer.state.X_in[2], atol=0.006)


@pytest.mark.parametrize(
    "label",
    [
        "$x^2$",
        "R$5 e R$6",
        "$$",
        r"\(\frac{1}{2}\)",
        "**negrito**",
        "x_1",
        "<b>oi</b>",
        "[a](b)",
        "a|b",
        "#1",
        "`c`",
        "\\",
    ],
)
def test_the_worked_steps_show_a_label_as_typed(label):
    """The steps view read labels as MathJax (\\(\\frac{1}{2}\\) typeset); the page gets them as text."""
    ex = chapter_example()
    state = ExplorerState.of(["O", label, "preto"], ex.X, ex.W_q, ex.W_k, ex.W_v, focus=1)
    blocks = page_steps(state)

    def flat(nodes):
        return "".join(n if isinstance(n, str) else flat(n[1]) for n in nodes)

    heading = flat(blocks[0]["c"])
    assert f"“{label}”" in heading, heading
    rows = [flat(cell) for b in blocks if b["k"] == "table" for row in b["rows"] for cell in row]
    assert f"2 “{label}”" in rows


def test_the_rules_file_is_what_matplotlib_and_the_limits_give():
    """rules.json: the limits both sides read, and the figures' colour scales exported from
    matplotlib (tools/explorer_rules.py writes it)."""
    import importlib.util
    from pathlib import Path

    tool = Path(__file__).resolve().parents[1] / "tools" / "explorer_rules.py"
    spec = importlib.util.spec_from_file_location("explorer_rules", tool)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.TARGET.read_text(encoding="utf-8") == module.text(), "run tools/explorer_rules.py"
    from matplotlib import colormaps

    from selfattn_lib import plots
    from selfattn_lib.explorer.state import RULES

    weights = colormaps[plots.WEIGHTS_CMAP]
    assert RULES["palette"]["weights"][200] == "#" + "".join(f"{round(255 * c):02x}" for c in weights(200)[:3])
    assert (RULES["max_tokens"], RULES["max_dim"], RULES["max_heads"], RULES["max_label"]) == (16, 10, 4, 40)


def test_every_word_key_the_page_module_asks_for_is_sent_and_exists():
    import re
    from pathlib import Path

    from selfattn_lib import strings
    from selfattn_lib.explorer.payload import STRING_KEYS

    folder = Path(__file__).resolve().parents[1] / "selfattn_lib" / "explorer"
    source = (folder / "explorer.js").read_text() + (folder / "steps.js").read_text()
    source = re.sub(r"(?m)^\s*//.*$|\s//\s.*$", "", source)  # comments name files, not keys
    asked = set(re.findall(r'(?:\bt|this\.t|InputError|bad|say)\(\s*"([a-z_0-9]+)"', source))
    asked |= set(re.findall(r"strings\.([a-z_]+)", source))
    asked |= set(
        re.findall(r'this\.t\(\w+ \? "([a-z_]+)" : "([a-z_]+)"\)', source)
        and [k for pair in re.findall(r'"([a-z_]+)" : "([a-z_]+)"', source) for k in pair]
    )
    assert len(asked) > 60
    assert asked <= set(STRING_KEYS), sorted(asked - set(STRING_KEYS))
    assert set(STRING_KEYS) <= set(strings.STRINGS["en"]) and set(STRING_KEYS) <= set(strings.STRINGS["pt"])


def test_explorers_share_one_module_and_each_keeps_a_few_kB_of_state():
    """Each explorer stored the 61 kB module and its stylesheet in its own model: 85-107 kB of
    notebook state per explorer. Now one shared model holds them (loader.js reaches it)."""
    english, portuguese = AttentionExplorer(), AttentionExplorer(language="pt")
    assert english.library is portuguese.library
    assert english.library.strings["pt"] == portuguese.strings != english.strings
    assert "function workedBlocks" not in english._esm and len(english._esm) < 3_000  # the loader only
    assert "function workedBlocks" in english.library.source  # the module, with steps.js inlined
    for explorer in (english, portuguese):
        assert sum(len(json.dumps(v)) for v in explorer.get_state().values()) < 20_000
