"""Every word the widgets and plots show a learner, in one place, so the series can be
translated.

Add a language by adding a dict with the same keys (a test checks the keys match). Values are
`str.format` templates; `{placeholders}` are filled by `text(key, **values)`.
"""

from __future__ import annotations

import numbers
import string

import numpy as np

from . import rounding

__all__ = ["STRINGS", "DEFAULT_LANGUAGE", "learner_language", "speaker", "text"]

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
        "number_too_long": "Row {row}, column {col}: at most {limit} characters in a number box. Keeping {old}.",
        "paste_too_long": "At most {limit} characters can be pasted (got {got}). Nothing was changed.",
        "paste_too_big": "A pasted matrix has at most {rows} rows and {cols} columns. Nothing was changed.",
        "paste_ambiguous": "Line {line}: “{value}” could be one number with a decimal comma or "
        "several numbers separated by commas. Use '.' for decimals (0.5) and "
        "spaces, tabs or semicolons between numbers. Nothing was changed.",
        "paste_comma_separator_pt": "Line {line}: a comma separates numbers here, but in Portuguese "
        "the comma is the decimal mark. Separate numbers with spaces, "
        "tabs or semicolons (0,5; 0,5). Nothing was changed.",
        "paste_shape_plain": "This matrix must be {rows} × {cols}; got {got_rows} × {got_cols}. Nothing was changed.",
        "label_too_long": "A token label has at most {limit} characters (got {got}); keeping “{old}”.",
        "label_control": "A token label is one line of text (no tabs or line breaks); keeping “{old}”.",
        "label_invisible": "A token label is text that shows as it is: no invisible or direction-changing "
        "characters (such as U+200B or U+202E); keeping “{old}”.",
        "size_not_integer": "{name} must be a whole number; got {value}. Nothing was changed.",
        "size_range_kept": "{name} must be between 1 and {limit}; got {value}, kept {kept}.",
        "focus_range": "The focus token must be one of the tokens, 0 to {last}. Nothing was changed.",
        "too_large": "{name} would hold {value} (row {row}, column {col}); the explorer shows numbers "
        "up to ±{limit} so that every table and figure can be drawn. Nothing was changed.",
        "compute_failed_short": "Could not compute attention with this change: {error} Nothing was changed.",
        "draw_failed": "The figures could not be drawn for this change ({error}); nothing was changed.",
        "json_too_long": "A configuration has at most {limit} characters (got {got}). Nothing was changed.",
        "json_not_utf8": "The file is not UTF-8 text. Nothing was changed.",
        "json_too_deep": "nested too deeply",
        "json_syntax": "the text is not JSON (look at the quotes, commas and brackets)",
        "json_label": "Configuration as JSON text",
        "config_token_long": "a token label has at most {limit} characters, on one line",
        "config_format": "not a file saved by {format} (version 1)",
        "config_matrix": "{name} must be a list of rows of equal length",
        "config_matrix_size": "{name} has at most {rows} rows and {cols} columns",
        "config_numbers": "{name} must hold only numbers; got {value}",
        "config_number_too_large": "{name} holds a number too large ({value}); the explorer shows numbers up to ±{limit}",
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
        "compute_failed": "Could not compute attention with this change: {error} Still showing the last valid result.",
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
        # a link that reopens a state (explorer/share.py, share.js): refusals, then the control
        "link_fallback": "{why} The chapter's example is shown instead.",
        "link_no_state": "This is not a link to an explorer state: it has no “#state=” part.",
        "link_too_long": "This link is {got} characters long; a link to the explorer has at most {limit}.",
        "link_damaged": "This link is damaged: {why}. Ask for the link again, or for the JSON file.",
        "link_why_characters": "it holds characters a link to the explorer never has",
        "link_why_check": "part of it is missing or was changed (its check does not match)",
        "link_why_header": "its sizes or switches are out of range",
        "link_why_labels": "its token labels are cut short or not text",
        "link_why_numbers": "its numbers are cut short or not numbers",
        "link_future": "This link was made by a newer explorer (link format {version}; this one reads "
        "format {supported}). Update the course, or ask for the JSON file.",
        "link_refused": "This link holds a state the explorer cannot show: {error}",
        "link_opened": "Opened the state from the link: {n} tokens, d_model = {d_model}, d_k = {d_k}, d_v = {d_v}.",
        "copy_link": "Copy link",
        "copy_link_tooltip": "Copy a link that opens exactly this state on the course website",
        "link_field": "Link to this state",
        "link_copied": "Link copied ({length} characters): whoever opens it sees exactly this state.",
        "link_long": "Link copied, but it is {length} characters long: mail and chat programs may cut "
        "links longer than {limit}. To be safe, send the JSON file instead (“Save / load”).",
        "link_copy_failed": "The browser did not let the page copy: select the link in the box and copy it.",
        # pictures exported (explorer/export.js): buttons, file names (no extension), legend
        "export_svg": "SVG",
        "export_png": "PNG",
        "export_picture_tooltip": "Download “{title}” as a {format} picture",
        "export_done": "Downloaded {file}.",
        "export_failed": "This browser could not make the {format} picture; try the other format.",
        "export_file_weights": "weights-head-{head}",
        "export_file_scores": "scores-head-{head}",
        "export_file_contributions": "contributions-token-{token}",
        "export_legend_weights": "weight α (0 to 1)",
        "export_legend_contributions": "token j",
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
        # the explorer in the page (selfattn_lib/explorer/explorer.js): every word it shows
        "explorer_keys_help": "In a matrix, arrow keys move between boxes, Enter applies a number and "
        "Escape puts back the one in use.",
        "explorer_scores_alt": "Scores for {n} tokens ({mode}), from {low} to {high}; the table holds every value.",
        "explorer_weights_alt": "Attention weights α for {n} tokens ({mode}); the focus row {focus} is "
        "outlined. Each query token weighs most: {rows}.",
        "explorer_masked_cell": "masked",
        "explorer_fill": "New entries",
        "explorer_file": "Load a file (.json)",
        "explorer_download": "Download the file",
        "explorer_kernel_refused": "The kernel refused this change: {error}",
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
        "pe_right": "Correct! PE[{pos}, {column}] = {function}({pos} / 10000^({two_i}/{d_model})) = {value:.6f}.",
        "pe_swapped": "Even columns (0, 2, ...) hold the sine and odd columns the cosine; you used the other one.",
        "pe_pair_index": "The exponent uses the pair index i = column // 2 ({i}), not the column "
        "itself: columns 2i and 2i+1 share one frequency.",
        "pe_degrees": "numpy's sin and cos take radians; your number is the sine or cosine in degrees.",
        "pe_precedence": "Check the order of operations: the power applies to 10000 alone, and its exponent is the whole 2i / d_model. In Python ** binds tighter than * and /, so the exponent needs parentheses of its own.",
        "pe_no_function": "That is the angle itself; the table holds its sine (even column) or cosine (odd column).",
        "pe_position_from_1": "Positions count from 0: row 0 is the first word. Position {pos} is row {pos} of the table, not the {pos}th row counted from 1.",
        "pe_column_from_1": "Columns count from 0, as in Python: column 0 is the first. Column {column} is PE[:, {column}], not the {column}th column counted from 1.",
        "pe_hint": "Find the pair i = column // 2, the angle pos / 10000^(2i / d_model), then sin "
        "for an even column, cos for an odd one.",
        "order_right": "Correct! With the mask and without positions, a word's output depends on "
        "itself and the words before it, taken as a set: the same words before it, "
        "in any order, give the same output.",
        "order_wrong": "Not so: the mask decides which words a word sees (itself and those before "
        "it), not in what order. List the words each of the two sees.",
        "order_wrong_sets": "Not so: the mask lets a word see only itself and the words before it, "
        "and here those differ. List the words each of the two sees.",
        "heads_right": "Correct! Head {head} puts {weight:.2f} of the last word's attention on the subject on average.",
        "heads_noun": "Head {head} looks at the noun (mean weight {weight:.2f}), not the subject: "
        "read the subject column of the table.",
        "rows_right": "Correct! Head {head} fills columns {first} to {last} of the concatenation, and those columns meet rows {first} to {last} of W^O: zero them and nothing of head {head} reaches the output.",
        "rows_head_index": "That is the head's number, not its rows: each head has d_v = {d_v} columns in the concatenation, and so {d_v} rows of W^O.",
        "rows_other_head": "Those are the rows of head {other}. Heads count from 0: head 0 has the first {d_v} rows.",
        "rows_from_1": "Rows count from 0, as in Python: the first row of W^O is row 0.",
        "rows_too_many": "Those are more rows than one head has: each head meets d_v = {d_v} rows of W^O.",
        "rows_expected": "The answer is a list of row indices, like [0, 1]; got {got}.",
        "rows_hint": "Head h's output fills d_v columns of the concatenation, after the columns of heads 0 to h-1; each column of the concatenation multiplies one row of W^O.",
        "heads_range": "There are only heads 0 to {last}.",
        "concat_right": "Correct! {n_heads} heads of {d_v} columns side by side: {n} x {width}.",
        "concat_one_head": "That is the output of one head. The concatenation puts all {n_heads} "
        "heads' outputs side by side.",
        "concat_stacked": "That is the heads stacked one above the other (a 3-D array). The "
        "concatenation puts them side by side: one row per token.",
        "concat_transposed": "Rows and columns are swapped: one row per token, one column per component of every head.",
        "concat_stacked_rows": "That is the heads' outputs stacked one under the other, every head's rows in turn. The concatenation keeps one row per token and puts the heads side by side.",
        "concat_hint": "One row per token; the columns of head 0, then those of head 1, ...",
        "shape_expected": "The answer is a shape, a tuple like (3, 4); got {got}.",
        "leak_right": "Correct! Without the mask, position {t} attends mostly to position {j}: "
        "the next word, the one it must predict.",
        "leak_self": "Position {t} is the word itself. What is the model asked to predict at "
        "position {t}, and can it see it when nothing is masked?",
        "leak_past": "That is an earlier word. Without the mask the model may look forward too: "
        "what is it asked to predict at position {t}, and where is that word?",
        "leak_range": "Positions go from 0 (<s>) to {last}; {got} is not one of them (in this exercise -1 does not mean the last one).",
        "leak_hint": "Think of what the model was rewarded for at position {t}, and of what it "
        "can see there when nothing is masked.",
        "best_right": "Correct! After “o” come six masculine nouns, equally likely: the best "
        "possible prediction gives each 1/6, a loss of ln 6 = {value:.4f}.",
        "best_ignored_gender": "That is ln 12: all twelve nouns. But “o” is masculine: which nouns can follow it?",
        "best_probability": "That is the probability of the right noun; the loss is −ln of it.",
        "best_other_log": "The loss uses the natural logarithm (ln), not log base 2 or 10.",
        "best_sign": "A loss is −ln P, never negative: P is at most 1, so ln P is at most 0 and −ln P at least 0. Check the sign.",
        "best_zero": "A loss of 0 means the model is certain of the next word. After “o” the grammar allows several nouns, so even a perfect model cannot be certain.",
        "best_states": "That is ln 4, the loss when four words are equally likely, as the four masculine states are after a masculine noun. After “o” comes a noun: how many can come?",
        "best_hint": "Count the nouns that can follow “o”; the best model spreads its probability "
        "evenly over them, and the loss is −ln of the right noun's probability.",
        # exercise checks of notebooks 01-06 (selfattn_lib.exercises); {what} is a formula or a
        # phrase from an "exercises.*_what" key, {got} what the learner gave
        "exercises.correct": "Correct! {message}",
        "exercises.not_yet_hint": "Not yet. {hint}",
        "exercises.also": "{first} Also: {second}",
        "exercises.cannot_check": "Cannot check this: {message}.",
        "exercises.index_type": "{name} must be a whole number, the 0-based index of a token (0 to {last}); got {got}",
        "exercises.index_range": "{name} must be between 0 and {last} (0-based index of a token; "
        "there are {n}); got {got}",
        "exercises.flag": "{name} must be True or False; got {got}",
        "exercises.size": "{name} must be a whole number of at least 1; got {got}",
        "exercises.name": "name must be one of 'q', 'k', 'v'; got {got}",
        "exercises.example_attributes": "example must have X, W_q, W_k and W_v, like chapter_example(); got {got}",
        "exercises.example_invalid": "example: {error}",
        "exercises.got_text": "text ({got}): write the numbers themselves, without quotes",
        "exercises.got_masked": "a masked array (its mask cannot be checked)",
        "exercises.got_not_table": "a {type} that is not a table of numbers",
        "exercises.got_complex": "complex numbers; the answer is real numbers (no j part)",
        "exercises.got_entry": "{got} ({type}) among the numbers",
        "exercises.got_too_large": "a number too large to compute with ({got}; the largest float is about 1.8e308)",
        "exercises.got_bool": "True/False values, not numbers",
        "exercises.got_dtype": "a {type} of {dtype} data ({kind}), not numbers",
        "exercises.got_many": "{got}, of shape {shape}, where one number is asked",
        "exercises.got_not_finite": "{got}, which is not a finite number",
        # a decimal comma: 0,305 is the tuple (0, 305) in Python ({fixed}: the number with a point)
        "exercises.decimal_comma": "In Python the decimal separator is a point: write `{fixed}`. With "
        "a comma, Python reads separate whole numbers: {read}.",
        "exercises.decimal_comma_sign": "A minus sign before 0 is lost that way (-0,2 is (0, 2)): "
        "write `-0.2` if the number is negative.",
        "exercises.decimal_comma_rows": "{got} whole numbers per row where {expected} are asked",
        "exercises.kind_text": "text",
        "exercises.kind_bool": "True/False values",
        "exercises.kind_complex": "complex numbers",
        "exercises.kind_other": "other objects",
        "exercises.unanswered": "Not answered yet: {what}. Replace None with your answer and run the cell again.",
        "exercises.not_numbers": "Not yet: {what} should be numbers (a numpy array or a list of numbers); got {got}.",
        "exercises.shape": "Not yet: {what} should have shape {expected}; yours has shape {got}.",
        "exercises.not_finite": "Not yet: your answer ({what}) contains inf or nan; every entry should be a "
        "finite number.",
        "exercises.near_miss": "Almost: your answer ({what}) is within {near} of the right one. Keep more "
        "decimals (or let numpy compute it) rather than rounding the "
        "intermediate steps.",
        "exercises.differs": "Not yet: your answer ({what}) differs from the right one. Go back to the "
        "equation and compute it one step at a time.",
        # 01 projections ({role} is query, key or value: the chapter's own words in both editions)
        "exercises.projection_wrong_matrix": "You used W^{other} where W^{letter} belongs: the {role} "
        "vector is {name}_{s} = x_{s} W^{letter} (W_{name} in "
        "the code).",
        "exercises.projection_transposed_weight": "You multiplied by the transpose of W^{letter} (W_{name}.T). In x W^{letter} the matrix is used as it is: row r of W^{letter} goes with component r of x.",
        "exercises.projection_order": "The product is in the wrong order. With row vectors (the "
        "chapter's notation) it is x_{s} W^{letter}: the row x_{s} "
        "times the matrix, X[{i}] @ W_{name}. W_{name} @ X[{i}] "
        "multiplies by the matrix's rows instead.",
        "exercises.projection_wrong_token": "That is {name}_{t}, the {role} of token {t}. Python "
        "counts from 0: x_{s} is X[{i}].",
        "exercises.projection_right": "{name}_{s} = x_{s} W^{letter}: each component is x_{s} times "
        "one column of W^{letter}.",
        "exercises.matrix_wrong_matrix": "You used W^{other} where W^{letter} belongs: {letter} = X "
        "W^{letter} (X @ W_{name}); each row of {letter} is a "
        "{role} vector.",
        "exercises.matrix_order": "The product is in the wrong order: {letter} = X W^{letter} (X @ "
        "W_{name}), an (n x d_model) times a (d_model x d_k) matrix; "
        "W_{name} @ X.T gives a d_k x n matrix, one column per token, "
        "with other numbers.",
        "exercises.matrix_transposed": "These are the right numbers, transposed: in the chapter's "
        "notation each row of {letter} is one token ({letter} = X @ "
        "W_{name}, shape n x d_k).",
        "exercises.matrix_right": "{letter} = X W^{letter} computes all the {role} vectors at once, one row per token.",
        "exercises.shape_what": "the shape of Q (X is {n} x {d_model}, W^Q is {d_model} x {d_k})",
        "exercises.shape_unanswered": "Not answered yet: {what}. Replace None with a pair like (rows, columns).",
        "exercises.shape_not_pair": "Not yet: write {what} as a pair of whole numbers, e.g. (3, 4); got {got}.",
        "exercises.shape_right": "({n} x {d_model}) times ({d_model} x {d_k}) gives {n} x {d_k}: one "
        "row per token, d_k columns. The inner sizes (d_model) must match "
        "and disappear.",
        "exercises.shape_order": "Not yet: that is the shape the product in the wrong order (W^Q "
        "X^T) would have. Q = X W^Q keeps X's rows (one per token) and "
        "takes W^Q's columns.",
        "exercises.shape_of_x": "Not yet: ({n}, {d_model}) is the shape of X itself. Multiplying by "
        "W^Q keeps the rows but changes the number of columns to W^Q's.",
        "exercises.shape_of_w": "Not yet: ({d_model}, {d_k}) is the shape of W^Q. The product keeps "
        "X's number of rows (one per token).",
        "exercises.shape_other": "Not yet: (a x b) times (b x c) gives (a x c): the rows of the "
        "first, the columns of the second.",
        # 02 scores
        "exercises.score_unscaled": "You forgot to divide by sqrt(d_k) = sqrt({d_k}) = {root}: "
        "score = q_i . k_j / sqrt(d_k).",
        "exercises.score_divided_by_dk": "You divided by d_k = {d_k}; divide by its square root, sqrt(d_k) = {root}.",
        "exercises.score_scaled": "This exercise asks for the raw dot product q_i . k_j, before any "
        "division by sqrt(d_k) = {root}.",
        "exercises.dot_what": "the dot product q_{s} . k_{t}",
        "exercises.score_keys": "You used W^K where W^Q belongs: the query of token {s} is q_{s} = "
        "x_{s} W^Q, so the score is q_{s} . k_{t}, not k_{s} . k_{t}.",
        "exercises.score_queries": "You used W^Q where W^K belongs: token {t} takes part as a key, "
        "k_{t} = x_{t} W^K, so the score is q_{s} . k_{t}, not q_{s} . "
        "q_{t}.",
        "exercises.score_swapped": "You swapped the roles: score(x_{s}, x_{t}) takes the query of "
        "token {s} and the key of token {t}: q_{s} . k_{t}, not q_{t} . "
        "k_{s}.",
        "exercises.scores_what": "the score matrix {formula}",
        "exercises.scores_transposed": "The product is in the wrong order: K Q^T is the transpose of "
        "the score matrix. Row i must hold token i's query against "
        "every key: Q @ K.T.",
        "exercises.scores_components": "The product is in the wrong order: Q^T K is d_k x d_k, it "
        "mixes components, not tokens. The score matrix is Q K^T (Q "
        "@ K.T), n x n.",
        "exercises.scores_keys": "You used W^K where W^Q belongs: the rows come from the queries, Q "
        "= X W^Q, so the matrix is Q K^T, not K K^T.",
        "exercises.scores_queries": "You used W^Q where W^K belongs: the columns come from the keys, "
        "K = X W^K, so the matrix is Q K^T, not Q Q^T.",
        "exercises.scores_masked": "Right numbers where j <= i, but the score matrix comes before "
        "the mask: it holds every pair (i, j). The causal mask is applied "
        "at the softmax step.",
        "exercises.scores_right": "every score at once: entry (i, j) is {formula}.",
        # 03, 05, 06 the weights
        "exercises.weights_future": "A weight went to a future token: with the causal mask token i "
        "may only attend to j <= i, so alpha_ij = 0 for j > i. Take the "
        "softmax over the scores with j <= i only.",
        "exercises.weights_not_renormalised": "A row does not sum to 1: you zeroed the future "
        "weights after the softmax but did not renormalise. "
        "Divide each row by its new sum, or put -inf in the "
        "future scores before the softmax.",
        "exercises.weights_unscaled": "You forgot to divide the scores by sqrt(d_k) = {root} before the softmax.",
        "exercises.weights_scaled": "These are the weights of scaled attention (the scores divided by "
        "sqrt(d_k) = {root}); here the scores stay unscaled: the softmax "
        "of q_i . k_j itself.",
        "exercises.weights_exponentials": "A row does not sum to 1: these are the exponentials "
        "e^score. Divide each by the sum of its row's "
        "exponentials.",
        "exercises.weights_scores": "These are the scores. The weights are their softmax: alpha_ij "
        "= e^score_ij / sum_k e^score_ik.",
        "exercises.weights_transposed": "You used K Q^T, the transpose of the score matrix (the "
        "product in the wrong order): row i of the scores must be "
        "q_i against every key, Q @ K.T.",
        "exercises.weights_columns": "A row does not sum to 1: the softmax ran down each column. It "
        "runs along each row (token i's scores over j): normalise with "
        "axis=-1 (or axis=1).",
        "exercises.row_sums_to": "row {row} sums to {total}",
        "exercises.it_sums_to": "it sums to {total}",
        "exercises.row_sum": "Not yet: every row of {what} must sum to 1 (a probability "
        "distribution), but {where}. Divide by the row's sum of exponentials.",
        "exercises.future": "Not yet: a weight went to a future token ({weight} where j > i). With "
        "the causal mask every alpha_ij with j > i is exactly 0.",
        "exercises.weights_row_what": "the weights alpha_{s}j",
        "exercises.weights_row_right_causal": "the weights of token {s} are a probability "
        "distribution over tokens 1..{s}.",
        "exercises.weights_row_right": "the weights of token {s} are a probability distribution over all the tokens.",
        "exercises.weights_what": "the weights matrix",
        "exercises.weights_right_causal": "each row is a probability distribution, zero above the diagonal.",
        "exercises.weights_right": "each row is a probability distribution.",
        # 04, 05 the outputs
        "exercises.output_columns": "The product is in the wrong order: you used the weights' "
        "columns (alpha_ji). a_i = sum_j alpha_ij v_j takes row i of the "
        "weights: output = weights @ V.",
        "exercises.output_inputs": "You combined the inputs x_j. Attention combines the value "
        "vectors v_j = x_j W^V: output = weights @ V.",
        "exercises.output_keys": "You combined the keys k_j (W^K where W^V belongs). Attention "
        "combines the values v_j = x_j W^V.",
        "exercises.output_queries": "You combined the queries q_j (W^Q where W^V belongs). Attention "
        "combines the values v_j = x_j W^V.",
        "exercises.output_unweighted": "You added the values without weighting them: each v_j must "
        "be multiplied by alpha_ij, whose row sums to 1.",
        "exercises.output_row_right_causal": "a_{s} = sum_j alpha_{s}j v_j, a weighted average of "
        "the values v_1..v_{s}.",
        "exercises.output_row_right": "a_{s} = sum_j alpha_{s}j v_j, a weighted average of the values of every token.",
        "exercises.output_what": "the output matrix",
        "exercises.output_transposed": "These are the right numbers, transposed: V^T weights^T has "
        "one column per token. The output has one row per token: "
        "weights @ V.",
        "exercises.output_right": "output = weights @ V: row i is a_i = sum_j alpha_ij v_j.",
        # 03 a softmax of one's own
        "exercises.softmax_unanswered": "Not answered yet: write a function that takes a 1-D array "
        "of scores and returns its weights, and pass the function "
        "here.",
        "exercises.softmax_not_callable": "Not yet: pass the function itself (its name, no parentheses); got {type}.",
        "exercises.softmax_raised": "Not yet: your function raised {error} ({detail}) on the scores {scores}.",
        "exercises.softmax_none": "Not yet: on {scores} your function returned None; end it with "
        "`return` and the weights.",
        "exercises.softmax_not_numbers": "Not yet: on {scores} your function returned {got}; it "
        "should return one weight per score.",
        "exercises.softmax_shape": "Not yet: on {scores} your function returned shape {got}; it "
        "should return one weight per score, shape {expected}.",
        "exercises.softmax_sum": "Not yet: on {scores} your weights sum to {total}, not 1. Divide "
        "each exponential by the sum of all of them.",
        "exercises.softmax_values": "Not yet: on {scores} your function gives {got}; softmax gives {expected}.",
        "exercises.softmax_overflow": "Almost: right on small scores, but on {scores} e^score "
        "overflows (inf/inf = nan). Subtract the row's largest score "
        "before exp(): the weights do not change, and every "
        "exponential is then at most 1.",
        "exercises.softmax_right": "your softmax sums to 1 and stays finite on very large scores.",
        # 06 causality
        "exercises.perturbed": "perturbed must be a token's 1-based subscript, 1 to {n}; got {got}",
        "exercises.changed_what": "the subscripts i of the outputs a_i that change when x_{p} changes",
        "exercises.changed_unanswered": "Not answered yet: {what}, as a list such as [1, 2].",
        "exercises.changed_not_list": "Not yet: give {what} as a list of whole numbers, such as [1, 2]; got {got}.",
        "exercises.changed_why_bidirectional": "without the mask every a_i attends to every token.",
        "exercises.changed_why_one": "a_i sees x_j only for j <= i, so {earlier} stays unchanged, bit for bit.",
        "exercises.changed_why_many": "a_i sees x_j only for j <= i, so {earlier} stay unchanged, bit for bit.",
        "exercises.changed_why_all": "every a_i with i >= {p} attends to x_{p}.",
        "exercises.changed_right": "{listed} change: {why}",
        "exercises.changed_earlier": "Not yet: with the causal mask, a_i depends only on x_j with j "
        "<= i (Theorem 1). Can an output before position {p} see "
        "x_{p}?",
        "exercises.changed_only_itself": "Not yet: a_{p} changes, but x_{p} is also a key and a "
        "value for the tokens that can attend to it. Which are "
        "they?",
        "exercises.changed_bidirectional": "Not yet: without the mask (Corollary 1.1) every token "
        "attends to every other, in both directions.",
        "exercises.changed_other": "Not yet: think of which a_i have x_{p} among the tokens they attend to.",
        # exercise checks of notebook 08 (selfattn_lib.training)
        "training.backward_unanswered": "Not answered yet: write a function `(dweights, weights) -> "
        "dscores` and pass the function itself here.",
        "training.backward_not_callable": "Not yet: pass the function itself (its name, no parentheses); got {type}.",
        "training.backward_raised": "Your function raised {error}: {detail}",
        "training.backward_none": "Not answered yet: your function returns None; return dscores.",
        "training.backward_not_numbers": "Not yet: your function returned {got}; return dscores, a "
        "{n} x {n} array of numbers.",
        "training.backward_not_finite": "Not yet: your dscores contain inf or nan; every entry "
        "should be a finite number.",
        "training.backward_shape": "dscores should have the shape of the weights, {expected}; got {got}.",
        "training.backward_right": "Correct! This is the gradient the training loop uses.",
        "training.backward_sign": "The sign is flipped: dscore_ij = alpha_ij (dalpha_ij - sum_k alpha_ik dalpha_ik).",
        "training.backward_diagonal": "You kept only alpha_ij dalpha_ij. Raising one score also "
        "lowers every other weight in its row: subtract alpha_ij "
        "sum_k alpha_ik dalpha_ik too.",
        "training.backward_axis": "You summed over the wrong axis: sum_k alpha_ik dalpha_ik runs along row i (over the keys k), so the sum is taken along the last axis, one number per row.",
        "training.backward_keepdims": "The row sums lost their axis: a sum along the last axis gives a 1-D array, which numpy then lines up with the columns, not the rows. Keep it as a column (keepdims=True).",
        "training.backward_w_one_minus_w": "That is alpha_ij (1 - alpha_ij) dalpha_ij, the sigmoid's derivative. In a softmax raising one score also lowers every other weight of its row, so each dscore_ij gathers the whole row.",
        "training.backward_future": "The masked cells (j > i) must get gradient 0: their weight is "
        "exactly 0 whatever their score.",
        "training.backward_other": "Not yet. Check one row by hand: dscore_ij = alpha_ij (dalpha_ij "
        "- sum_k alpha_ik dalpha_ik).",
        "training.logit_unanswered": "Not answered yet: replace None with a number.",
        "training.logit_not_number": "The answer is one number; got {got}.",
        "training.logit_right": "Correct! dL/dlogit = p - y = {p} - {y} = {expected}: the model is "
        "too unsure of '-a', and the gradient pushes the logit up.",
        "training.logit_sign": "The sign is flipped: that is y - p. Gradient descent subtracts the "
        "gradient, so a logit that must go up has a negative gradient.",
        "training.logit_sigmoid": "That is the sigmoid's own derivative p (1 - p); multiply by the "
        "cross-entropy's derivative and most of it cancels.",
        "training.logit_factor": "That is the gradient times 2 (or halved): the chain rule here brings no factor 2; the sigmoid's derivative cancels the cross-entropy's denominator exactly.",
        "training.logit_loss": "That is a loss, −ln of a probability, not a gradient: the question is how fast the loss changes when the logit moves.",
        "training.logit_wrt_p": "That is dL/dp, the gradient with respect to the probability. The logit comes one step earlier in the chain: dL/dlogit = dL/dp · dp/dlogit.",
        "training.logit_other": "Not yet: for a sigmoid followed by cross-entropy the chain rule "
        "collapses to one subtraction.",
        "training.target_right": "Correct! 'gata' is the noun the adjective describes: 'Ele viu cada gata preta'.",
        "training.target_ele": "'Ele' has a gender, masculine, but he is the one who saw, not the "
        "one that is black. Which word does the adjective describe?",
        "training.target_cada": "'cada' is the same for both genders (cada gato, cada gata).",
        "training.target_stem": "The stem is the same in 'preto' and 'preta'; it cannot decide the ending.",
        "training.target_viu": "'viu' has no gender: 'ele viu', 'ela viu'.",
        "training.target_unanswered": "Not answered yet: replace None with one of the words, as a string.",
        "training.target_other": "Pick one of the words {words}.",
        # the chapter's audit and the exercises of notebook 07 (selfattn_lib.audit); the English
        # chain labels are the constants audit.CORRECT, ... themselves
        "audit.chain_correct": "correct",
        "audit.chain_wrong_from_the_start": "wrong from the start",
        "audit.chain_carried_forward": "error carried forward",
        "audit.chain_does_not_follow": "does not follow from the chapter's own previous numbers",
        "audit.step_1": "Step 1: projections (q, k, v)",
        "audit.step_2": "Step 2: scores",
        "audit.step_3": "Step 3: softmax weights",
        "audit.step_4": "Step 4: outputs (weighted sum of the values)",
        "audit.column_quantity": "quantity",
        "audit.column_printed": "chapter prints",
        "audit.column_correct_scaled": "correct value (scaled)",
        "audit.column_correct_unscaled": "correct value (unscaled)",
        "audit.column_own": "from the chapter's own numbers",
        "audit.column_verdict": "verdict (place in the chain)",
        "audit.column_written": "written",
        "audit.marker_first_error": " ◀ first error",
        "audit.marker_new_error": " ◀ new error",
        "audit.printed_in": " (printed in step {step})",
        "audit.from_x_and_w": "(from X and W)",
        "audit.input_changed": "x_{j} “{token}” changed",
        "audit.output_changes": "changes",
        "audit.output_identical": "identical",
        "audit.first_unanswered": 'Not answered yet: set `first_wrong` to the name of a quantity, e.g. "q_2".',
        "audit.first_not_in_chain": "Not a quantity of this chain: {answer}. Choose one of: {names}.",
        "audit.first_right_number": "{name} is right: recompute it from X and the weights and you get "
        "the same numbers. Keep going down the chain.",
        "audit.first_carried": "{name} is wrong, but it follows correctly from the numbers written "
        "before it: its error is carried forward. The error entered earlier: "
        "recompute each score.",
        "audit.first_correct": "Correct! score(x_2, x_2) should be {value}: the product ({q})·{k} was "
        "added with the wrong sign. alpha_21, alpha_22 and a_2 are then "
        "carried forward from it.",
        "audit.label_not_text": "a label is text in quotes, such as {example}; got a {type}",
        "audit.label_too_long": "a label is a few words; this answer has {length} characters",
        "audit.label_several": "it names more than one label ({labels}); choose one",
        "audit.label_denied": "it says what the number is not ({labels}); say what it is",
        "audit.labels_unanswered": "Not answered yet: fill the dictionary `my_labels` with a label for each quantity.",
        "audit.labels_not_dict": "`my_labels` must be a dictionary {{quantity: label}}, such as "
        '{{"q_1": {example}}}; got a {type}.',
        "audit.labels_too_many": "`my_labels` has {count} entries; the chapter prints {printed} numbers.",
        "audit.labels_not_printed": "{quantity}: not a number the chapter prints.",
        "audit.labels_one_unanswered": "{quantity}: not answered yet.",
        "audit.labels_use_one": "{quantity}: {problem}Use one of the four labels: {labels}, 'does not follow'.",
        "audit.labels_right": "{quantity}: Correct! ({label})",
        "audit.labels_not_correct": "{quantity}: not correct: from X and W it is {correct}, the "
        "chapter prints {printed}.",
        "audit.labels_not_start": "{quantity}: it is computed from earlier numbers ({inputs}), so it "
        "cannot be where a chain starts. Recompute it from the chapter's "
        "own inputs.",
        "audit.labels_is_correct": "{quantity}: look again: recompute it from X and W and compare "
        "with what the chapter prints.",
        "audit.labels_is_start": "{quantity}: look again: which earlier printed numbers is it "
        "computed from? Recompute it from X and W and compare.",
        "audit.labels_not_carried": "{quantity}: recompute it from the chapter's own {inputs} and "
        "compare with what it prints ({printed}).",
        "audit.labels_is_carried": "{quantity}: recompute it from the chapter's own {inputs} and "
        "compare with what it prints ({printed}), within the audit's "
        "rounding margin (half a unit of the last digit + {grace}).",
        "audit.labels_score": "{right} of {total} right.",
        "audit.score_bad_index": "Cannot check this: {name} must be a token's 1-based subscript, 1 to {n}; got {got}.",
        "audit.score_bad_scaled": "Cannot check this: scaled must be True or False; got {got}.",
        "audit.score_unanswered": "Not answered yet: set `my_score` to your value of {name}.",
        "audit.score_not_number": "{name} is one number; got {got}.",
        "audit.score_right": "Correct! {name} = {value}.",
        "audit.score_printed": "That is the chapter's printed number: recompute it from X and W.",
        "audit.score_printed_inputs": "You used the chapter's printed q_{i} and k_{j}, which are "
        "wrong: compute q_{i} = x_{i} W^Q and k_{j} = x_{j} W^K "
        "yourself first.",
        "audit.score_printed_inputs_unscaled": "You used the chapter's printed q_{i} and k_{j} (and "
        "did not divide by sqrt(d_k)): compute them from X "
        "and W first.",
        "audit.score_unscaled": "Forgot to divide by sqrt(d_k) = 2.",
        "audit.score_divided_by_dk": "Divided by d_k = 4; the formula divides by sqrt(d_k) = 2.",
        "audit.score_swapped": "That is score(x_{j}, x_{i}) = q_{j} · k_{i}: the query comes from "
        "x_{i}, the key from x_{j}.",
        "audit.score_other_scaled": "Not {name}. Compute q_{i} = x_{i} W^Q and k_{j} = x_{j} W^K, "
        "their dot product, then divide by sqrt(d_k).",
        "audit.score_other": "Not {name}. Compute q_{i} = x_{i} W^Q and k_{j} = x_{j} W^K, their dot product.",
        # the library's own errors (selfattn_lib.attention.LearnerError), in the learner's language
        # (learner_language below); a library caller gets the English sentence as a ValueError
        "core.flag": "{name} must be True or False; got {got} ({type})",
        "core.overflow": "the inputs are too large: {name} overflowed the float64 range (about "
        "1.8e308); use smaller values in X and the weight matrices",
        "core.the_scores": "the scores",
        "core.the_output": "the output",
        "core.the_output_concat": "the output concat @ W_o",
        "core.rows_match_x": "{name} must have d_model = {d_model} rows to match X (X is {n} x "
        "{d_model}, one row per token); got {name} with shape {rows} x {cols}",
        "core.d_k_match": "W_q and W_k must have the same number of columns (d_k), since q_i . k_j "
        "needs vectors of equal length; got W_q with {q} and W_k with {k}",
        "core.got_none": "{name} must be {shape} of numbers, got None",
        "core.masked_array": "{name} must be a plain array of numbers; got a numpy masked array, whose mask "
        "would be ignored here. Fill the masked entries first ({name}.filled(value)), "
        "or for attention pass the mask to softmax(scores, mask)",
        "core.ragged": "{name} must be {shape} of numbers with rows of equal length; got ragged data (rows of "
        "different lengths)",
        "core.not_numbers": "{name} must contain only numbers (int or float); got data of type {dtype} ({got})",
        "core.ndim": "{name} must be {shape}; got {ndim}-D with shape {shape_got}",
        "core.single_number": "{name} must be an array of numbers, at least 1-D; got the single number {got}",
        "core.empty": "{name} must have {what}; got shape {shape}",
        "core.one_row_one_column": "at least one row and one column",
        "core.one_entry": "at least one entry",
        "core.too_large": "{name} has a number too large for float64 (about 1.8e308){where}: {got}",
        "core.not_a_number": "{name} must contain only numbers (int or float); got {got} ({type}){where}",
        "core.not_finite": "{name} must contain only finite numbers; got {got}{where}",
        "core.shape_any": "an array (1-D or more)",
        "core.shape_matrix": "a 2-D array (a matrix: rows x columns)",
        "core.shape_vector_or_matrix": "a 1-D or 2-D array",
        "core.at_position": " at position {position}",
        "core.at_row_column": " at row {row}, column {column}",
        "core.at_index": " at index {index}",
        "core.w_rows": "W must have d_model = {d_model} rows to match X (X has shape {shape}); got W with "
        "shape {rows} x {cols}",
        "core.q_k_columns": "Q and K must have the same number of columns (d_k), since q_i . k_j needs "
        "vectors of equal length; got Q with {q} and K with {k}",
        "core.n_whole": "n must be a whole number (the number of tokens); got {got} ({type})",
        "core.n_at_least_1": "n must be at least 1 (the number of tokens); got {got}",
        "core.n_at_most": "n must be at most {limit} (an n x n mask); got {got}",
        "core.scores_finite": "scores must be finite numbers (or -inf for a masked entry); got {got}{where}",
        "core.weights_columns": "weights must have one column per row of V (one per token): V has {rows} "
        "rows; got weights with shape {w_rows} x {w_cols}",
        "core.t_size": "t must have d_model = {d_model} numbers, one per column of X; got {got}",
        # plots of notebooks 10-12 (selfattn_lib.plots_more)
        "plot_encoding_title": "Sinusoidal positional encoding PE ({n} positions × d_model = {d_model})",
        "plot_position_axis": "position (row)",
        "plot_column_axis": "column of PE (pairs: sin, cos)",
        "plot_head_title": "head {head}",
        # notebooks' own labels and printed lines (say("nb.…") in a notebook's code cells)
        "nb.x_one_row_per_token": "X (one row per token):",
        "nb.weights_rows": "weights (row i: how much token i attends to each token j):",
        "nb.output_rows": "output (row i: a_i):",
        "nb.x_rows": "X (row i is x_i):",
        "nb.q_rows": "Q = X W^Q (row i is q_i):",
        "nb.x_inputs": "X (inputs)",
        "nb.row3_one_matrix": "one matrix,   row 3 (preto): {row} -> highest: token {best}",
        "nb.row3_two_matrices": "two matrices, row 3 (preto): {row} -> highest: token {best}",
        "nb.self_match_rule": "one matrix: q_i . q_i >= q_i . q_j whenever |q_j| <= |q_i|:",
        "nb.multiplications_header": "    n   multiplications: matrix form   RNN recurrence   ratio",
        "nb.multiplications_row": "{n:5d}   {matrix:27,d}   {rnn:14,d}   {ratio:5.1f}",
        "nb.each_alone_equals": "attention, each a_i alone in a shuffled order == matrix form:",
        "nb.rnn_at_once": "RNN, every h_t at once == the recurrence: {same} (only h_1 agrees: {first})",
        "nb.rounds_header": "    n   rounds: matrix form   RNN recurrence",
        "nb.rounds_row": "{n:5d}   {matrix:19d}   {rnn:14d}",
        "nb.rnn_faster_from": "RNN faster from n = {n} on (this run)",
        "nb.zeroed_renormalised": "zeroed and renormalised == causal weights:",
        "nb.case_neutral": "neutral",
        "nb.case_nouns": "noun's",
        "nb.case_other": "other",
        "nb.case_none": "none",
        "nb.cases_header": "determiner's gender  subject's gender  sentences  wrong: easy model  full model",
        "nb.cases_row": "{determiner:<20} {subject:<17} {total:9d}  {easy:17d}  {full:10d}",
        "nb.cannot_compute": "<b>Cannot compute:</b> {error}",
        "nb.d_k_axis": "d_k (length of q and k)",
        "nb.score_std_axis": "standard deviation of the score",
        "nb.spread_title": "The spread of q · k grows like √d_k; dividing by √d_k keeps it near 1",
        "nb.spread_line": "d_k = {d_k:5d}: spread of q.k = {raw:6.1f},  of q.k/sqrt(d_k) = {scaled:4.2f}",
        "nb.largest_weight_line": "d_k = {d_k:3d}: largest weight {raw:.2f} unscaled, {scaled:.2f} scaled",
        "nb.divide_by_root_dk": "divide by √d_k",
        "nb.scores_title_scaled": "Scores q·k / √d_k",
        "nb.scores_title_unscaled": "Scores q·k (unscaled)",
        "nb.weights": "weights:",
        "nb.row_sums": "row sums:",
        "nb.shifted_scores": "scores + {c:7.1f} -> weights {weights}",
        "nb.naive": "naive :",
        "nb.stable": "stable:",
        "nb.stable_minus_1000": "stable, same row minus 1000:",
        "nb.weight": "weight",
        "nb.bar_value": "{value:.2f}",
        "nb.softmax_factor_title": "softmax({factor:.3g} × q₃·kⱼ)",
        "nb.v_rows": "V (row j is v_j):",
        "nb.output_rows_a": "output (row i is a_i):",
        "nb.v3_equal": "v_3 of preto, both sentences equal:",
        "nb.a3_in": "a_3 in '{sentence}':",
        "nb.masked_scores": "mask(Q K^T / sqrt(d_k)):",
        "nb.a_weights_v": "A = weights V:",
        "nb.matrix_form_eq_steps": "matrix form == our step-by-step A:",
        "nb.matrix_form_eq_loop": "matrix form == per-token loop:    ",
        "nb.weights_equal_too": "weights equal too:                ",
        "nb.method_matrix_form": "matrix form",
        "nb.method_per_token_loop": "per-token loop",
        "nb.method_rnn": "RNN recurrence",
        "nb.time_axis": "time (ms, best of 5)",
        "nb.timing_title": "Matrix form, per-token loop, RNN recurrence (width 64, one core)",
        "nb.score_matrix_size": "n = {n:7,d} tokens: score matrix {entries:>15,d} entries = {megabytes:>10,.0f} MB",
        "nb.causal_mask": "causal mask",
        "nb.weights_n_by_n": "weights: {n} x {n}, {mode}",
        "nb.unchanged_bit_for_bit": "unchanged, bit for bit",
        "nb.unchanged": "unchanged",
        "nb.changed": "changed",
        "nb.zeroed_row_sums": "zeroed, not renormalised, row sums:",
        "nb.renormalised_eq_masked": "renormalised == masked before the softmax:",
        "nb.change": "change",
        "nb.by": "by",
        "nb.how_far_moved": "how far a_i moved",
        "nb.pushed_title": "x_{i} + {amount:g}, {mode}",
        "nb.count_of": "{count:2d} of {total}: {label}",
        "nb.chapter_products": "the chapter's own products: {products} = {value:.2f}",
        "nb.chapter_prints": "the chapter prints:         {value:g}",
        "nb.reproduced_by_wx": "{name}: printed vectors reproduced by W x_i: {hits}",
        "nb.none": "none",
        "nb.chapter_printed_weights": "The chapter's printed weights",
        "nb.correct_unscaled": "Correct, unscaled (as the example)",
        "nb.correct_scaled": "Correct, divided by sqrt(d_k) (as the formalization)",
        "nb.unchanged_per_row": "weights unchanged after adding a constant per row:   ",
        "nb.unchanged_per_column": "weights unchanged after adding something that varies with j:",
        "nb.column_term": "t W^Q . k_j for j = 1, 2, 3: {value}  <- not the same for every j",
        "nb.predicted_change": "the score change predicted by step IV equals the real one:",
        "nb.weights_before": "weights of x_{i} before: {value}",
        "nb.weights_after": "weights of x_{i} after:  {value}",
        "nb.rank": "rank of the chapter's W^Q and W^K:",
        "nb.weights_unchanged": "weights unchanged:",
        "nb.every_output_moved": "every output moved by exactly t W^V:",
        "nb.theorem_holds": "Theorem 1 holds on all random inputs:",
        "nb.prefix_equal": "causal a_i equals unmasked attention over x_1..x_i (to 1e-12):",
        "nb.unmasked_differs": "while unmasked attention over all tokens differs:",
        "nb.written_correct": "{name}: written {written}, correct {correct}",
        "nb.straight_from_x": "(it comes straight from X and W)",
        "nb.printed_correct_own": "{quantity}: printed {printed}; correct {correct}; from the chapter's own earlier numbers {own} -> {chain}",
        "nb.vocabulary_counts": "words: {nouns} noun pairs, {adjectives} adjectives, {verbs} verbs, {adverbs} adverbs, {determiners} determiners, {persons} persons",
        "nb.held_out": "held out: {nouns}, {adjectives}",
        "nb.train_test_sizes": "{train} training sentences, {test} held-out test sentences. The first six:",
        "nb.x_for_sentence": "X for 'O gato pret- correu rapidamente' (one row per token)",
        "nb.step0_loss": "step 0: loss {loss:.4f}, log 2 = {log2:.4f}",
        "nb.step0_noun_weight": "step 0: mean weight of the adjective on its noun {weight:.3f}",
        "nb.hand_written_gradient": "hand-written dL/dW^V[gender, 1] = {value:+.8f}",
        "nb.finite_difference": "finite difference               = {value:+.8f}",
        "nb.step0_largest_gradient": "step 0, largest |dL/d{name}| = {value:.6f}",
        "nb.training_loss_title": "Training loss (cross-entropy, log scale)",
        "nb.step": "step",
        "nb.loss": "loss",
        "nb.noun_weight_title": "Mean weight α(adjective → its noun), training set",
        "nb.run_summary": "{steps} steps, learning rate {lr:g}, weights kept at steps {kept}",
        "nb.loss_first_last": "loss: step 0 {first:.4f}, step {steps} {last:.2e}",
        "nb.after_steps": "After {step} training steps (loss {loss:.2g})",
        "nb.snapshot": "snapshot",
        "nb.step_of": "step {step} of {last}",
        "nb.could_not_draw": "could not draw this step: {error}",
        "nb.step_loss": "step {step}, loss {loss:.2g}",
        "nb.attention_weight_alpha": "attention weight α",
        "nb.weights_during_training": "Attention weights for 'O gato pret- correu rapidamente' during training (causal, scaled)",
        "nb.learned_matrix": "learned {name} (step {step})",
        "nb.readout": "readout w_out = {w_out}   b_out = {b_out:.4f}",
        "nb.scores_of_pret": "scores of pret- on O, gato, pret-:",
        "nb.weights_of_pret": "weights of pret-:                 ",
        "nb.model_writes": "P(-a) = {p_a:.1e}, P(-o) = {p_o:.4f}  ->  the model writes '{word}'",
        "nb.before_training": "before training",
        "nb.after_training": "after training",
        "nb.accuracy_noun_weight": "{label:16} accuracy {accuracy:.1%}, weight on the noun: mean {mean:.3f}, lowest {lowest:.3f}",
        "nb.five_held_out": "five held-out sentences:",
        "nb.held_out_line": "  {sentence:38} -> {guess:10} (right: {right}); α on the noun {weight:.2f}",
        "nb.its_own_test": "its own test",
        "nb.full_test_above": "the full test above",
        "nb.on_test": "on {label:20} accuracy {accuracy:.1%}, mean weight on the noun {mean:.3f}",
        "nb.trained_with_shares": "Trained with neutral_share={neutral_share}, seeing_share={seeing_share}",
        "nb.explorer_result_equal": "explorer's result == sa.self_attention:",
        "nb.output_of": "{sentence:13} output of {token:8} {output}",
        "nb.outputs_reordered": "new outputs == old outputs, rows reordered:",
        "nb.no_mask_reordered": "no mask: the outputs of 'o cão viu o gato' are those of 'o gato viu o cão', reordered:",
        "nb.no_mask_gato": "no mask: the output of 'gato' in each sentence:",
        "nb.gato_saw": "(gato saw)",
        "nb.gato_was_seen": "(gato was seen)",
        "nb.mask_reordered": "mask: outputs of 'o cão viu o gato' == those of 'o gato viu o cão' reordered:",
        "nb.mask_gato_second": "mask: the output of 'gato'  (second place)",
        "nb.mask_gato_last": "      the output of 'gato'  (last place)  ",
        "nb.last_word_of": "last word of {sentence:22}",
        "nb.the_same": "the same:",
        "nb.two_layers_last": "two masked layers, last word of {sentence}:",
        "nb.positions_no_mask": "with positions, no mask: outputs reordered equal?",
        "nb.output_gato_saw": "the output of 'gato' (gato saw)     ",
        "nb.output_gato_was_seen": "the output of 'gato' (gato was seen)",
        "nb.positions_and_mask": "with positions and mask: last word, predecessors shuffled, the same?",
        "nb.squared_length": "squared length of each row:",
        "nb.shift_error": "k = {k:+d}: largest |PE[pos] M_k - PE[pos + k]| over {count} positions = {error:.1e}",
        "nb.distance_range": "distance {k:2d}: PE[a].PE[a+{k}] from {low:.6f} to {high:.6f}",
        "nb.pe0_pek": "PE[0] . PE[k] for k = 0..9:",
        "nb.pe_dots_title": "PE[a] · PE[b]: constant along each diagonal",
        "nb.position_b": "position b",
        "nb.position_a": "position a",
        "nb.pe_distance_title": "PE[a] · PE[a + k] against the distance k",
        "nb.distance_k": "distance k",
        "nb.dot_product": "dot product",
        "nb.learned_table": "a learned table before training (5 positions, the first 4 columns):",
        "nb.words": "words",
        "nb.add_positions": "add positions",
        "nb.same": "same",
        "nb.changed_word": "changed",
        "nb.setting_False_False": "no mask, no positions",
        "nb.setting_True_False": "mask, no positions",
        "nb.setting_False_True": "no mask, positions",
        "nb.setting_True_True": "mask, positions",
        "nb.output_each_word_title": "Output of each word of 'o cão viu o gato' vs. in 'o gato viu o cão'",
        "nb.head_weights": "head {head}: d_k = {d_k}, weights:",
        "nb.concat_shape": "concat (n x n_heads*d_v):",
        "nb.single_head_weights": "the chapter's single head, weights:",
        "nb.one_head_equals": "1 head, W_O = I, equals self_attention:",
        "nb.head0_equals": "head 0 == self_attention on columns 0-1:",
        "nb.one_head_dk4": "one head, d_k = 4",
        "nb.cost_header": "step            8 heads of 64  1 head of 512",
        "nb.train_test_four": "{train} training sentences, {test} test sentences; the first four:",
        "nb.loss_start_end": "loss at step 0: {start:.4f} (2 ln 2 = {reference:.4f}); after {steps} steps: {end:.6f}",
        "nb.gradient_check": "dL/d{name}{index}: by hand {by_hand:+.8f}, finite difference {numeric:+.8f}",
        "nb.share_right": "share right:",
        "nb.per_relation": "noun {noun:.3f}, subject {subject:.3f}",
        "nb.noun_subject_header": "          on the noun  on the subject",
        "nb.head_noun_subject": "head {head}: {noun:12.3f} {subject:15.3f}",
        "nb.cost_total": "products, total",
        "nb.sum_of_heads": "concat W^O equals the sum over heads of head_h W^O_h:",
        "nb.without_head": "without head {head}: share right {share}",
        "nb.one_head_share": "one head: share right",
        "nb.one_head_weights": "one head: mean weight on the noun {noun:.3f}, on the subject {subject:.3f}",
        "nb.feminine_share": "share of feminine endings in the test set:",
        "nb.yes": "yes",
        "nb.no": "no",
        "nb.seeds_header": "seed  two heads: solve  split  one head: solve   loss < 0.1 at step (two / one)",
        "nb.seed_row": "{seed:4d}             {two:>5}  {split:>5}            {one:>5}   {two_step:>4} / {one_step}",
        "nb.loss_jumps": "one head: steps where the loss jumped (the loss reached):",
        "nb.loss_jump": "{step} ({loss:.2f})",
        "nb.loss_two_one": "loss at step {step:3d}: two heads {two:.4f}, one head {one:.4f}",
        "nb.weight_on_noun": "weight on the noun",
        "nb.weight_on_subject": "weight on the subject",
        "nb.step_colon_loss": "step {step}: loss {loss:.4f}",
        "nb.two_heads": "two heads",
        "nb.one_head_same_width": "one head, same width",
        "nb.training_loss_log": "Training loss (log scale)",
        "nb.head_to_noun": "head {head} → noun",
        "nb.head_to_subject": "head {head} → subject",
        "nb.last_word_weight_title": "Mean weight of the last word, per head",
        "nb.cost_projections": "projections",
        "nb.cost_scores": "scores",
        "nb.cost_softmax_exps": "softmax_exps",
        "nb.cost_weighted_sum": "weighted_sum",
        "nb.cost_W_o": "W_o",
        "nb.corpus_sizes": "{sentences} training sentences, {words} words in the vocabulary; the first six:",
        "nb.lowest_loss": "the grammar's entropy rate (the best honest model's expected loss on new "
        "sentences): {best:.4f}",
        "nb.final_loss_with": "final training loss with the mask:    {loss:.4f}",
        "nb.final_loss_without": "final training loss without the mask: {loss:.4f}",
        "nb.lowest_honest": "(the grammar's entropy rate: {best:.4f})",
        "nb.best_on_test": "the best honest model on the {count} test sentences: {loss:.4f} (standard error {se:.4f})",
        "nb.batches_below": "with the mask, batches below the entropy rate: {count} of {total}, the lowest {low:.4f}",
        "nb.with_mask": "with the mask",
        "nb.without_mask": "without the mask",
        "nb.lowest_possible_honest": "entropy rate (best honest model, expected)",
        "nb.batch_loss_title": "Training loss on each batch (log scale)",
        "nb.trained_with_mask": "trained with the mask",
        "nb.trained_without_mask": "trained without the mask",
        "nb.leak_weight": "without the mask, mean weight of position t on position t+1: {weight:.4f}",
        "nb.last_row_looks": "without the mask, the last position looks most at position {position} "
        "(weight {weight:.2f})",
        "nb.test_losses": "{name:17}: test loss, whole sentence visible {whole:.4f}; one word at a time {honest:.4f}",
        "nb.share_sentences": "    share of {count} samples that are sentences: {share:.2f}",
        "nb.seeds_lm_header": "seed   with the mask: loss one word at a time, share of sentences   "
        "without: loss, share",
        "nb.seed_lm_row": "{seed:4d}   {with_loss:22.4f} {with_share:20.2f}   {without_loss:15.4f} "
        "{without_share:6.2f}",
        "nb.uniform_guess": "(guessing uniformly among the {count} words: loss ln {count} = {loss:.4f})",
        "nb.model": "model",
        "nb.p_next_word": "P(next word)",
        "nb.prompt_menu": "prompt",
        "nb.after_prompt": "{model}: after '{prompt}'",
        "nb.trained_p_next": "trained {name}: P(next word | o gato dormiu ontem)",
        "nb.probability": "probability",
        "nb.p_masculine_state": "with the mask, P(masculine state) = {p:.4f}",
        "nb.p_masculine_after": "with the mask, after “{prompt}”: P(masculine state) = {p:.3f}",
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
        # beyond the chapter: heads, W^O and positions (notebooks 10 and 11)
        "explorer_heads_section": "Beyond the chapter: word order and several heads (notebooks 10 and 11)",
        "explorer_heads_n": "heads",
        "explorer_heads_tooltip": "Number of heads h: W^Q and W^K are split into h blocks of d_k/h columns, "
        "W^V into h blocks of d_v/h; the heads' outputs, side by side, are "
        "multiplied by W^O. With 1 head the explorer is the chapter's (no W^O).",
        "explorer_positions": "add positions: X + PE",
        "explorer_positions_tooltip": "Add the sinusoidal positional encoding PE to X before the "
        "projections, so word order changes the results",
        "explorer_heads_editor_W_o": "W<sup>O</sup>: output weights (d<sub>v</sub> × d<sub>model</sub>; "
        "used with 2 or more heads)",
        "explorer_heads_view_input": "X + PE: what the projections multiply (PE: sinusoidal positional "
        "encoding; X + PE takes the place of X in every formula below)",
        "explorer_heads_title": "head {head}",
        "explorer_heads_view_concat": "concat: the heads' outputs side by side (head 1 | head 2 | …)",
        "explorer_heads_view_output": "Outputs (as rows) = concat × W^O",
        "explorer_heads_one_head_only": "The contributions and the step by step follow one head: set "
        "heads to 1 to see them.",
        "explorer_heads_alt": "{n_heads} heatmaps of attention weights, one per head, for {n} tokens "
        "({mode}), all on the same scale from 0 to 1; the focus token {focus} is "
        "outlined. For each query token, the key it weighs most: {heads}",
        "explorer_heads_alt_head": "head {head}: {rows}",
        "explorer_heads_range": "The number of heads is a whole number from 1 to {limit}; got {value}, kept {kept}.",
        "explorer_heads_invalid": "The number of heads must be a whole number from 1 to {limit}; got {value}.",
        "explorer_heads_divide": "{n_heads} heads need d_k and d_v divisible by {n_heads} (each head takes "
        "an equal block of columns); d_k = {d_k}, d_v = {d_v}. Nothing was changed.",
        "explorer_positions_flag": "positions must be on or off (true or false)",
        "config_heads": "n_heads must be a whole number from 1 to {limit}",
        "config_positions": "positions must be true or false",
        "config_W_o_shape": "W_o must be d_v × d_model = {rows} × {cols}; got {got_rows} × {got_cols}",
        # notebook 03's factor slider (selfattn_lib.sharpness)
        "sharpness.factor": "factor × q·k",
        "sharpness.scaled_option": "1/√d_k = {value} (scaled)",
        "sharpness.unscaled_option": "1 (unscaled)",
        "sharpness.weight_axis": "weight",
        "sharpness.title": "Weights of row {i} ({token})\nsoftmax({factor} × {q}·k_j)",
        # static figures in the notebooks
        "figure.moved_axis": "how far a_i moved",
        # solution buttons (selfattn_lib.solutions): an answer shows only when asked for
        "solution.show": "Show solution",
        "solution.hide": "Hide solution",
        "solution.tooltip": "Run the solution and show its answer here (press again to hide it)",
        "solution.hidden": "Solution hidden: press “Show solution” in a running notebook to see it.",
        "solution.failed": "The solution could not run ({error}). Run the cells above it first.",
        # the course website (tools/site.py, site/page_links.py): a page without a kernel
        "site.title": "Self-attention, step by step: the course notebooks",
        "site.edition_name": "English edition",
        "site.other_edition": "Em português",
        "site.launch_label": "Run this notebook",
        "site.launch_binder": "Binder",
        "site.launch_hub": "JupyterHub",
        "site.download": "Download .ipynb",
        "site.widget_note": "This control runs in a notebook with a kernel; this page shows it as it was "
        "stored, so nothing here reacts to a click.",
        "site.widget_launch": "Open the notebook on Binder to change it.",
        "site.widget_settings": "Settings shown:",
        "site.widget_alt": "The picture the control drew in the notebook, for the settings {settings}",
        "site.widget_alt_start": "it started with",
        "site.on": "on",
        "site.off": "off",
        # exercises: hints for slips named in issue 15 (the checkers' diagnosis logic)
        "hint.same_number": "The same number also comes from another slip; if that is what you did: {other}",
        "hint.score_index": "You used q_{a} and k_{b}, the vectors of tokens {a} and {b}. Python counts "
        "from 0: x_{s} is row {i} (Q[{i}]) and x_{t} is row {j} (K[{j}]); the "
        "i={i}, j={j} of the check are already 0-based.",
        "hint.no_exp": "You divided the scores by their sum, without exponentials. The softmax takes "
        "e^score first: alpha_ij = e^score_ij / sum_k e^score_ik (np.exp). Dividing "
        "the scores themselves breaks as soon as one is negative or the sum is 0.",
        "hint.weight_not_score": "That is a weight alpha_{s}{t}, a number after the softmax. The score is what goes into the softmax: the dot product of a query and a key, before any exponential.",
        "hint.weights_divided_by_dk": "You divided the scores by d_k = {d_k}; the chapter divides by its square root, sqrt(d_k) = {root}.",
        "hint.weights_transposed_weight": "You used the weight matrices transposed (W.T). In q_i = x_i W^Q the matrix is used as it is: row r of W^Q goes with component r of x_i.",
        "hint.mask_zero": "You wrote the mask as a score of 0: e^0 = 1, so the future tokens still get weight. The mask sets their scores to -inf, so that e^score = 0.",
        "hint.output_one_term": "That is a single term alpha_ij v_j. The output a_i adds one such term for every token that i attends to.",
        "hint.output_weights_swapped": "The weights went to the wrong values: alpha_ij multiplies v_j, the value of the same token j, not another token's value.",
        "hint.softmax_not_finite": "On {scores}, ordinary small scores, your function returned {got}: nan or inf where every weight should be a number between 0 and 1. Look for a division by 0 or a logarithm of 0.",
        "hint.changed_range": "There is no a_{got}: the outputs are a_1 to a_{n}, one per token.",
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


