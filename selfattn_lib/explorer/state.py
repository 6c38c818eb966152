"""The explorer's state as plain data, and every check a learner's action goes through. It is
the state of record: the page (explorer.js) proposes a state, `validate` decides.

No widgets here: `ExplorerState` holds the tokens, X, W_q, W_k, W_v, the flags and the focus;
each learner action builds a *proposed* state (`with_cell`, `with_sizes`, `from_json`, ...),
`validate` decides whether it can be shown whole (attention computed, every number small enough
for the tables and figures), and only then do the widgets redraw from it.

Beyond the chapter (notebooks 10 and 11): `n_heads` splits W_q, W_k and W_v into that many
blocks of columns and mixes the heads' outputs with W_o (d_v x d_model), as
`multi_head_attention` does; with one head (the default) W_o is not used and the explorer is
the chapter's. `positions` adds the sinusoidal encoding to X before the projections. A refused action
raises `InputError` whose key and values select a message in `strings` (any language).

Nothing a learner typed is lost: each matrix keeps a *store* as large as it has ever been, and
the sizes say how much of it is in use. Shrinking d_model and growing it back, or removing a
token and adding it back, shows the learner's own numbers and label again.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ..attention import AttentionResult, LearnerError, self_attention
from ..multihead import MultiHeadResult, multi_head_attention
from ..positions import positional_encoding
from ..strings import DEFAULT_LANGUAGE, text

__all__ = [
    "ExplorerState",
    "InputError",
    "validate",
    "parse_number",
    "parse_matrix",
    "MAX_TOKENS",
    "MAX_DIM",
    "MAX_LABEL",
    "MAX_NUMBER_TEXT",
    "MAX_PASTE",
    "MAX_JSON",
    "MAX_MAGNITUDE",
    "EDITORS",
    "MATRICES",
    "CONFIG_FORMAT",
    "MAX_HEADS",
    "compute",
    "RULES",
    "check_label",
    "number_text",
    "exact_text",
]

# The limits live in rules.json, which the page's module reads too (one author for each).
RULES = json.loads(Path(__file__).with_name("rules.json").read_text(encoding="utf-8"))
MAX_TOKENS = RULES["max_tokens"]  # a real sentence fits
MAX_DIM = RULES["max_dim"]  # d_model, d_k, d_v
MAX_LABEL = RULES["max_label"]  # characters of a token label
MAX_NUMBER_TEXT = RULES["max_number_text"]  # characters typed into one number box
MAX_PASTE = RULES["max_paste"]  # characters of a pasted matrix (16 x 10 need < 4,000)
MAX_JSON = RULES["max_json"]  # characters of a configuration (the largest < 30,000)
# Every number the explorer shows (inputs, Q, K, V, scores, outputs) stays within +-1e12, so the
# tables stay readable and the colour scales are far from float64 overflow.
MAX_MAGNITUDE = float(RULES["max_magnitude"])
EDITORS = ("X", "W_q", "W_k", "W_v")
MATRICES = EDITORS + ("W_o",)  # W_o: used only with several heads, kept (and saved) always
MAX_HEADS = RULES["max_heads"]  # one weights heatmap per head: 4 fit side by side
CONFIG_FORMAT = "selfattn_lib.AttentionExplorer"
# which size gives a matrix its rows and columns
_SHAPE_OF = {
    "X": ("n", "d_model"),
    "W_q": ("d_model", "d_k"),
    "W_k": ("d_model", "d_k"),
    "W_v": ("d_model", "d_v"),
    "W_o": ("d_v", "d_model"),
}


class InputError(ValueError):
    """A learner's input that cannot be used; `key` and `values` select the message in `strings`."""

    def __init__(self, key: str, **values):
        super().__init__(text(key, **values))
        self.key, self.values = key, values

    def message(self, language: str) -> str:
        # a value that is itself a translatable error (the library's LearnerError) is shown in
        # `language` too: the one place the core's messages are translated for the explorer
        values = {
            name: value.message(language) if hasattr(value, "message") else value for name, value in self.values.items()
        }
        return text(self.key, language, **values)


