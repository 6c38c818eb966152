"""How every exercise check reads what a learner typed: one rule, so that the same answer is read
the same way in every notebook.

- Numbers: a float or int, a numpy scalar, an array or a (nested) list of them. A single number may
  come as a 0-d or size-1 array or a one-element list. Text is refused, with one sentence, even when
  it spells a number ("0.5"): an answer is a Python value, as the notebook's code will use it.
- Whole numbers (a shape, a position, a head): int, numpy int, or a float with no fractional part
  (3.0); not True/False, not text, not 3.5.
- A decimal comma (0,305 is the tuple (0, 305) in Python; [0,36, 0,33] a list twice as long;
  "0,89" text) gets the sentence that says so, with the number written with a point.
- A learner's exception is shown as its type and its own text ("AxisError: axis 1 is out of
  bounds ..."), never its repr; echoes of an answer are shortened.

Every sentence is a `strings` key ("exercises.*"), in the language the caller passes.
"""

from __future__ import annotations

import itertools
import math
import numbers
import re
import warnings

import numpy as np

from .attention import _preview
from .strings import text

__all__ = [
    "read_numbers",
    "read_number",
    "read_whole_numbers",
    "read_whole_number",
    "decimal_comma",
    "shorten",
    "error_text",
    "error_detail",
    "NOT_NUMBERS",
    "DECIMAL_COMMA",
    "OTHER",
]

NOT_NUMBERS = "not_numbers"
DECIMAL_COMMA = "decimal_comma"  # 0,305 typed for 0.305: Python reads two whole numbers
OTHER = "other"

# Echoes of a learner's answer are cut to this many characters.
ECHO = 40

# Text that is numbers written with decimal commas: "0,89", "-0,2", "[0,36, 0,33; 0,31]".
_COMMA_TEXT = re.compile(r"^[\s\[\]();]*[-+]?\d+,\d+(?:[\s\[\]();,]+[-+]?\d+,\d+)*[\s\[\]();]*$")


def shorten(value, limit: int = ECHO) -> str:
    """repr(value), cut to `limit` characters, without memory addresses."""
    return _preview(value, limit)


def error_detail(exc: BaseException, limit: int = 200) -> str:
    """An exception's own text as a learner reads it ("axis 1 is out of bounds for array of
    dimension 1"), never its repr (AxisError(1, 1, None)); shortened; its type when it has none."""
    try:
        detail = str(exc)
    except Exception:  # a learner's exception whose __str__ fails
        detail = ""
    detail = re.sub(r" at 0x[0-9a-fA-F]+", "", detail).strip()
    if len(detail) > limit:
        detail = detail[: limit - 3] + "..."
    return detail or type(exc).__name__


def error_text(exc: BaseException, limit: int = 200) -> str:
    """ "AxisError: axis 1 is out of bounds ...": the type and the exception's own text."""
    detail = error_detail(exc, limit)
    name = type(exc).__name__
    return name if detail == name else f"{name}: {detail}"


def _t(key: str, language: str, **values) -> str:
    return text("exercises." + key, language, **values)


def _comma_sentence(fixed: str, read: str, sign: bool, language: str) -> str:
    sentence = _t("decimal_comma", language, fixed=fixed, read=read)
    if sign:
        sentence += " " + _t("decimal_comma_sign", language)
    return sentence


