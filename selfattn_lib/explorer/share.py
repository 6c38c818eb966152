"""A link that reopens an explorer state: the whole state (tokens, X, W^Q, W^K, W^V, W^O, sizes,
causal, scaled, heads, positions, focus) in the URL fragment of the course site's explorer page.

    https://<site>/en/notebooks/09_explorer.html#state=<payload>

The fragment never reaches a server. share.js writes and reads the same payload in the page; the
tests run both against each other. Where the site lives and how long a link may be: share.json
(the one place; the widget and the site read it).

Payload, format 1 (base64url of these bytes, no padding):

    byte 0          format version (1; a larger one is refused as "made by a newer explorer")
    byte 1          flags: bit 0 causal, bit 1 scaled, bit 2 positions, bits 3-4 n_heads - 1,
                    bits 5-7 zero
    bytes 2-6       n, d_model, d_k, d_v, focus (one byte each)
    n labels        one length byte (of the UTF-8 bytes), then the label's UTF-8 bytes
    numbers         X, W_q, W_k, W_v, W_o (the parts in use, row by row) as text in 4-bit
                    symbols, two per byte: 0-9 digits, A '.', B '-', C 'e', F ends a number; an
                    odd count ends with one F of padding. Each number is the shortest text that
                    reads back to the same float64 (Python's repr digits, JavaScript's too),
                    written fixed ('.25', '-3', '100') or with an exponent ('1e12', '15e-8'),
                    whichever is shorter: exact to the last digit, and short for the numbers
                    learners type (0.3 costs 1.5 bytes, not 8).
    4 bytes         CRC-32 of everything before it (big-endian): a cut or hand-edited link is
                    refused instead of opening a different state.

A decoded link becomes the same dict a JSON file parses to, and goes through the same checks
(`ExplorerState.from_data`, then `validate`). Anything refused raises `InputError` whose message
says why in the learner's language; `open_link` then gives the chapter's example with that message.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import zlib
from decimal import Decimal
from pathlib import Path

from ..example import chapter_example
from .state import (
    CONFIG_FORMAT,
    MATRICES,
    MAX_DIM,
    MAX_HEADS,
    MAX_LABEL,
    MAX_TOKENS,
    ExplorerState,
    InputError,
    validate,
)

__all__ = [
    "SHARE",
    "LINK_VERSION",
    "MAX_LINK",
    "LONG_LINK",
    "site_url",
    "explorer_url",
    "encode_state",
    "state_link",
    "decode_link",
    "state_from_link",
    "open_link",
    "number_text",
]

SHARE = json.loads(Path(__file__).with_name("share.json").read_text(encoding="utf-8"))
LINK_VERSION = SHARE["link_version"]
LINK_KEY = SHARE["link_key"]
MAX_LINK = SHARE["max_link"]  # characters: refused before any decoding (every valid state fits)
LONG_LINK = SHARE["long_link"]  # characters: longer links work, but mail and chat programs may cut them

_SYMBOLS = "0123456789.-e"  # 4-bit codes 0..12; 15 ends a number
_END = 15
_MAX_NUMBER_SYMBOLS = 32  # the longest float64 text is 24 symbols ("-12345678901234567e-324")
_NUMBER = re.compile(r"-?(?:\d+|\d*\.\d+)(?:e-?\d+)?")
_PAYLOAD = re.compile(r"[A-Za-z0-9_-]*")
_HEADER = 7


def site_url() -> str:
    """The course site's address (share.json: the one place it is set)."""
    return SHARE["site"]


def explorer_url(language: str = "en") -> str:
    """The explorer page of `language`'s edition on the course site."""
    return SHARE["site"].rstrip("/") + "/" + SHARE["explorer_page"][language]


# --- numbers ---------------------------------------------------------------------------------------


def number_text(x: float) -> str:
    """The shortest text that reads back as exactly `x` (fixed or exponent, whichever is shorter)."""
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"not a finite number: {x!r}")
    sign = "-" if math.copysign(1.0, x) < 0 else ""
    if x == 0:
        return sign + "0"
    # repr's digits are the shortest that round-trip (JavaScript's toExponential() gives the same)
    _, digit_tuple, exponent = Decimal(repr(abs(x))).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    return sign + _shortest(digits, exponent)


def _shortest(digits: str, exponent: int) -> str:
    """digits x 10^exponent, written fixed or with an exponent, whichever is shorter (fixed on a tie)."""
    if exponent >= 0:
        fixed = digits + "0" * exponent
    elif len(digits) > -exponent:
        fixed = digits[: len(digits) + exponent] + "." + digits[len(digits) + exponent :]
    else:
        fixed = "." + "0" * (-exponent - len(digits)) + digits
    scientific = f"{digits}e{exponent}"
    return fixed if len(fixed) <= len(scientific) else scientific


# --- writing ---------------------------------------------------------------------------------------


def encode_state(state: ExplorerState) -> str:
    """The payload of `state`'s link (base64url, no padding). The parts in use are kept, as in
    `to_json` (not the numbers kept aside after a shrink)."""
    flags = int(bool(state.causal)) | int(bool(state.scaled)) << 1 | int(bool(state.positions)) << 2
    flags |= (int(state.n_heads) - 1) << 3
    out = bytearray([LINK_VERSION, flags, state.n, state.d_model, state.d_k, state.d_v, int(state.focus)])
    for label in state.tokens:
        raw = label.encode("utf-8")
        out.append(len(raw))
        out += raw
    symbols = []
    for name in MATRICES:
        for x in state.matrix(name).ravel().tolist():
            symbols += [_SYMBOLS.index(ch) for ch in number_text(x)]
            symbols.append(_END)
    if len(symbols) % 2:
        symbols.append(_END)
    out += bytes(symbols[i] << 4 | symbols[i + 1] for i in range(0, len(symbols), 2))
    out += zlib.crc32(out).to_bytes(4, "big")
    return base64.urlsafe_b64encode(bytes(out)).decode("ascii").rstrip("=")


