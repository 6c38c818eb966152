"""A link in notebook code (issue 27): `AttentionExplorer(link=...)` opens the state a link holds,
`load_link` does it later (a refused link changes nothing and says why), `share_link` gives the
link "Copy link" copies (the course site's explorer page, from share.json), and the widget's
module carries share.js and export.js inlined (anywidget loads one text)."""

from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pytest
from explorer_page_cases import need_node

from selfattn_lib.explorer import AttentionExplorer, share
from selfattn_lib.explorer.payload import STRING_KEYS, chapter_state, page_payload
from selfattn_lib.explorer.state import ExplorerState, InputError
from selfattn_lib.explorer.widget import module_text
from selfattn_lib.strings import text


def two_heads() -> ExplorerState:
    rng = np.random.default_rng(3)
    return ExplorerState.of(
        ["a", "b", "c", "d"],
        rng.normal(size=(4, 4)).round(1),
        np.eye(4),
        np.eye(4),
        np.eye(4),
        causal=False,
        scaled=False,
        focus=1,
        W_o=rng.normal(size=(4, 4)),
        n_heads=2,
        positions=True,
    )


def test_an_explorer_opens_the_state_a_link_holds():
    state = two_heads()
    explorer = AttentionExplorer(link=share.state_link(state))
    assert explorer.state.to_json() == state.to_json()
    assert explorer.page_state["n_heads"] == 2 and explorer.link_message == ""
    assert explorer.share_link() == share.state_link(state)
    assert explorer.share_link().startswith(share.explorer_url("en") + "#state=")
    assert (
        AttentionExplorer(link=share.state_link(state), language="pt").share_link().startswith(share.explorer_url("pt"))
    )


@pytest.mark.parametrize("language", ["en", "pt"])
def test_a_damaged_link_opens_the_chapter_example_and_the_page_says_why(language):
    explorer = AttentionExplorer(link=share.state_link(two_heads())[:-3], language=language)
    assert explorer.state == chapter_state()
    assert explorer.link_message.startswith(text("link_damaged", language, why="")[:15])
    assert explorer.link_message.endswith(text("link_fallback", language, why="").strip())


def test_load_link_refuses_a_bad_link_and_changes_nothing():
    explorer = AttentionExplorer(link=share.state_link(two_heads()))
    before = (explorer.state.to_json(), json.dumps(explorer.page_state, sort_keys=True))
    for bad in (share.state_link(chapter_state())[:-1], "#state=" + "A" * 20_000, "https://example.org/page.html"):
        with pytest.raises(InputError):
            explorer.load_link(bad)
        assert (explorer.state.to_json(), json.dumps(explorer.page_state, sort_keys=True)) == before
    explorer.load_link(share.state_link(chapter_state()))
    assert explorer.state == chapter_state() and explorer.page_state["n"] == 3


def test_example_and_link_are_not_both_given():
    with pytest.raises(ValueError):
        AttentionExplorer(example=chapter_state(), link=share.state_link(chapter_state()))


def test_the_page_gets_the_share_settings_and_every_word_it_uses():
    payload = page_payload("pt")
    assert payload["share"] == share.SHARE and payload["link"] == ""
    for key in (
        "copy_link",
        "link_copied",
        "link_long",
        "link_damaged",
        "link_fallback",
        "export_svg",
        "export_file_weights",
        "export_legend_weights",
    ):
        assert key in STRING_KEYS and payload["strings"][key] == text(key, "pt")


def test_the_widget_module_holds_share_and_export_inlined(tmp_path):
    """The text anywidget loads has no relative import left, and node can load it whole."""
    source = module_text()
    assert './share.js"' not in source and './export.js"' not in source
    assert source.count('from "data:text/javascript;charset=utf-8,') == 3  # steps.js, share.js, export.js
    need_node()  # CI=true fails instead of skipping
    node = shutil.which("node")
    path = tmp_path / "explorer_bundle.mjs"
    path.write_text(source, encoding="utf-8")
    done = subprocess.run(
        [
            node,
            "--input-type=module",
            "-e",
            f"const m = await import({json.dumps(path.as_uri())}); console.log(typeof m.default.render);",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.strip() == "function", done.stderr