def read_numbers(value, language: str):
    """(float array, None), or (None, (what the value is instead, mistake code))."""
    if isinstance(value, (str, bytes)):
        if isinstance(value, str) and _COMMA_TEXT.match(value) and len(value) <= 1000:
            fixed = re.sub(r"(\d),(\d)", r"\1.\2", value.strip())
            return None, (_comma_sentence(fixed, shorten(value), False, language), DECIMAL_COMMA)
        return None, (_t("got_text", language, got=shorten(value)), NOT_NUMBERS)
    if isinstance(value, np.ma.MaskedArray):
        return None, (_t("got_masked", language), NOT_NUMBERS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            array = np.asarray(value)
    except Exception:  # ragged lists, self-containing lists, too deep nesting: not numbers
        return None, (_t("got_not_table", language, type=type(value).__name__), NOT_NUMBERS)
    if array.dtype == object:
        for entry in itertools.islice(array.flat, 100_000):
            if isinstance(entry, numbers.Complex) and not isinstance(entry, numbers.Real):
                return None, (_t("got_complex", language), OTHER)
            if isinstance(entry, (bool, np.bool_)) or not isinstance(entry, numbers.Real):
                return None, (_t("got_entry", language, got=shorten(entry), type=type(entry).__name__), NOT_NUMBERS)
            try:
                float(entry)
            except OverflowError:
                return None, (_t("got_too_large", language, got=shorten(entry, 20)), OTHER)
        else:
            array = array.astype(float)
    kind = array.dtype.kind
    if kind == "c":
        return None, (_t("got_complex", language), OTHER)
    if kind == "b":
        return None, (_t("got_bool", language), NOT_NUMBERS)
    if kind in "US":  # a list with text in it: quote the text, not numpy's "<U32"
        entry = _first_text(value)
        entry = str(array.flat[0]) if entry is None else entry
        return None, (_t("got_entry", language, got=shorten(entry), type=type(entry).__name__), NOT_NUMBERS)
    if kind not in "iuf":
        kind = {"b": "bool", "c": "complex"}.get(kind, "other")  # text and numbers are read above
        return None, (
            _t("got_dtype", language, type=type(value).__name__, dtype=array.dtype, kind=_t("kind_" + kind, language)),
            NOT_NUMBERS,
        )
    with np.errstate(over="ignore"):  # a long double beyond float64 becomes inf: not correct
        return array.astype(float), None


def _first_text(value, budget: list | None = None):
    """The first str or bytes inside a (nested) list or tuple, looking at most at 10,000 items."""
    budget = [10_000] if budget is None else budget
    if isinstance(value, (str, bytes)):
        return value
    if isinstance(value, (list, tuple)):
        for item in value:
            budget[0] -= 1
            if budget[0] < 0:
                break
            found = _first_text(item, budget)
            if found is not None:
                return found
    return None


def decimal_comma(value, array: np.ndarray, expected_shape: tuple, language: str):
    """The decimal-comma sentence when `value` (read as `array`) looks like numbers typed with
    commas where `expected_shape` numbers were asked: a pair of whole numbers for one number
    (0,305 -> (0, 305)), or whole numbers twice as many as asked along the last axis
    ([0,36, 0,33] -> [0, 36, 0, 33]). None otherwise."""
    if array.size == 0 or not np.isfinite(array).all() or not np.array_equal(array, np.round(array)):
        return None
    if expected_shape in ((), (1,)):
        doubled = array.shape == (2,)
    else:
        doubled = (
            array.shape[:-1] == tuple(expected_shape[:-1])
            and array.ndim == len(expected_shape)
            and array.shape[-1] == 2 * expected_shape[-1]
        )
    if not doubled:
        return None
    pairs = array.reshape(-1, 2)
    if (pairs[:, 1] < 0).any():  # the part after a comma has no sign of its own
        return None
    written = [f"{int(a)}.{int(b)}" for a, b in pairs]
    fixed = written[0] if len(written) == 1 else "[" + ", ".join(written[:4]) + (", ...]" if len(written) > 4 else "]")
    read = shorten(tuple(int(x) for x in array.flat[:8]) if array.ndim <= 1 else "...")
    if array.ndim > 1:
        read = _t("decimal_comma_rows", language, got=array.shape[-1], expected=expected_shape[-1])
    return _comma_sentence(fixed, read, bool((pairs[:, 0] == 0).any()), language)


def read_number(value, language: str):
    """(float, None), or (None, (what the value is instead, mistake code)) for one number.

    A float, an int, a numpy scalar, a 0-d or size-1 array, a one-element list: all the same."""
    array, problem = read_numbers(value, language)
    if problem is not None:
        return None, problem
    if array.size != 1:
        comma = decimal_comma(value, array, (), language)
        if comma is not None:
            return None, (comma, DECIMAL_COMMA)
        return None, (_t("got_many", language, got=shorten(value), shape=array.shape), NOT_NUMBERS)
    number = float(array.reshape(()))
    if not math.isfinite(number):
        return None, (_t("got_not_finite", language, got=shorten(value)), OTHER)
    return number, None


def read_whole_number(value):
    """int, or None: an int, a numpy int, or a whole finite float (3.0); not bool, not text."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
        return read_whole_number(value.reshape(()).item())
    if isinstance(value, (float, np.floating)) and math.isfinite(value) and float(value).is_integer():
        return int(value)
    return None


def read_whole_numbers(answer, at_most: int = 100, sets: bool = False):
    """A list or tuple (or set, when order does not matter) of whole numbers as a list of ints,
    or None (3.0 counts, 3.5, "3", inf do not)."""
    if isinstance(answer, (str, bytes, dict)) or answer is None:
        return None
    if isinstance(answer, (set, frozenset)) and not sets:
        return None
    try:
        items = list(itertools.islice(iter(answer), at_most + 1))
    except Exception:  # not iterable, or a learner's iterator that fails
        return None
    if len(items) > at_most:
        return None
    out = []
    for x in items:
        whole = read_whole_number(x) if not isinstance(x, np.ndarray) else None
        if whole is None:
            return None
        out.append(whole)
    return out