class _NumberFormatter(string.Formatter):
    """str.format, except that a number put into a template is written as the language writes it
    (rounding.written: "{weight:.2f}" gives 0,31 in Portuguese). Text values (a learner's input
    quoted back, code such as `result.scores[2]`) are left exactly as they are."""

    def __init__(self, language: str):
        self.language = language

    def format_field(self, value, format_spec):
        shown = super().format_field(value, format_spec)
        if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
            if "," in format_spec:  # the template groups thousands itself ({n:,}): swap the marks
                return rounding.written(shown.translate(_SWAP_MARKS), self.language, grouped=True)
            return rounding.written(shown, self.language)
        if isinstance(value, np.ndarray) and value.dtype.kind == "f":  # numpy's own layout, our marks
            return rounding.written_array(shown, self.language)
        return shown


_SWAP_MARKS = str.maketrans(",.", ".,")
_FORMATTERS: dict[str, _NumberFormatter] = {}


def text(key: str, language: str = DEFAULT_LANGUAGE, **values) -> str:
    """The `key` string in `language`, with `values` filled in (a key missing there: English);
    numbers among the values are written as `language` writes them."""
    if language not in STRINGS:
        # a typo such as "pt-br" would otherwise give English text without a word of warning
        raise ValueError(f"language must be one of {', '.join(map(repr, STRINGS))}; got {language!r}")
    table = STRINGS[language]
    template = table.get(key, STRINGS[DEFAULT_LANGUAGE][key])
    if not values:
        return template
    if language == DEFAULT_LANGUAGE:
        return template.format(**values)
    formatter = _FORMATTERS.get(language) or _FORMATTERS.setdefault(language, _NumberFormatter(language))
    return formatter.vformat(template, (), values)


