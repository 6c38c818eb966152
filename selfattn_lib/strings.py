"""Every word the widgets and plots show a learner, in one place, so the series can be
translated.

Add a language by adding a dict with the same keys (a test checks the keys match). Values are
`str.format` templates; `{placeholders}` are filled by `text(key, **values)`.
"""
from __future__ import annotations

__all__ = ["STRINGS", "DEFAULT_LANGUAGE", "text"]

DEFAULT_LANGUAGE = "en"

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        # matrix editor
        "paste_placeholder": "Paste a matrix: one row per line, numbers separated by spaces, "
                             "tabs or commas. Decimal mark '.' (0.5, not 0,5).",
        "paste_button": "Use pasted matrix",
        "paste_tooltip": "Replace every entry of this matrix with the pasted numbers",
        "reset_button": "Chapter values",
        "reset_tooltip": "Put back the values of the chapter's example",
        "cell_tooltip": "row {row}, column {col}",
        "editor_shape": "{rows} × {cols}",
        # messages next to a control
        "bad_number": "“{value}” in row {row}, column {col} is not a number; use digits and a '.' "
                      "for decimals (e.g. -0.25). Keeping {old}.",
        "not_finite": "“{value}” in row {row}, column {col} is not a finite number. Keeping {old}.",
        "paste_empty": "Nothing to use: paste one row of numbers per line.",
        "paste_bad_number": "Line {line}: “{value}” is not a number (decimal mark is '.', numbers "
                            "separated by spaces, tabs or commas). Nothing was changed.",
        "paste_not_finite": "Line {line}: “{value}” is not a finite number. Nothing was changed.",
        "paste_ragged": "Line {line} has {got} numbers but line 1 has {expected}: every row needs "
                        "the same number of columns. Nothing was changed.",
        "paste_shape": "This matrix must be {rows} × {cols} ({what}); the pasted one is "
                       "{got_rows} × {got_cols}. Nothing was changed.",
        "paste_done": "Pasted {rows} × {cols}.",
        "reset_shape": "The chapter's matrix is {rows} × {cols} but this one is now {now_rows} × "
                       "{now_cols}; use “Chapter example” to reset everything.",
        "no_reset": "There are no chapter values for this matrix.",
        "rows_tokens": "one row per token",
        "rows_dims": "one row per input dimension d_model",
        "compute_failed": "Could not compute attention with this change: {error} Still showing "
                          "the last valid result.",
        "callback_failed": "Something went wrong ({error}); still showing the last valid result.",
        "empty_token": "A token needs a label; keeping “{old}”.",
        # explorer controls
        "title": "Self-attention explorer",
        "intro": "Edit any number (press Enter or click elsewhere to apply), paste whole matrices, "
                 "add tokens or change sizes: every result below follows.",
        # editor titles are HTML (for the superscripts); keep the tags when translating
        "editor_X": "X: token embeddings (a row per token; labels editable)",
        "editor_W_q": "W<sup>Q</sup>: query weights (d<sub>model</sub> × d<sub>k</sub>)",
        "editor_W_k": "W<sup>K</sup>: key weights (d<sub>model</sub> × d<sub>k</sub>)",
        "editor_W_v": "W<sup>V</sup>: value weights (d<sub>model</sub> × d<sub>v</sub>)",
        "add_token": "Add token",
        "remove_token": "Remove last token",
        "d_model": "d_model",
        "d_k": "d_k",
        "d_v": "d_v",
        "new_entries": "New entries:",
        "fill_zeros": "zeros",
        "fill_random": "random (seeded)",
        "fill_tooltip": "What new rows or columns start with when you add a token or grow a size",
        "seed": "seed",
        "causal": "causal",
        "causal_tooltip": "Each token sees only itself and earlier tokens (the chapter's mask)",
        "bidirectional": "bidirectional",
        "bidirectional_tooltip": "Every token sees every token (no mask, Corollary 1.1)",
        "causal_toggle": "Mask",
        "scaled": "divide scores by √d_k",
        "focus": "Focus token i:",
        "focus_option": "{index}: {token}",
        "reset_all": "Chapter example",
        "reset_all_tooltip": "Put back the chapter's three tokens, X and weight matrices",
        "save_title": "Save / load",
        "export": "Export JSON",
        "load": "Load JSON",
        "json_placeholder": "Click “Export JSON” to get the current configuration here (copy it "
                            "to keep it), or paste one and click “Load JSON”.",
        "upload": "Load a file",
        "download": "Download {name}",
        "exported": "Exported: copy the text or download the file.",
        "loaded": "Loaded {n} tokens, d_model = {d_model}, d_k = {d_k}, d_v = {d_v}.",
        "bad_json": "Not valid JSON: {error}. Nothing was changed.",
        "bad_config": "Not an explorer configuration: {error}. Nothing was changed.",
        "config_not_object": "expected a JSON object with tokens, X, W_q, W_k, W_v",
        "config_missing": "missing {names}",
        "config_tokens": "tokens must be a list of non-empty labels",
        "config_token_count": "{tokens} tokens but X has {rows} rows",
        "config_flags": "causal and scaled must be true or false",
        "config_focus": "focus must be a token index from 0 to {last}",
        "too_few_tokens": "At least one token is needed.",
        "too_many_tokens": "At most {limit} tokens in the explorer.",
        "size_range": "{name} must be between 1 and {limit}.",
        "new_token": "token {index}",
        # live views
        "view_Q": "Q = X W^Q (queries q_i as rows)",
        "view_K": "K = X W^K (keys k_j as rows)",
        "view_V": "V = X W^V (values v_j as rows)",
        "view_output": "Outputs a_i (as rows) = weights × V",
        "view_steps": "Step by step for the focus token",
        "component": "component",
        "token": "token",
        "repr": "AttentionExplorer: {n} tokens ({tokens}), d_model = {d_model}, d_k = {d_k}, "
                "d_v = {d_v}, {mode}; focus token {focus}",
        # the variant a result was computed with (steps.mode_label, plot titles)
        "mode_label": "{direction}, {scaling}",
        "mode_causal": "causal",
        "mode_bidirectional": "bidirectional",
        "mode_scaled": "scaled",
        "mode_unscaled": "unscaled",
        # plots (selfattn_lib.plots); "\n" starts a new line of a title or axis label
        "plot_weights_title": "Attention weights α\n{mode}",
        "plot_scores_title": "Scores {formula}\n{direction}",
        "plot_scores_scaled": "q·k / √d_k",
        "plot_scores_unscaled": "q·k (unscaled)",
        "plot_key_axis": "key token j",
        "plot_query_axis": "query token i",
        "plot_weights_masked_note": "▨ masked: a future token",
        "plot_scores_masked_note": "▨ removed by the mask",
        "plot_mask_label": "masked (future token)",
        # contributions: {i}, {j} are subscript digits (₁, ₂, ...), {token} a token's label
        "plot_contributions_title": "What a{i} (“{token}”) is made of",
        "plot_contribution_part": "α{i},{j} v{j} ({token})",
        "plot_contribution_total": "a{i} (total)",
        "plot_component_axis": "component of a{i}",
        "plot_contribution_axis": "contribution",
        # worked steps (selfattn_lib.steps): Markdown; {formula}, {vector}, {matrix}, ... are
        # LaTeX already between $...$, {word} is “token” with a leading space (or empty)
        "step_projection": "**Projection:** {formula} for token {s}{word}.",
        "step_projection_component": "Component {t} of {vector} is {x} times column {t} of {matrix}:",
        "step_projection_all": "All {count} components (each column of {matrix} in turn):",
        "step_score": "**Score** of token {s}{word_i} (the query) against token {t}{word_j} (the key):",
        "step_score_unscaled": "Unscaled: no division by {root}, so {formula}.",
        "step_score_masked": "Token {t} comes after token {s}: the causal mask hides it, so this score "
                             "gets weight {formula}.",
        "step_softmax": "**Softmax** of row {s}{word} over {over}: {formula}.",
        "step_softmax_all_tokens": "all tokens",
        "step_softmax_shift": "The scores are large, so the largest one, {top}, is subtracted from each "
                              "before $e^x$: the weights stay the same.",
        "step_softmax_masked": "Masked (future) tokens {tokens}: weight exactly 0.",
        "step_softmax_sum": "The weights of row {s} sum to 1.",
        "step_output": "**Output** for token {s}{word}: the values {values} weighted by {alpha}.",
        "step_worked": "Worked example for token {s}{word} ({mode})",
        "step_1": "**Step 1: projections.**",
        "step_keys_values": "The keys and values it compares with, computed the same way:",
        "step_2": "**Step 2: scores.**",
        "step_3": "**Step 3: softmax.**",
        "step_4": "**Step 4: weighted sum of the values.**",
        "step_column_score": "score",
        "step_column_token": "token",
        "step_column_vector": "vector",
    },
}

from .strings_pt import PORTUGUESE  # noqa: E402  (the "pt" table lives in its own module)
STRINGS["pt"] = PORTUGUESE


def text(key: str, language: str = DEFAULT_LANGUAGE, **values) -> str:
    """The `key` string in `language`, with `values` filled in (a key missing there: English)."""
    if language not in STRINGS:
        # a typo such as "pt-br" would otherwise give English text without a word of warning
        raise ValueError(f"language must be one of {', '.join(map(repr, STRINGS))}; got {language!r}")
    table = STRINGS[language]
    template = table.get(key, STRINGS[DEFAULT_LANGUAGE][key])
    return template.format(**values) if values else template
