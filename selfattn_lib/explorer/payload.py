"""What the page needs besides its module: the words (one language), the rules, the chapter's
example and a first state. The widget sends it as traits; a plain page passes it to `mount`."""

from __future__ import annotations

from ..example import CHAPTER_SENTENCE, chapter_example
from ..strings import text
from .share import SHARE
from .state import RULES, ExplorerState, InputError, validate

__all__ = ["page_payload", "STRING_KEYS", "chapter_state", "PANELS"]

PANELS = ("Q", "K", "V", "scores", "weights", "contributions", "output", "steps")

# Every key explorer.js asks for (tests/test_explorer_page.py checks the module against this list).
STRING_KEYS = (
    "title",
    "intro",
    "explorer_keys_help",
    "editor_X",
    "editor_W_q",
    "editor_W_k",
    "editor_W_v",
    "explorer_heads_editor_W_o",
    "cell_tooltip",
    "label_tooltip",
    "paste_label",
    "paste_placeholder",
    "paste_placeholder_pt",
    "paste_button",
    "paste_tooltip",
    "reset_button",
    "reset_tooltip",
    "paste_done",
    "add_token",
    "remove_token",
    "d_model",
    "d_k",
    "d_v",
    "explorer_fill",
    "fill_zeros",
    "fill_random",
    "fill_tooltip",
    "seed",
    "causal_toggle",
    "causal",
    "bidirectional",
    "causal_tooltip",
    "bidirectional_tooltip",
    "scaled",
    "focus",
    "focus_option",
    "reset_all",
    "reset_all_tooltip",
    "explorer_heads_section",
    "explorer_heads_n",
    "explorer_heads_tooltip",
    "explorer_positions",
    "explorer_positions_tooltip",
    "explorer_heads_view_input",
    "explorer_heads_title",
    "explorer_heads_view_concat",
    "explorer_heads_view_output",
    "explorer_heads_one_head_only",
    "save_title",
    "json_label",
    "json_placeholder",
    "export",
    "load",
    "explorer_file",
    "explorer_download",
    "exported",
    "loaded",
    "view_Q",
    "view_K",
    "view_V",
    "view_output",
    "view_steps",
    "explorer_kernel_refused",
    # the worked steps (steps.js writes them as steps.py does)
    "step_projection",
    "step_projection_component",
    "step_projection_all",
    "step_score",
    "step_score_unscaled",
    "step_score_masked",
    "step_softmax",
    "step_softmax_all_tokens",
    "step_softmax_shift",
    "step_softmax_masked",
    "step_softmax_sum",
    "step_output",
    "step_worked",
    "step_1",
    "step_keys_values",
    "step_2",
    "step_3",
    "step_4",
    "step_column_score",
    "step_column_token",
    "step_column_vector",
    "plot_scores_title",
    "plot_scores_scaled",
    "plot_scores_unscaled",
    "plot_weights_title",
    "plot_key_axis",
    "plot_query_axis",
    "explorer_masked_cell",
    "explorer_scores_alt",
    "explorer_weights_alt",
    "alt_weights_row",
    "alt_contributions",
    "plot_contributions_title",
    "plot_contribution_part",
    "plot_contribution_total",
    "plot_component_axis",
    "plot_contribution_axis",
    "mode_label",
    "mode_causal",
    "mode_bidirectional",
    "mode_scaled",
    "mode_unscaled",
    "new_token",
    "rows_tokens",
    "rows_dims",
    # refusals
    "bad_number",
    "decimal_comma",
    "number_too_long",
    "not_finite",
    "paste_too_long",
    "paste_too_big",
    "paste_ambiguous",
    "paste_comma_separator_pt",
    "paste_not_finite",
    "paste_bad_number",
    "paste_ragged",
    "paste_empty",
    "paste_shape",
    "paste_shape_plain",
    "label_too_long",
    "label_control",
    "label_invisible",
    "empty_token",
    "size_not_integer",
    "size_range_kept",
    "too_few_tokens",
    "too_many_tokens",
    "focus_range",
    "too_large",
    "compute_failed_short",
    "json_too_long",
    "json_not_utf8",
    "bad_json",
    "bad_config",
    "config_not_object",
    "config_missing",
    "config_format",
    "config_tokens",
    "config_token_long",
    "config_token_count",
    "config_matrix",
    "config_matrix_size",
    "config_numbers",
    "config_number_too_large",
    "config_rows",
    "config_d_k",
    "config_heads",
    "config_positions",
    "config_flags",
    "config_focus",
    "config_W_o_shape",
    "json_too_deep",
    "json_syntax",
    "explorer_heads_range",
    "explorer_heads_invalid",
    "explorer_heads_divide",
    "reset_shape",
    # a link to a state (share.js) and the pictures exported (export.js)
    "copy_link",
    "copy_link_tooltip",
    "link_field",
    "link_copied",
    "link_long",
    "link_copy_failed",
    "link_opened",
    "link_fallback",
    "link_no_state",
    "link_too_long",
    "link_damaged",
    "link_why_characters",
    "link_why_check",
    "link_why_header",
    "link_why_labels",
    "link_why_numbers",
    "link_future",
    "link_refused",
    "export_svg",
    "export_png",
    "export_picture_tooltip",
    "export_done",
    "export_failed",
    "export_file_weights",
    "export_file_scores",
    "export_file_contributions",
    "export_legend_weights",
    "plot_weights_masked_note",
    "plot_scores_masked_note",
)


def chapter_state() -> ExplorerState:
    example = chapter_example()
    return ExplorerState.of([str(t) for t in example.tokens], example.X, example.W_q, example.W_k, example.W_v)


def strings_for(language: str) -> dict:
    text(STRING_KEYS[0], language)  # an unknown language is refused here
    return {key: text(key, language) for key in STRING_KEYS}


def compact_rules() -> dict:
    """RULES with each colour scale as one string of 6-digit hex colours (a third of the size of
    the list: every explorer stores its traits in the notebook); explorer.js reads both forms."""
    palette = {
        name: "".join(c[1:] for c in value) if isinstance(value, list) else value
        for name, value in RULES["palette"].items()
    }
    return {**RULES, "palette": palette}


def page_payload(language: str = "en", state: ExplorerState | None = None) -> dict:
    """JSON-able: the model's first traits for `mount(el, payload)` on a plain page (no kernel).
    A link in the page's address (`#state=...`) is opened over `state` by standalone.js."""
    state = chapter_state() if state is None else state
    try:
        validate(state)
    except InputError as exc:
        raise ValueError(exc.message(language)) from None
    chapter = chapter_state().to_page()
    return {
        "language": language,
        "strings": strings_for(language),
        "rules": compact_rules(),
        "chapter": {"labels": chapter["labels"], "store": chapter["store"]},
        "sentence": list(CHAPTER_SENTENCE),
        "panels": list(PANELS),
        "editors": ["X", "W_q", "W_k", "W_v"],
        "page_state": {**state.to_page(), "rev": 0},
        "refusal": {},
        "kernel": False,
        "share": SHARE,  # the site's address and the link limits (share.json)
        "link": "",  # a link the page opens (share.js reads it, then the usual checks)
        "link_message": "",  # the kernel's word on a link it opened (or refused) in notebook code
    }