# --- reading numbers -------------------------------------------------------------------------------

# [0-9], not \d: Python's \d (and float()) would also read "٣" or "３" as 3; the page reads
# ASCII digits only, and both sides must agree on every text.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_COMMA_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:,[0-9]*)?|,[0-9]+)(?:[eE][+-]?[0-9]+)?")  # "0,5" (pt)
_NOT_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)
_DIGIT_COMMA_DIGIT = re.compile(r"[0-9],[0-9]")


def _read(cell: str, language: str) -> float | None:
    """The number `cell` spells, in `language`'s conventions ('.' always; ',' too in pt)."""
    if _NUMBER.fullmatch(cell):
        return float(cell)
    if language == "pt" and _COMMA_NUMBER.fullmatch(cell):
        return float(cell.replace(",", "."))
    return None


def parse_number(value: str, row: int = 1, col: int = 1, old: str = "", language: str = DEFAULT_LANGUAGE) -> float:
    """A finite float from text such as '-0.25' or '1e-3' ('0,5' too when language is 'pt'),
    else InputError. Never evaluates anything."""
    if not isinstance(value, str):
        raise InputError("bad_number", value=_short(repr(value)), row=row, col=col, old=old)
    if len(value) > MAX_NUMBER_TEXT:
        raise InputError("number_too_long", limit=MAX_NUMBER_TEXT, row=row, col=col, old=old)
    cleaned = value.strip()
    if _NOT_FINITE.fullmatch(cleaned):
        raise InputError("not_finite", value=value, row=row, col=col, old=old)
    number = _read(cleaned, language)
    if number is None:
        key = "decimal_comma" if language != "pt" and _COMMA_NUMBER.fullmatch(cleaned) else "bad_number"
        raise InputError(key, value=value, row=row, col=col, old=old)
    if not math.isfinite(number):  # e.g. 1e999
        raise InputError("not_finite", value=value, row=row, col=col, old=old)
    return number


def parse_matrix(pasted: str, language: str = DEFAULT_LANGUAGE) -> np.ndarray:
    """Rows on lines; brackets (as numpy prints arrays) are ignored. English: numbers separated
    by spaces, tabs, commas or semicolons, decimal mark '.'. Portuguese ('pt'): separated by
    spaces, tabs or semicolons, decimal mark ',' or '.'. A line that could be read two ways
    (commas between digits *and* spaces, in English; a comma used as a separator, in Portuguese)
    is refused with a message asking for the other separator: never reinterpreted silently."""
    if not isinstance(pasted, str):
        raise InputError("paste_empty")
    if len(pasted) > MAX_PASTE:  # checked before any work
        raise InputError("paste_too_long", limit=MAX_PASTE, got=len(pasted))
    rows = []
    for number, line in enumerate(pasted.splitlines(), start=1):
        line = line.replace("[", " ").replace("]", " ")
        if language == "pt":
            if re.search(r",\s|,$|^\s*,|,,", line.strip()):  # a comma between numbers, not inside one
                raise InputError("paste_comma_separator_pt", line=number)
            cells = [c for c in re.split(r"[\s;]+", line) if c]
        else:
            words = [c for c in re.split(r"[\s;]+", line) if c]
            glued = [w for w in words if _DIGIT_COMMA_DIGIT.search(w)]
            # "0,5 0,5": decimal commas, or four numbers? Both readings are plausible: ask. So
            # is a lone "0,5" (one number per line): 0.5, or the two numbers 0 and 5?
            if glued and (len(words) > 1 or any(_COMMA_NUMBER.fullmatch(w) for w in glued)):
                raise InputError("paste_ambiguous", line=number, value=_short(glued[0]))
            cells = [c for c in re.split(r"[\s,;]+", line) if c]
        if not cells:
            continue
        row = []
        for cell in cells:
            if _NOT_FINITE.fullmatch(cell):
                raise InputError("paste_not_finite", line=number, value=_short(cell))
            value = _read(cell, language)
            if value is None:
                raise InputError("paste_bad_number", line=number, value=_short(cell))
            if not math.isfinite(value):
                raise InputError("paste_not_finite", line=number, value=_short(cell))
            row.append(value)
        if rows and len(row) != len(rows[0]):
            raise InputError("paste_ragged", line=number, got=len(row), expected=len(rows[0]))
        rows.append(row)
        if len(rows) > MAX_TOKENS or len(row) > MAX_DIM:
            raise InputError("paste_too_big", rows=MAX_TOKENS, cols=MAX_DIM)
    if not rows:
        raise InputError("paste_empty")
    return np.array(rows, dtype=float)