def state_link(state: ExplorerState, language: str = "en", base: str | None = None) -> str:
    """The link that opens `state` on the course site's explorer page of `language`'s edition
    (or on `base`, e.g. a local copy of the site)."""
    return f"{explorer_url(language) if base is None else base}#{LINK_KEY}={encode_state(state)}"


# --- reading ---------------------------------------------------------------------------------------


def _damaged(why: str, **values) -> InputError:
    return InputError("link_damaged", why=InputError(why, **values))


def _payload_of(link: str) -> str:
    """The payload inside a whole link, a fragment ('#state=...', 'state=...') or the payload alone."""
    link = link.strip()
    if "#" in link:
        link = link.split("#", 1)[1]
    elif "://" in link:
        raise InputError("link_no_state")
    if link.startswith(LINK_KEY + "="):
        link = link[len(LINK_KEY) + 1 :]
    if not link:
        raise InputError("link_no_state")
    return link


def decode_link(link) -> dict:
    """The dict a JSON file of the same state parses to, from a link (or its fragment or payload).
    InputError for anything that is not a whole link of a known format; the values themselves are
    checked by `state_from_link` (the same checks as a JSON file)."""
    if not isinstance(link, str):
        raise InputError("link_no_state")
    if len(link) > MAX_LINK:  # before any work
        raise InputError("link_too_long", limit=MAX_LINK, got=len(link))
    payload = _payload_of(link)
    if not _PAYLOAD.fullmatch(payload):
        raise _damaged("link_why_characters")
    if len(payload) % 4 == 1:  # no whole number of bytes: cut short (or one character added)
        raise _damaged("link_why_check")
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except (binascii.Error, ValueError):
        raise _damaged("link_why_characters") from None
    if not raw:
        raise _damaged("link_why_check")
    if raw[0] > LINK_VERSION:  # before the check: a newer format may check differently
        raise InputError("link_future", version=raw[0], supported=LINK_VERSION)
    if raw[0] < 1 or len(raw) < _HEADER + 4 or zlib.crc32(raw[:-4]) != int.from_bytes(raw[-4:], "big"):
        raise _damaged("link_why_check")
    return _read(raw[:-4])


def _read(body: bytes) -> dict:
    """The fields of a payload whose check matched (so only a link made on purpose gets here)."""
    flags, n, d_model, d_k, d_v, focus = body[1:_HEADER]
    if flags >> 5 or not (1 <= n <= MAX_TOKENS and all(1 <= d <= MAX_DIM for d in (d_model, d_k, d_v))):
        raise _damaged("link_why_header")
    at = _HEADER
    tokens = []
    for _ in range(n):
        size = body[at] if at < len(body) else 0
        raw = body[at + 1 : at + 1 + size]
        if not size or size > 4 * MAX_LABEL or len(raw) != size:
            raise _damaged("link_why_labels")
        try:
            tokens.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise _damaged("link_why_labels") from None
        at += 1 + size
    shapes = {
        "X": (n, d_model),
        "W_q": (d_model, d_k),
        "W_k": (d_model, d_k),
        "W_v": (d_model, d_v),
        "W_o": (d_v, d_model),
    }
    symbols = [s for byte in body[at:] for s in (byte >> 4, byte & 15)]
    numbers, word, used = [], [], 0
    wanted = sum(rows * cols for rows, cols in shapes.values())
    for used, symbol in enumerate(symbols, start=1):  # noqa: B007 - `used` counts what was read, for after the loop
        if symbol == _END:
            text_ = "".join(word)
            if not _NUMBER.fullmatch(text_):
                raise _damaged("link_why_numbers")
            numbers.append(float(text_))
            word = []
            if len(numbers) == wanted:
                break
        elif symbol < len(_SYMBOLS) and len(word) < _MAX_NUMBER_SYMBOLS:
            word.append(_SYMBOLS[symbol])
        else:
            raise _damaged("link_why_numbers")
    rest = symbols[used:]
    if len(numbers) != wanted or len(rest) > 1 or rest and rest[0] != _END:
        raise _damaged("link_why_numbers")
    data = {"format": CONFIG_FORMAT, "version": 1, "tokens": tokens}
    for name, (rows, cols) in shapes.items():
        taken, numbers = numbers[: rows * cols], numbers[rows * cols :]
        data[name] = [taken[r * cols : (r + 1) * cols] for r in range(rows)]
    data.update(
        causal=bool(flags & 1),
        scaled=bool(flags & 2),
        positions=bool(flags & 4),
        n_heads=(flags >> 3 & 3) + 1,
        focus=focus,
    )
    assert data["n_heads"] <= MAX_HEADS
    return data


def state_from_link(link) -> ExplorerState:
    """The state a link holds, checked as a JSON file is (`from_data`) and as every edit is
    (`validate`); InputError saying why otherwise."""
    data = decode_link(link)
    try:
        state = ExplorerState.from_data(data)
        validate(state)
    except InputError as exc:
        raise InputError("link_refused", error=exc) from None
    return state


def open_link(link, language: str = "en") -> tuple[ExplorerState, str | None]:
    """(the link's state, None), or (the chapter's example, the sentence saying why) when the
    link cannot be used: what the explorer shows for a link, in notebook code or on the site."""
    try:
        return state_from_link(link), None
    except InputError as exc:
        example = chapter_example()
        state = ExplorerState.of(list(example.tokens), example.X, example.W_q, example.W_k, example.W_v)
        return state, InputError("link_fallback", why=exc).message(language)
