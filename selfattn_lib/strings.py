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
        "paste_placeholder_pt": "Paste a matrix: one row per line, numbers separated by spaces, "
                                "tabs or semicolons. Decimal mark ',' or '.' (0,5 or 0.5).",
        "paste_label": "Paste a whole matrix {name}",
        "cell_tooltip": "{name} row {row} column {col}",
        "label_tooltip": "label of token {row}",
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
        "paste_done": "Pasted {rows} × {cols}; first row read as {first}.",
        "decimal_comma": "“{value}” in row {row}, column {col}: the decimal mark here is '.' "
                         "(write 0.5, not 0,5). Keeping {old}.",
        "number_too_long": "Row {row}, column {col}: at most {limit} characters in a number box. "
                           "Keeping {old}.",
        "paste_too_long": "At most {limit} characters can be pasted (got {got}). Nothing was changed.",
        "paste_too_big": "A pasted matrix has at most {rows} rows and {cols} columns. Nothing was changed.",
        "paste_ambiguous": "Line {line}: “{value}” could be one number with a decimal comma or "
                           "several numbers separated by commas. Use '.' for decimals (0.5) and "
                           "spaces, tabs or semicolons between numbers. Nothing was changed.",
        "paste_comma_separator_pt": "Line {line}: a comma separates numbers here, but in Portuguese "
                                    "the comma is the decimal mark. Separate numbers with spaces, "
                                    "tabs or semicolons (0,5; 0,5). Nothing was changed.",
        "paste_shape_plain": "This matrix must be {rows} × {cols}; got {got_rows} × {got_cols}. "
                             "Nothing was changed.",
        "label_too_long": "A token label has at most {limit} characters (got {got}); keeping “{old}”.",
        "label_control": "A token label is one line of text (no tabs or line breaks); keeping “{old}”.",
        "size_not_integer": "{name} must be a whole number; got {value}. Nothing was changed.",
        "size_range_kept": "{name} must be between 1 and {limit}; got {value}, kept {kept}.",
        "focus_range": "The focus token must be one of the tokens, 0 to {last}. Nothing was changed.",
        "too_large": "{name} would hold {value} (row {row}, column {col}); the explorer shows numbers "
                     "up to ±{limit} so that every table and figure can be drawn. Nothing was changed.",
        "compute_failed_short": "Could not compute attention with this change: {error} Nothing was "
                                "changed.",
        "draw_failed": "The figures could not be drawn for this change ({error}); nothing was changed.",
        "json_too_long": "A configuration has at most {limit} characters (got {got}). Nothing was "
                         "changed.",
        "json_not_utf8": "The file is not UTF-8 text. Nothing was changed.",
        "json_too_deep": "nested too deeply",
        "json_label": "Configuration as JSON text",
        "config_token_long": "a token label has at most {limit} characters, on one line",
        "config_format": "not a file saved by {format} (version 1)",
        "config_matrix": "{name} must be a list of rows of equal length",
        "config_matrix_size": "{name} has at most {rows} rows and {cols} columns",
        "config_numbers": "{name} must hold only numbers; got {value}",
        "config_rows": "{name} has {rows} rows but X has d_model = {d_model} columns",
        "config_d_k": "W_q has {q} columns but W_k has {k}; both are d_k",
        "alt_attention": "Two heatmaps for {n} tokens ({mode}). Left: the scores, from {low} to {high}. "
                         "Right: the attention weights α; the focus row {focus} is outlined. "
                         "Each query token weighs most: {rows}.",
        "alt_weights_row": "{token} → {most} ({weight})",
        "alt_contributions": "Stacked bars: what a{i} (“{token}”) is made of, one colour per token j "
                             "(α{i},j v_j); its components are {output}.",
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
        # exercises of notebooks 10-12 (selfattn_lib.exercises_more)
        "ex_unanswered": "Not answered yet: replace None with your answer and run the cell again.",
        "ex_not_number": "The answer is one number; got {got}.",
        "ex_not_index": "The answer is a whole number, a position or a head counted from 0; got {got}.",
        "ex_not_bool": "The answer is True or False; got {got}.",
        "ex_other": "Not yet. {hint}",
        "pe_right": "Correct! PE[{pos}, {column}] = {function}({pos} / 10000^({two_i}/{d_model})) = "
                    "{value:.6f}.",
        "pe_swapped": "Even columns (0, 2, ...) hold the sine and odd columns the cosine; you used "
                      "the other one.",
        "pe_pair_index": "The exponent uses the pair index i = column // 2 ({i}), not the column "
                         "itself: columns 2i and 2i+1 share one frequency.",
        "pe_degrees": "numpy's sin and cos take radians; your number is the sine or cosine in "
                      "degrees.",
        "pe_hint": "Find the pair i = column // 2, the angle pos / 10000^(2i / d_model), then sin "
                   "for an even column, cos for an odd one.",
        "order_right": "Correct! The last word sees every earlier word, and without positions it "
                       "sees them as a set: any order of the words before it gives the same output.",
        "order_wrong": "Not so: the mask decides which words the last word sees (all of them "
                       "here), not in what order. Compare the two printed rows.",
        "heads_right": "Correct! Head {head} puts {weight:.2f} of the last word's attention on the "
                       "subject on average.",
        "heads_noun": "Head {head} looks at the noun (mean weight {weight:.2f}), not the subject: "
                      "read the subject column of the table.",
        "heads_range": "There are only heads 0 to {last}.",
        "concat_right": "Correct! {n_heads} heads of {d_v} columns side by side: {n} x {width}.",
        "concat_one_head": "That is the output of one head. The concatenation puts all {n_heads} "
                           "heads' outputs side by side.",
        "concat_stacked": "That is the heads stacked one above the other (a 3-D array). The "
                          "concatenation puts them side by side: one row per token.",
        "concat_transposed": "Rows and columns are swapped: one row per token, one column per "
                             "component of every head.",
        "concat_hint": "One row per token; the columns of head 0, then those of head 1, ...",
        "shape_expected": "The answer is a shape, a tuple like (3, 4); got {got}.",
        "leak_right": "Correct! Without the mask, position {t} attends mostly to position {j}: "
                      "the next word, the one it must predict.",
        "leak_self": "Position {t} is the word itself; the model without the mask found something "
                     "better to read. Look at row {t} of its weights.",
        "leak_past": "That is an earlier word; without the mask the model looks forward. Look at "
                     "row {t} of its weights.",
        "leak_hint": "Read row {t} of the unmasked model's weights and find its largest entry.",
        "best_right": "Correct! After “o” come six masculine nouns, equally likely: the best "
                      "possible prediction gives each 1/6, a loss of ln 6 = {value:.4f}.",
        "best_ignored_gender": "That is ln 12: twelve nouns. But “o” is masculine, so only the six "
                               "masculine nouns can follow.",
        "best_probability": "That is the probability of the right noun; the loss is −ln of it.",
        "best_other_log": "The loss uses the natural logarithm (ln), not log base 2 or 10.",
        "best_hint": "Count the nouns that can follow “o”; the best model spreads its probability "
                     "evenly over them, and the loss is −ln of the right noun's probability.",
        # plots of notebooks 10-12 (selfattn_lib.plots_more)
        "plot_encoding_title": "Sinusoidal positional encoding PE ({n} positions × d_model = {d_model})",
        "plot_position_axis": "position (row)",
        "plot_column_axis": "column of PE (pairs: sin, cos)",
        "plot_head_title": "head {head}",
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
        # exercises: hints for slips named in issue 15 (the checkers' diagnosis logic)
        "hint.same_number": "The same number also comes from another slip; if that is what you did: {other}",
        "hint.score_index": "You used q_{a} and k_{b}, the vectors of tokens {a} and {b}. Python counts "
                            "from 0: x_{s} is row {i} (Q[{i}]) and x_{t} is row {j} (K[{j}]); the "
                            "i={i}, j={j} of the check are already 0-based.",
        "hint.no_exp": "You divided the scores by their sum, without exponentials. The softmax takes "
                       "e^score first: alpha_ij = e^score_ij / sum_k e^score_ik (np.exp). Dividing "
                       "the scores themselves breaks as soon as one is negative or the sum is 0.",
        "hint.unweighted_mean": "That is the plain average of the values, every token counted equally. "
                                "Attention weighs each v_j by its own alpha_ij (result.weights): "
                                "a_i = sum_j alpha_ij v_j.",
        "hint.weights_row": "Those are the weights of token {got}, row {got} of the weights. Python "
                            "counts from 0: token {s}'s scores are result.scores[{i}].",
        "hint.output_row": "That is a_{got}, the output of token {got}. Python counts from 0: a_{s} "
                           "uses row {i} (result.weights[{i}]).",
        "hint.changed_zero_based": "Not yet: [{got}] looks like 0-based Python indices (the first "
                                   "output counted as 0). Give the chapter's subscripts, which start "
                                   "at 1: the first output is a_1.",
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