def _short(value: str, limit: int = 24) -> str:
    """A piece of the learner's text quoted in a message: never longer than `limit`."""
    value = str(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def exact_text(value: float) -> str:
    """A number as it is, never rounded (a refusal quotes the value it refused: 1.0000000001e12
    must not read as the limit 1e+12); the shortest text that reads back as the same float."""
    value = float(value)
    if not math.isfinite(value):
        return repr(value)
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    return repr(value)


def number_text(value: float, language: str = DEFAULT_LANGUAGE) -> str:
    """How a number appears in its box: short, exact when that is short too; pt: decimal comma."""
    value = float(value)
    if value == int(value) and abs(value) < 1e15:
        shown = str(int(value))
    else:
        exact = repr(value)
        shown = exact if len(exact) <= 8 else f"{value:.6g}"
    return shown.replace(".", ",") if language == "pt" else shown


# --- the state -------------------------------------------------------------------------------------


def _frozen(M) -> np.ndarray:
    M = np.array(M, dtype=float)  # a copy, owned by the state
    M.setflags(write=False)
    return M


@dataclass(frozen=True, eq=False)
class ExplorerState:
    """Everything the explorer shows, as data. `store` and `labels` may be larger than the
    sizes in use (what was there before a shrink); `X`, `W_q`, ... are the parts in use."""

    labels: tuple  # token labels, at least n of them
    store: dict  # name -> float array, at least as large as the sizes in use
    n: int
    d_model: int
    d_k: int
    d_v: int
    causal: bool = True
    scaled: bool = True
    focus: int = 0
    n_heads: int = 1
    positions: bool = False
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(
        cls, tokens, X, W_q, W_k, W_v, causal=True, scaled=True, focus=None, W_o=None, n_heads=1, positions=False
    ) -> ExplorerState:
        """A state holding exactly these (not checked: see `validate`). Without W_o: the
        identity (d_v x d_model, ones on the diagonal), so concat @ W_o starts as the concat."""
        X, W_q, W_k, W_v = (_frozen(M) for M in (X, W_q, W_k, W_v))
        W_o = _frozen(np.eye(W_v.shape[1], X.shape[1]) if W_o is None else W_o)
        n = X.shape[0]
        return cls(
            tuple(str(t) for t in tokens),
            {"X": X, "W_q": W_q, "W_k": W_k, "W_v": W_v, "W_o": W_o},
            n,
            X.shape[1],
            W_q.shape[1],
            W_v.shape[1],
            causal,
            scaled,
            n - 1 if focus is None else focus,
            n_heads,
            positions,
        )

    # the parts in use
    def matrix(self, name: str) -> np.ndarray:
        if name not in self._cache:
            rows, cols = (getattr(self, size) for size in _SHAPE_OF[name])
            self._cache[name] = self.store[name][:rows, :cols]
        return self._cache[name]

    X = property(lambda self: self.matrix("X"))
    W_q = property(lambda self: self.matrix("W_q"))
    W_k = property(lambda self: self.matrix("W_k"))
    W_v = property(lambda self: self.matrix("W_v"))
    W_o = property(lambda self: self.matrix("W_o"))

    @property
    def PE(self) -> np.ndarray:
        """The sinusoidal positional encoding for these sizes (n x d_model)."""
        if "PE" not in self._cache:
            self._cache["PE"] = positional_encoding(self.n, self.d_model)
        return self._cache["PE"]

    @property
    def X_in(self) -> np.ndarray:
        """What the projections multiply: X, or X + PE when positions are on."""
        if "X_in" not in self._cache:
            self._cache["X_in"] = self.X + self.PE if self.positions is True else self.X
        return self._cache["X_in"]

    @property
    def tokens(self) -> list[str]:
        return list(self.labels[: self.n])

    def __eq__(self, other) -> bool:
        if not isinstance(other, ExplorerState):
            return NotImplemented
        return (
            self.labels == other.labels
            and self.sizes() == other.sizes()
            and (self.causal, self.scaled, self.focus) == (other.causal, other.scaled, other.focus)
            and (self.n_heads, self.positions) == (other.n_heads, other.positions)
            and all(
                self.store[k].shape == other.store[k].shape and np.array_equal(self.store[k], other.store[k])
                for k in MATRICES
            )
        )

    def sizes(self) -> tuple[int, int, int, int]:
        return self.n, self.d_model, self.d_k, self.d_v

    # --- proposed changes (nothing is checked here; `validate` does that) ---
    def with_matrix(self, name: str, M) -> ExplorerState:
        """`name`'s part in use replaced by M (same shape), the rest of its store kept."""
        M = np.asarray(M, dtype=float)
        if M.shape != self.matrix(name).shape:
            raise InputError(
                "paste_shape_plain",
                rows=self.matrix(name).shape[0],
                cols=self.matrix(name).shape[1],
                got_rows=M.shape[0],
                got_cols=M.shape[1],
            )
        store = np.array(self.store[name])
        store[: M.shape[0], : M.shape[1]] = M
        return replace(self, store={**self.store, name: _frozen(store)}, _cache={})

    def with_cell(self, name: str, row: int, col: int, value: float) -> ExplorerState:
        M = np.array(self.matrix(name))
        M[row, col] = value
        return self.with_matrix(name, M)

    def with_label(self, row: int, label: str) -> ExplorerState:
        labels = list(self.labels)
        labels[row] = label
        return replace(self, labels=tuple(labels), _cache={})

    def with_flags(self, causal=None, scaled=None) -> ExplorerState:
        return replace(
            self,
            causal=self.causal if causal is None else causal,
            scaled=self.scaled if scaled is None else scaled,
            _cache={},
        )

    def with_focus(self, focus) -> ExplorerState:
        return replace(self, focus=focus, _cache={})

    def with_heads(self, n_heads) -> ExplorerState:
        """Another number of heads; out of range: InputError saying what was kept."""
        if isinstance(n_heads, bool) or not isinstance(n_heads, (int, np.integer)) or not 1 <= n_heads <= MAX_HEADS:
            raise InputError("explorer_heads_range", limit=MAX_HEADS, value=_short(repr(n_heads)), kept=self.n_heads)
        return replace(self, n_heads=int(n_heads), _cache={})

    def with_positions(self, positions) -> ExplorerState:
        return replace(self, positions=positions, _cache={})

    def with_sizes(self, n, d_model, d_k, d_v, new_entries, new_label=None) -> ExplorerState:
        """Other sizes; entries never seen before come from `new_entries(name, shape)`, the
        ones in the store come back as they were. A new token gets its old label if it had
        one, else `new_label(index)`."""
        for name, value in (("n", n), ("d_model", d_model), ("d_k", d_k), ("d_v", d_v)):
            _check_size(name, value, self)
        sizes = {"n": n, "d_model": d_model, "d_k": d_k, "d_v": d_v}
        store = {}
        for name in MATRICES:
            old = self.store[name]
            rows, cols = (sizes[s] for s in _SHAPE_OF[name])
            shape = (max(rows, old.shape[0]), max(cols, old.shape[1]))
            if shape == old.shape:
                store[name] = old
                continue
            grown = np.array(new_entries(name, shape), dtype=float)
            grown[: old.shape[0], : old.shape[1]] = old
            store[name] = _frozen(grown)
        labels = list(self.labels)
        while len(labels) < n:
            labels.append(new_label(len(labels)) if new_label else text("new_token", index=len(labels) + 1))
        return replace(
            self,
            labels=tuple(labels),
            store=store,
            n=n,
            d_model=d_model,
            d_k=d_k,
            d_v=d_v,
            focus=min(self.focus, n - 1) if isinstance(self.focus, int) else self.focus,
            _cache={},
        )

    # --- saving ---
    def to_json(self) -> str:
        """The configuration in use (tokens, matrices, flags, focus) as JSON text."""
        parts = [
            f' "format": {json.dumps(CONFIG_FORMAT)}',
            ' "version": 1',
            f' "tokens": {json.dumps(self.tokens, ensure_ascii=False)}',
        ]
        for name in MATRICES:
            rows = ",\n".join(f"  {json.dumps(row)}" for row in self.matrix(name).tolist())
            parts.append(f' "{name}": [\n{rows}\n ]')
        parts += [
            f' "causal": {json.dumps(bool(self.causal))}',
            f' "scaled": {json.dumps(bool(self.scaled))}',
            f' "focus": {int(self.focus)}',
            f' "n_heads": {int(self.n_heads)}',
            f' "positions": {json.dumps(bool(self.positions))}',
        ]
        return "{\n" + ",\n".join(parts) + "\n}\n"

    @classmethod
    def from_json(cls, config_text) -> ExplorerState:
        """A state from `to_json` text; InputError for anything else (size checked first)."""
        if isinstance(config_text, (bytes, bytearray, memoryview)):
            if len(config_text) > MAX_JSON:
                raise InputError("json_too_long", limit=MAX_JSON, got=len(config_text))
            try:
                # utf-8-sig: a file saved with a byte order mark (Windows Notepad) reads the same
                config_text = bytes(config_text).decode("utf-8-sig")
            except UnicodeDecodeError:
                raise InputError("json_not_utf8") from None
        if not isinstance(config_text, str):
            raise InputError("bad_config", error=text("config_not_object"))
        if len(config_text) > MAX_JSON:
            raise InputError("json_too_long", limit=MAX_JSON, got=len(config_text))
        config_text = config_text.removeprefix("\ufeff")  # the BOM, when the text was decoded elsewhere
        if _nesting(config_text) > RULES["max_json_depth"]:  # the page's rule too, before parsing
            raise InputError("bad_json", error=text("json_too_deep"))
        try:
            data = json.loads(config_text, parse_int=_json_int)
        except json.JSONDecodeError as exc:
            raise InputError("bad_json", error=_short(str(exc), 80)) from None
        except RecursionError:  # "[[[[...": nested deeper than Python's stack
            raise InputError("bad_json", error=text("json_too_deep")) from None
        return cls.from_data(data)

    # --- the page's copy (selfattn_lib.explorer.widget: the one synced trait) ---
    def to_page(self) -> dict:
        """Everything, store included (what a shrink keeps), as JSON-able data for the page."""
        return {
            "labels": list(self.labels),
            "store": {k: self.store[k].tolist() for k in MATRICES},
            "n": self.n,
            "d_model": self.d_model,
            "d_k": self.d_k,
            "d_v": self.d_v,
            "causal": bool(self.causal),
            "scaled": bool(self.scaled),
            "focus": int(self.focus),
            "n_heads": int(self.n_heads),
            "positions": bool(self.positions),
        }

    @classmethod
    def from_page(cls, data) -> ExplorerState:
        """A state the page proposes (`to_page`'s form); every field's type and size checked
        before any work, nothing applied yet (`validate` decides)."""

        def bad(key="config_not_object", **values):
            return InputError("bad_config", error=InputError(key, **values))  # said in the learner's language

        if not isinstance(data, dict) or not isinstance(data.get("store"), dict):
            raise bad()
        sizes = {}
        for name in ("n", "d_model", "d_k", "d_v", "focus", "n_heads"):
            value = data.get(name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise InputError("size_not_integer", name=name, value=_short(repr(value)))
            sizes[name] = value
        for name in ("n", "d_model", "d_k", "d_v"):
            _check_size(name, sizes[name])
        labels = data.get("labels")
        if (
            not isinstance(labels, list)
            or not sizes["n"] <= len(labels) <= MAX_TOKENS
            or not all(isinstance(t, str) and len(t) <= 100 * MAX_LABEL for t in labels)
        ):  # bounded; validate says why
            raise bad("config_tokens")
        store = {}
        for name in MATRICES:
            rows, cols = (sizes[size] for size in _SHAPE_OF[name])
            M = _matrix_from_json(data["store"].get(name), name, bounded=False)
            if M.shape[0] < rows or M.shape[1] < cols:
                raise bad("config_matrix", name=name)
            store[name] = _frozen(M)
        flags = [data.get(k) for k in ("causal", "scaled", "positions")]
        if not all(isinstance(f, bool) for f in flags):
            raise bad("config_flags")
        return cls(
            tuple(labels),
            store,
            sizes["n"],
            sizes["d_model"],
            sizes["d_k"],
            sizes["d_v"],
            flags[0],
            flags[1],
            sizes["focus"],
            sizes["n_heads"],
            flags[2],
        )

    @classmethod
    def from_data(cls, data) -> ExplorerState:
        """A state from parsed JSON (dict); every field's type checked, nothing applied yet."""

        def bad(key, **values):
            return InputError("bad_config", error=InputError(key, **values))  # said in the learner's language

        if not isinstance(data, dict):
            raise bad("config_not_object")
        missing = [k for k in ("tokens", *EDITORS) if k not in data]
        if missing:
            raise bad("config_missing", names=", ".join(missing))
        if data.get("format", CONFIG_FORMAT) != CONFIG_FORMAT or data.get("version", 1) != 1:
            raise bad("config_format", format=CONFIG_FORMAT)
        tokens = data["tokens"]
        if not isinstance(tokens, list) or not tokens or not all(isinstance(t, str) and t.strip() for t in tokens):
            raise bad("config_tokens")
        if len(tokens) > MAX_TOKENS:
            raise bad("too_many_tokens", limit=MAX_TOKENS)
        if any(len(t) > MAX_LABEL or any(ord(ch) < 32 or unicodedata.category(ch) == "Cf" for ch in t) for t in tokens):
            raise bad("config_token_long", limit=MAX_LABEL)
        matrices = {name: _matrix_from_json(data[name], name) for name in EDITORS}
        # Files saved before heads and positions existed have none of these three: one head,
        # no positions, W_o the identity (unused with one head).
        W_o = _matrix_from_json(data["W_o"], "W_o") if "W_o" in data else None
        n_heads, positions = data.get("n_heads", 1), data.get("positions", False)
        if isinstance(n_heads, bool) or not isinstance(n_heads, int) or not 1 <= n_heads <= MAX_HEADS:
            raise bad("config_heads", limit=MAX_HEADS)
        if not isinstance(positions, bool):
            raise bad("config_positions")
        causal, scaled = data.get("causal", True), data.get("scaled", True)
        if not isinstance(causal, bool) or not isinstance(scaled, bool):
            raise bad("config_flags")
        n = matrices["X"].shape[0]
        if len(tokens) != n:
            raise bad("config_token_count", tokens=len(tokens), rows=n)
        focus = data.get("focus", n - 1)
        focus = n - 1 if focus is None else focus  # older files: "no focus" means the last token
        if isinstance(focus, bool) or not isinstance(focus, int) or not 0 <= focus < n:
            raise bad("config_focus", last=n - 1)
        d_model = matrices["X"].shape[1]
        for name in ("W_q", "W_k", "W_v"):
            if matrices[name].shape[0] != d_model:
                raise bad("config_rows", name=name, rows=matrices[name].shape[0], d_model=d_model)
        if matrices["W_q"].shape[1] != matrices["W_k"].shape[1]:
            raise bad("config_d_k", q=matrices["W_q"].shape[1], k=matrices["W_k"].shape[1])
        d_v = matrices["W_v"].shape[1]
        if W_o is not None and W_o.shape != (d_v, d_model):
            raise bad("config_W_o_shape", rows=d_v, cols=d_model, got_rows=W_o.shape[0], got_cols=W_o.shape[1])
        return cls.of(
            [t.strip() for t in tokens],
            **matrices,
            causal=causal,
            scaled=scaled,
            focus=focus,
            W_o=W_o,
            n_heads=n_heads,
            positions=positions,
        )


# Python turns at most 4,300 digits into an int (sys.get_int_max_str_digits) and json.loads would
# raise its own ValueError beyond; 400 digits is already far past float64 (about 1.8e308).
_MAX_INT_DIGITS = 400


class _HugeInt(str):
    """A JSON integer with more digits than any float64 holds, kept as its text: refused for its
    size where a number is expected, and never converted (which would cost time, or raise)."""


def _json_int(digits: str):
    return _HugeInt(digits) if len(digits) > _MAX_INT_DIGITS + 1 else int(digits)


def _nesting(config_text: str) -> int:
    """How deep brackets go, outside strings (explorer.js counts the same way)."""
    deepest = depth = 0
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]', config_text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


def _matrix_from_json(value, name: str, bounded: bool = True) -> np.ndarray:
    """A list of equal rows of JSON numbers (not true/false), at most MAX_TOKENS x MAX_DIM; with
    `bounded`, none beyond ±MAX_MAGNITUDE (a file is refused whole; the page's own copy is left to
    `validate`, whose message names the row and column of the box the learner typed in)."""

    def bad(key, **values):
        return InputError("bad_config", error=InputError(key, name=name, **values))

    if not isinstance(value, list) or not value or not all(isinstance(row, list) and row for row in value):
        raise bad("config_matrix")
    if len(value) > MAX_TOKENS or any(len(row) > MAX_DIM for row in value):
        raise bad("config_matrix_size", rows=MAX_TOKENS, cols=MAX_DIM)
    if len({len(row) for row in value}) != 1:
        raise bad("config_matrix")
    numbers = []
    for row in value:
        numbers.append([])
        for x in row:
            if isinstance(x, _HugeInt):
                raise bad("config_number_too_large", value=_short(x), limit=f"{MAX_MAGNITUDE:.0e}")
            if isinstance(x, bool) or not isinstance(x, (int, float)):
                raise bad("config_numbers", value=_short(repr(x)))
            try:
                x = float(x)  # a whole number is a number: too large ones are refused for their size
            except OverflowError:  # an int beyond float64, such as 10**400
                raise bad("config_number_too_large", value=_short(repr(x)), limit=f"{MAX_MAGNITUDE:.0e}") from None
            if not math.isfinite(x):  # NaN, Infinity (which Python's json accepts)
                raise bad("config_numbers", value=_short(repr(x)))
            if bounded and abs(x) > MAX_MAGNITUDE:  # quoted exactly: 1.0000000001e12 is not "1e+12"
                raise bad("config_number_too_large", value=exact_text(x), limit=f"{MAX_MAGNITUDE:.0e}")
            numbers[-1].append(x)
    return np.array(numbers, dtype=float)


# --- validation ------------------------------------------------------------------------------------


def _check_size(name, value, state=None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError("size_not_integer", name=name, value=_short(repr(value)))
    limit = MAX_TOKENS if name == "n" else MAX_DIM
    if not 1 <= value <= limit:
        kept = getattr(state, name, None) if state is not None else None
        if name == "n":
            raise InputError("too_many_tokens" if value > limit else "too_few_tokens", limit=limit)
        raise InputError("size_range_kept", name=name, limit=limit, value=value, kept=kept)


def check_label(label, old: str = "") -> str:
    """A token label as it will be shown (stripped), or InputError (bounded work: the length
    is checked before anything else is done with the text)."""
    if not isinstance(label, str):
        raise InputError("empty_token", old=old)
    if len(label) > MAX_LABEL:
        raise InputError("label_too_long", limit=MAX_LABEL, got=len(label), old=old)
    label = label.strip()
    if not label:
        raise InputError("empty_token", old=old)
    if any(ord(ch) < 32 for ch in label):  # a newline or tab would break the plots' layout
        raise InputError("label_control", old=old)
    # U+202E (right-to-left override), U+200B (zero width space), ...: a label that reads
    # otherwise than it is, or shows nothing at all
    if any(unicodedata.category(ch) == "Cf" for ch in label):
        raise InputError("label_invisible", old=old)
    return label


def validate(state: ExplorerState) -> AttentionResult | MultiHeadResult:
    """The attention of `state` if every view can show it; else InputError saying why.
    One head: an AttentionResult (the chapter's); several: a MultiHeadResult."""
    for name in ("n", "d_model", "d_k", "d_v"):
        _check_size(name, getattr(state, name))
    if not isinstance(state.causal, bool) or not isinstance(state.scaled, bool):
        raise InputError("config_flags")
    if not isinstance(state.positions, bool):
        raise InputError("explorer_positions_flag")
    n_heads = state.n_heads
    if isinstance(n_heads, bool) or not isinstance(n_heads, (int, np.integer)) or not 1 <= n_heads <= MAX_HEADS:
        raise InputError("explorer_heads_invalid", limit=MAX_HEADS, value=_short(repr(n_heads)))
    if state.d_k % n_heads or state.d_v % n_heads:
        # said, never "fixed": the learner chooses which size or how many heads to change
        raise InputError("explorer_heads_divide", n_heads=n_heads, d_k=state.d_k, d_v=state.d_v)
    focus = state.focus
    if isinstance(focus, bool) or not isinstance(focus, (int, np.integer)) or not 0 <= focus < state.n:
        raise InputError("focus_range", last=state.n - 1)
    if len(state.labels) < state.n:
        raise InputError("config_token_count", tokens=len(state.labels), rows=state.n)
    for label in state.tokens:
        check_label(label)
    for name in MATRICES:
        _check_magnitude(name, state.matrix(name))
    try:
        result = compute(state)
    except LearnerError as exc:  # the library's sentence, in the explorer's language when shown
        raise InputError("compute_failed_short", error=exc) from None
    except ValueError as exc:
        raise InputError("compute_failed_short", error=_short(str(exc), 200)) from None
    heads = result.heads if isinstance(result, MultiHeadResult) else (result,)
    for h, head in enumerate(heads):
        for name in ("Q", "K", "V", "scores", "output"):
            _check_magnitude(name if len(heads) == 1 else f"{name} (head {h + 1})", getattr(head, name))
    if len(heads) > 1:
        _check_magnitude("output", result.output)
    return result


def compute(state: ExplorerState) -> AttentionResult | MultiHeadResult:
    """The library call the explorer shows (not checked: see `validate`): the chapter's
    `self_attention` with one head, `multi_head_attention` with several; X + PE with positions."""
    if state.n_heads == 1:
        return self_attention(state.X_in, state.W_q, state.W_k, state.W_v, causal=state.causal, scaled=state.scaled)
    return multi_head_attention(
        state.X_in, state.W_q, state.W_k, state.W_v, state.W_o, state.n_heads, causal=state.causal, scaled=state.scaled
    )


def _check_magnitude(name: str, M: np.ndarray) -> None:
    finite = np.isfinite(M)
    if not finite.all() or np.abs(M).max() > MAX_MAGNITUDE:
        big = np.abs(np.where(finite, M, np.inf))
        r, c = np.unravel_index(int(np.argmax(big)), M.shape)
        raise InputError(
            "too_large", name=name, value=exact_text(M[r, c]), limit=f"{MAX_MAGNITUDE:.0e}", row=r + 1, col=c + 1
        )
