"""The two string tables (strings.py: English, strings_pt.py: Portuguese) have the same keys and,
key by key, the same {placeholders}; the check names what differs, shown on modified copies."""

import string

import pytest

from selfattn_lib import strings
from selfattn_lib.strings_pt import PORTUGUESE

ENGLISH = strings.STRINGS["en"]
# Keys whose Portuguese is, rightly, the same text as the English (symbols, names, chapter terms).
SAME_IN_BOTH = {
    "editor_shape",
    "nb.loss_jump",  # "47 (3.20)": a step and its loss
    "nb.bar_value",  # "0.59": a bar's number, written by the language (0,59)
    "nb.softmax_factor_title",  # "softmax(0.5 × q₃·kⱼ)": a formula
    "nb.pushed_title",  # "x_2 + 0.25, {mode}": a formula, then the mode in the language
    "d_model",
    "d_k",
    "d_v",
    "causal",
    "focus_option",
    "mode_label",
    "mode_causal",
    "token",
    "new_token",
    "fill_zeros",
    "plot_scores_scaled",
    "plot_contribution_part",
    "plot_contribution_total",
    "plot_scores_title",
    "step_column_score",
    "step_column_token",
    "alt_weights_row",
    "nb.cost_scores",
    "nb.cost_W_o",
    "export_svg",
    "export_png",
    "export_legend_contributions",  # file formats; "token j" is the chapter's
    "exercises.example_invalid",  # "example: {error}": the argument's name and the library's error
    "site.launch_binder",
    "site.launch_hub",  # the services' names
}


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def table_problems(reference: dict[str, str], other: dict[str, str], name: str) -> list[str]:
    """What `other` (the table called `name`) lacks or adds against `reference`, key by key."""
    problems = [f"{name}: key {key!r} is missing" for key in sorted(set(reference) - set(other))]
    problems += [f"{name}: key {key!r} is not in the English table" for key in sorted(set(other) - set(reference))]
    for key in sorted(set(reference) & set(other)):
        want, got = placeholders(reference[key]), placeholders(other[key])
        if want != got:
            problems.append(f"{name}: key {key!r} has placeholders {sorted(got)}, English has {sorted(want)}")
    return problems


def test_portuguese_is_a_language_of_the_table():
    assert strings.STRINGS["pt"] is PORTUGUESE
    assert strings.text("paste_done", "pt", rows=2, cols=3, first="0,5 1") == (
        "Colada uma matriz 2 × 3; primeira linha lida como 0,5 1."
    )


def test_both_tables_have_the_same_keys_and_placeholders():
    assert table_problems(ENGLISH, PORTUGUESE, "pt") == []


def test_a_key_removed_from_either_table_is_named():
    fewer = {k: v for k, v in PORTUGUESE.items() if k != "paste_ragged"}
    assert table_problems(ENGLISH, fewer, "pt") == ["pt: key 'paste_ragged' is missing"]
    english_fewer = {k: v for k, v in ENGLISH.items() if k != "step_softmax_sum"}
    assert table_problems(english_fewer, PORTUGUESE, "pt") == ["pt: key 'step_softmax_sum' is not in the English table"]


def test_a_changed_placeholder_is_named():
    renamed = dict(PORTUGUESE, paste_shape=PORTUGUESE["paste_shape"].replace("{got_rows}", "{linhas}"))
    assert table_problems(ENGLISH, renamed, "pt") == [
        "pt: key 'paste_shape' has placeholders ['cols', 'got_cols', 'linhas', 'rows', 'what'], "
        "English has ['cols', 'got_cols', 'got_rows', 'rows', 'what']"
    ]


@pytest.mark.parametrize("key", sorted(ENGLISH))
def test_every_portuguese_string_fills_in(key):
    # a number, not "1": some templates format theirs ({value:.4f}), which a str would refuse
    values = {name: 1 for name in placeholders(ENGLISH[key])}
    assert strings.text(key, "pt", **values)


def test_every_string_is_translated_unless_it_is_a_symbol_or_a_chapter_term():
    untranslated = sorted(k for k in ENGLISH if PORTUGUESE[k] == ENGLISH[k] and k not in SAME_IN_BOTH)
    assert untranslated == []


def test_an_unknown_language_is_refused_by_name():
    with pytest.raises(ValueError, match=r"language must be one of 'en', 'pt'; got 'pt-br'"):
        strings.text("title", "pt-br")


def test_a_notebooks_speaker_speaks_its_language_and_refuses_an_unknown_one():
    say = strings.speaker("pt")  # as a notebook's first cell does with its LANGUAGE
    assert say("nb.weights") == "pesos:" and strings.speaker("en")("nb.weights") == "weights:"
    assert say("nb.step_of", step=3, last=600) == "passo 3 de 600"
    with pytest.raises(ValueError, match=r"got 'pt-br'"):
        strings.speaker("pt-br")  # at the top of the notebook, not at the first label