# The learner's language: the one the library's own errors (attention.LearnerError) are raised in.
# A notebook is in one language; its first cell's `say = speaker(LANGUAGE)` sets it for the kernel.
_LEARNER_LANGUAGE = [DEFAULT_LANGUAGE]


def learner_language() -> str:
    """The language of the library's own errors: English, unless a notebook's speaker chose another."""
    return _LEARNER_LANGUAGE[0]


def speaker(language: str = DEFAULT_LANGUAGE, prefix: str = "", learner: bool = True):
    """`say(key, **values)`: `text` with the language fixed, e.g. `say = speaker(LANGUAGE)` at the top of
    a notebook, so that every label it prints or draws comes from this table in that language.
    `prefix` is put before every key (a module's own keys: `speaker(language, "audit.")`).

    A notebook's `speaker(LANGUAGE)` also makes LANGUAGE the learner's language, in which the
    library's own errors are raised from then on (a Portuguese notebook: `sa.softmax("abc")` answers
    in Portuguese); a module speaking for one call passes `learner=False`."""
    text(next(iter(STRINGS[DEFAULT_LANGUAGE])), language)  # an unknown language is refused here, once
    if learner and not prefix:
        _LEARNER_LANGUAGE[0] = language
    return lambda key, **values: text(prefix + key, language, **values)
