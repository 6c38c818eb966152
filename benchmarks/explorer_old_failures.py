"""The issue-21 failures, shown on the ipywidgets explorer it replaced (commit 2d73db1).

    git archive 2d73db1 selfattn_lib | tar -x -C /tmp/old
    python benchmarks/explorer_old_failures.py /tmp/old

Each line: what the old code did, and the test that now holds the new one to the fix. (The old
code's browser-side failures, axe-core's 67 label-title-only and 15 empty-table-header, were
measured in the issue; tests/test_browser.py and test_explorer_page_browser.py now run every rule.)
"""

from __future__ import annotations

import sys

old = sys.argv[1] if len(sys.argv) > 1 else sys.exit(__doc__)
sys.path.insert(0, old)

from ipywidgets.widgets import widget as W  # noqa: E402

from selfattn_lib import chapter_example  # noqa: E402
from selfattn_lib import explorer_state as es  # noqa: E402
from selfattn_lib.explorer_state import InputError  # noqa: E402
from selfattn_lib.widgets import AttentionExplorer  # noqa: E402

assert "/selfattn_lib/" in es.__file__ and es.__file__.startswith(old), es.__file__


def attempt(function, *args):
    try:
        return repr(function(*args))
    except InputError as exc:
        return f"refused ({exc.key}): {exc.message('en')[:70]}"


ex = chapter_example()
W_v = ex.W_v.copy()
W_v[0, 0] = 1.0000000001e12
lines = [
    (
        "English paste '0,5\\n0,25'",
        attempt(es.parse_matrix, "0,5\n0,25"),
        "explorer_parse_cases.json (paste_ambiguous)",
    ),
    ("label U+200B", attempt(es.check_label, "\u200b"), "explorer_parse_cases.json (label_invisible)"),
    ("label with U+202E", attempt(es.check_label, "ab\u202ecd"), "explorer_parse_cases.json (label_invisible)"),
    (
        "number '٣' (Arabic-Indic 3)",
        attempt(es.parse_number, "٣"),
        "explorer_parse_cases.json (bad_number, as the page)",
    ),
    (
        "W_v = 1.0000000001e12",
        attempt(es.validate, es.ExplorerState.of(ex.tokens, ex.X, ex.W_q, ex.W_k, W_v)),
        "test_explorer_widget.py::test_a_huge_value_is_refused_quoting_it_exactly",
    ),
]
explorer = AttentionExplorer()
start = len(W._instances)
for _ in range(20):
    explorer.d_model.value = 5
    explorer.d_model.value = 4
lines.append(
    (
        "widget models, 20 round trips of d_model 4 -> 5 -> 4",
        f"{start} -> {len(W._instances)}",
        "test_explorer_widget.py::test_one_widget_model_per_explorer_whatever_the_learner_does",
    )
)
explorer.export_button.click()
exported = explorer.json_text.value
explorer.editors["X"].cells[0][0].value = "7"
lines.append(
    (
        "JSON box after Export then an edit",
        "still the old state" if explorer.json_text.value == exported else "follows",
        "test_explorer_page_browser.py::test_saving_and_loading_follow_the_state",
    )
)
try:
    from selfattn_lib import plots

    fig = plots.overview(explorer.result, ["$$", "b", "c"], i=2)
    fig._repr_png_()
    drawn = "drawn"
except ValueError as exc:
    drawn = f"ValueError: {str(exc).strip().splitlines()[0][:40]}"
lines.append(
    (
        "static picture with a label '$$'",
        drawn,
        "test_explorer_widget.py::test_the_static_picture_draws_labels_as_typed_never_as_mathtext",
    )
)
for what, did, test in lines:
    print(f"- {what}: old explorer -> {did}\n    now held by {test}")
