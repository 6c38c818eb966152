"""A link that reopens an explorer state (issue 27): share.py and the page's share.js write the same
link for a state and read every link back to the same numbers, bit for bit; a cut, hand-edited,
oversized or newer-format link is refused, by both, with a sentence saying why, and the chapter's
example is opened instead. The page module runs in node (tests/share_node.mjs)."""

from __future__ import annotations

import base64
import json
import math
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest
from explorer_page_cases import need_node
from hypothesis import given, settings
from hypothesis import strategies as st

from selfattn_lib.example import chapter_example
from selfattn_lib.explorer import share
from selfattn_lib.explorer.state import (
    MATRICES,
    MAX_DIM,
    MAX_HEADS,
    MAX_LABEL,
    MAX_TOKENS,
    RULES,
    ExplorerState,
    InputError,
    validate,
)
from selfattn_lib.strings import STRINGS, text

ROOT = Path(__file__).resolve().parents[1]

# Labels a learner (or a prankster) may type: accents, other scripts, a character outside the BMP,
# markup, math and quotes. Each must come back as the same text.
LABEL_PIECES = [
    "gato",
    "preto",
    "ação",
    "é",
    "猫",
    "🐈",
    "<b>x</b>",
    "<script>alert(1)</script>",
    "$x^2$",
    r"\(\frac{1}{2}\)",
    "R$5",
    "“quote”",
    "a b",
    "&amp;",
    "'",
    '"',
    "%20",
    "#state=",
    "ü",
]


def chapter_state() -> ExplorerState:
    e = chapter_example()
    return ExplorerState.of(list(e.tokens), e.X, e.W_q, e.W_k, e.W_v)


def random_label(rng) -> str:
    label = "".join(rng.choice(LABEL_PIECES) for _ in range(rng.integers(1, 5))).strip()
    return label[:MAX_LABEL].strip() or "x"


def random_number(rng, kind: str) -> float:
    if kind == "decimal":  # what learners type and the explorer's seeded fill gives
        return round(float(rng.normal()), 1) or 0.0
    if kind == "exact":  # any float64: every digit must survive
        return float(rng.normal() * 10 ** rng.uniform(-9, 3))
    return float(rng.choice([0.0, -0.0, 1.0, -2.0, 0.5, 1e-300, 5e-324, 123456789.0, 0.1 + 0.2, 1 / 3]))


def random_state(rng, n=None, d=None, kind=None) -> ExplorerState:
    """A valid state: any sizes, heads that divide d_k and d_v, either flag, a focus, positions."""
    while True:
        n_ = n or int(rng.integers(1, MAX_TOKENS + 1))
        d_model, d_k, d_v = (d or int(rng.integers(1, MAX_DIM + 1)) for _ in range(3))
        heads = [h for h in range(1, MAX_HEADS + 1) if d_k % h == 0 and d_v % h == 0]
        kind_ = kind or rng.choice(["decimal", "exact", "special"])
        fill = lambda r, c: [[random_number(rng, kind_) for _ in range(c)] for _ in range(r)]  # noqa: E731
        state = ExplorerState.of(
            [random_label(rng) for _ in range(n_)],
            fill(n_, d_model),
            fill(d_model, d_k),
            fill(d_model, d_k),
            fill(d_model, d_v),
            causal=bool(rng.integers(2)),
            scaled=bool(rng.integers(2)),
            focus=int(rng.integers(n_)),
            W_o=fill(d_v, d_model),
            n_heads=int(rng.choice(heads)),
            positions=bool(rng.integers(2)),
        )
        try:
            validate(state)
        except InputError:
            continue
        return state


def bits(x: float) -> str:
    return struct.pack(">d", x).hex()


def exact(data: dict) -> dict:
    """A state's dict with every number as its float64 bytes (so 0.0 and -0.0 differ)."""
    return {k: [[bits(x) for x in row] for row in v] if k in MATRICES else v for k, v in data.items()}


def data_of(state: ExplorerState) -> dict:
    return {
        "tokens": state.tokens,
        **{name: state.matrix(name).tolist() for name in MATRICES},
        "causal": state.causal,
        "scaled": state.scaled,
        "focus": state.focus,
        "n_heads": state.n_heads,
        "positions": state.positions,
    }


def page(cases: list, tmp_path) -> list:
    """Run the page module on `cases` in node."""
    need_node()  # CI=true fails instead of skipping
    node = shutil.which("node")
    path = tmp_path / "share_cases.json"
    path.write_text(json.dumps({"config": share.SHARE, "rules": RULES, "cases": cases}), encoding="utf-8")
    done = subprocess.run(
        [node, str(ROOT / "tests" / "share_node.mjs"), str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    answers = json.loads(done.stdout)
    crashes = [a["crash"] for a in answers if "crash" in a]
    assert not crashes, crashes[0]
    return answers


def forged(body: bytes) -> str:
    """A payload with a correct check around `body`: what only someone who made it on purpose sends."""
    raw = body + zlib.crc32(body).to_bytes(4, "big")
    return "#state=" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def refusal(link) -> tuple:
    """(key, why-key) of Python's refusal of `link`, as the node runner reports the page's."""
    with pytest.raises(InputError) as caught:
        share.state_from_link(link)
    why = caught.value.values.get("why") or caught.value.values.get("error")
    return caught.value.key, getattr(why, "key", None)


# --- lengths ---------------------------------------------------------------------------------------

SENTENCE = "the black cat ran quickly across the old wooden floor of the quiet house at night".split()


def typical(state: ExplorerState) -> ExplorerState:
    """`state` with a sentence's words as labels (what a lesson uses; the random labels are hostile)."""
    return ExplorerState.of(
        SENTENCE[: state.n],
        state.X,
        state.W_q,
        state.W_k,
        state.W_v,
        state.causal,
        state.scaled,
        state.focus,
        state.W_o,
        state.n_heads,
        state.positions,
    )


def test_links_are_short_for_the_chapter_example_and_typical_states():
    rng = np.random.default_rng(27)
    lengths = {"chapter example": len(share.state_link(chapter_state()))}
    for n in (8, 16):
        for d, kind in ((4, "decimal"), (10, "decimal"), (4, "exact")):
            state = typical(random_state(rng, n=n, d=d, kind=kind))
            lengths[f"{n} tokens, d = {d}, {'one decimal' if kind == 'decimal' else 'full float64'}"] = len(
                share.state_link(state)
            )
    print("link lengths (characters, with the site's address):", lengths)
    assert lengths["chapter example"] < 400
    assert lengths["8 tokens, d = 4, one decimal"] < 1000  # "well under 2,000"
    assert lengths["8 tokens, d = 10, one decimal"] < share.LONG_LINK


def test_the_largest_state_fits_under_the_limit():
    """16 tokens of 40 four-byte characters, every size 10, every number 17 digits with an exponent."""
    x = -1.2345678901234567e-300
    big = [[x] * MAX_DIM for _ in range(MAX_DIM)]
    state = ExplorerState.of(["🐈" * MAX_LABEL] * MAX_TOKENS, [[x] * MAX_DIM] * MAX_TOKENS, big, big, big, W_o=big)
    link = share.state_link(state)
    assert len(share.number_text(x)) == 23
    assert len(link) < share.MAX_LINK
    assert share.decode_link(link)["tokens"] == ["🐈" * MAX_LABEL] * MAX_TOKENS


# --- exact round trips -----------------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_number_text_reads_back_exactly_and_is_never_longer_than_repr(x):
    written = share.number_text(x)
    assert bits(float(written)) == bits(x)
    assert len(written) <= len(repr(x)) + 1  # repr's '0.5' is '.5' here; '-0.0' is '-0'


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_random_valid_states_come_back_equal_to_the_last_digit(seed):
    state = random_state(np.random.default_rng(seed))
    back = share.state_from_link(share.state_link(state))
    assert back == state
    assert back.to_json() == state.to_json()  # -0.0 and every digit as the file writes them
    assert exact(data_of(back)) == exact(data_of(state))


def test_labels_come_back_as_the_literal_text():
    labels = ["<script>alert(1)</script>", "$x^2$", r"\(\frac{1}{2}\)", "🐈 gato"]
    state = random_state(np.random.default_rng(1), n=4, d=2)
    state = ExplorerState.of(labels, state.X, state.W_q, state.W_k, state.W_v)
    assert share.state_from_link(share.state_link(state)).tokens == labels


def test_python_and_page_write_the_same_link_and_read_the_same_numbers(tmp_path):
    rng = np.random.default_rng(2027)
    states = [chapter_state()] + [random_state(rng) for _ in range(300)]
    links = [share.state_link(s, language) for s, language in zip(states, ["en", "pt"] * 200)]
    cases = [
        {"op": "encode", "data": exact(data_of(s)), "language": language}
        for s, language in zip(states, ["en", "pt"] * 200)
    ]
    cases += [{"op": "decode", "link": link} for link in links]
    answers = page(cases, tmp_path)
    encoded, decoded = answers[: len(states)], answers[len(states) :]
    assert [a["link"] for a in encoded] == links
    for state, link, answer in zip(states, links, decoded):
        assert answer["ok"], answer
        assert answer["data"] == {**exact(share.decode_link(link)), "format": share.CONFIG_FORMAT, "version": 1}
        assert answer["data"] == {**exact(data_of(state)), "format": share.CONFIG_FORMAT, "version": 1}


def test_page_number_text_is_python_number_text(tmp_path):
    rng = np.random.default_rng(5)
    xs = [0.0, -0.0, 0.1, -0.25, 100.0, 1e12, 1e-7, 5e-324, 1.7976931348623157e308, 0.1 + 0.2, 1 / 3]
    xs += [float(rng.normal() * 10 ** rng.uniform(-300, 300)) for _ in range(500)]
    xs += [struct.unpack(">d", rng.bytes(8))[0] for _ in range(500)]
    xs = [x for x in xs if math.isfinite(x)]
    answers = page([{"op": "numberText", "x": bits(x)} for x in xs], tmp_path)
    assert [a["text"] for a in answers] == [share.number_text(x) for x in xs]


# --- hostile links ---------------------------------------------------------------------------------


def chapter_link() -> str:
    return share.state_link(chapter_state())


def chapter_body() -> bytes:
    payload = chapter_link().split("#state=")[1]
    return base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))[:-4]


def hostile_links() -> dict:
    """name -> (link, the refusal's key, its reason's key)."""
    body = chapter_body()
    labels_end = 7 + sum(1 + len(t.encode()) for t in chapter_state().tokens)

    def header(**fields):
        b = bytearray(body)
        for at, value in fields.items():
            b[int(at[1:])] = value
        return bytes(b)

    long_label = bytearray(body)
    long_label[7 : 8 + body[7]] = bytes([41]) + b"a" * 41
    control = bytearray(body)
    control[8] = 0x09  # a tab inside the first label
    return {
        "cut short by one character": (chapter_link()[:-1], "link_damaged", "link_why_check"),
        "cut in the middle": (chapter_link()[:120], "link_damaged", "link_why_check"),
        "one character changed": (
            chapter_link()[:100] + ("A" if chapter_link()[100] != "A" else "B") + chapter_link()[101:],
            "link_damaged",
            "link_why_check",
        ),
        "characters no link has": (chapter_link() + "!", "link_damaged", "link_why_characters"),
        "a space inside": (chapter_link()[:100] + " " + chapter_link()[100:], "link_damaged", "link_why_characters"),
        "percent-encoded": (chapter_link()[:100] + "%41" + chapter_link()[100:], "link_damaged", "link_why_characters"),
        "oversized": ("#state=" + "A" * share.MAX_LINK, "link_too_long", None),
        "empty fragment": ("https://example.org/explorer.html#state=", "link_no_state", None),
        "a page address without a state": ("https://example.org/explorer.html", "link_no_state", None),
        "not text": (None, "link_no_state", None),
        "newer format": (forged(bytes([2]) + body[1:]), "link_future", None),
        "newer format, unreadable after": (
            "#state=" + base64.urlsafe_b64encode(bytes([9, 1, 2, 3])).decode().rstrip("="),
            "link_future",
            None,
        ),
        "format 0": (forged(bytes([0]) + body[1:]), "link_damaged", "link_why_check"),
        "unknown switch bits": (forged(header(b1=body[1] | 0x80)), "link_damaged", "link_why_header"),
        "no tokens": (forged(header(b2=0)), "link_damaged", "link_why_header"),
        "17 tokens": (forged(header(b2=17)), "link_damaged", "link_why_header"),
        "d_model 11": (forged(header(b3=11)), "link_damaged", "link_why_header"),
        "labels not UTF-8": (forged(body[:8] + b"\xff" + body[9:]), "link_damaged", "link_why_labels"),
        "labels cut": (forged(body[:9]), "link_damaged", "link_why_labels"),
        "a number missing": (forged(body[:-2]), "link_damaged", "link_why_numbers"),
        "a number too many": (forged(body + bytes([0x1F])), "link_damaged", "link_why_numbers"),
        "not a number ('..')": (forged(body[:labels_end] + bytes([0xAA, 0xF0])), "link_damaged", "link_why_numbers"),
        "a number of 40 digits": (
            forged(body[:labels_end] + bytes([0x11] * 20 + [0xF0])),
            "link_damaged",
            "link_why_numbers",
        ),
        # a well-made link whose state the JSON file's checks refuse
        "a label of 41 characters": (forged(bytes(long_label)), "link_refused", "bad_config"),
        "a tab in a label": (forged(bytes(control)), "link_refused", "bad_config"),
        "focus past the last token": (forged(header(b6=3)), "link_refused", "bad_config"),
        "3 heads for d_k = 4": (forged(header(b1=body[1] | 0x10)), "link_refused", "explorer_heads_divide"),
        "a number beyond ±1e12": (
            forged(body[:labels_end] + bytes([0x10, 0xC1, 0x2F]) + body[labels_end + 1 :]),
            "link_refused",
            "bad_config",
        ),  # refused for its size, as in a file
        "an infinite number": (
            forged(body[:labels_end] + bytes([0x1C, 0x99, 0x9F]) + body[labels_end + 1 :]),
            "link_refused",
            "bad_config",
        ),
    }


@pytest.mark.parametrize("name", list(hostile_links()))
def test_hostile_link_is_refused_with_its_reason_and_the_chapter_example_opens(name):
    link, key, why = hostile_links()[name]
    assert refusal(link) == (key, why)
    for language in STRINGS:
        state, message = share.open_link(link, language)
        assert state == chapter_state()
        assert message.startswith(
            text(key, language, **{k: "" for k in ("why", "error", "limit", "got", "version", "supported")})[:12]
        )
        assert message.endswith(text("link_fallback", language, why="")[1:].strip()[-20:])


def test_page_refuses_the_same_links_for_the_same_reasons(tmp_path):
    hostile = hostile_links()
    answers = page([{"op": "decode", "link": link} for link, _, _ in hostile.values()], tmp_path)
    for (name, (link, key, why)), answer in zip(hostile.items(), answers):
        if key == "link_refused":
            # decoded as a JSON file would parse: the explorer's fromData / validate refuse it there
            assert answer["ok"] and answer["data"] == exact(share.decode_link(link)), name
        else:
            assert not answer["ok"], name
            assert (answer["key"], answer["values"].get("why", {}).get("key")) == (key, why), name


def test_every_cut_and_every_one_character_edit_is_refused_or_changes_nothing(tmp_path):
    link = chapter_link()
    start = link.index("#state=") + len("#state=")
    cuts = [link[:i] for i in range(start, len(link))]
    alphabet = "AQgw_-09azZ"
    edits = [link[:i] + ch + link[i + 1 :] for i in range(start, len(link)) for ch in alphabet if ch != link[i]]
    same = 0
    for edited in cuts + edits:
        try:
            back = share.state_from_link(edited)
        except InputError as exc:
            assert exc.key in {"link_damaged", "link_no_state", "link_future"}, (edited, exc.key)
        else:  # only the spare bits of the last character: the very same state
            assert back == chapter_state() and edited.startswith(link[:-1]), edited
            same += 1
    assert same <= len(alphabet)
    answers = page([{"op": "decode", "link": e} for e in cuts + edits], tmp_path)
    for edited, answer in zip(cuts + edits, answers):
        if answer["ok"]:
            assert share.state_from_link(edited) == chapter_state()
        else:
            with pytest.raises(InputError) as caught:
                share.state_from_link(edited)
            assert caught.value.key == answer["key"]


def test_refusals_are_said_in_both_languages():
    state, message_pt = share.open_link(chapter_link()[:-5], "pt")
    _, message_en = share.open_link(chapter_link()[:-5], "en")
    assert message_en == (
        "This link is damaged: part of it is missing or was changed (its check does not match). "
        "Ask for the link again, or for the JSON file. The chapter's example is shown instead."
    )
    assert message_pt.startswith("Este link está danificado") and message_pt.endswith("exemplo do capítulo no lugar.")
    assert share.open_link(chapter_link(), "pt") == (chapter_state(), None)


def test_a_link_is_accepted_whole_as_its_fragment_or_as_its_payload():
    link = chapter_link()
    payload = link.split("#state=")[1]
    for form in (
        link,
        "  " + link + "\n",
        "#state=" + payload,
        "state=" + payload,
        payload,
        share.state_link(chapter_state(), base="http://127.0.0.1:8000/pt/x.html"),
    ):
        assert share.state_from_link(form) == chapter_state()
    assert share.state_link(chapter_state(), "pt").startswith(share.explorer_url("pt") + "#state=")
    assert share.explorer_url("pt").startswith(share.site_url())


def test_a_refused_links_reason_is_said_in_portuguese_too():
    """The JSON checks' reason inside a link's refusal: in the learner's language, not English."""
    link, _, _ = hostile_links()["focus past the last token"]
    _, message = share.open_link(link, "pt")
    assert text("config_focus", "pt", last=2) in message, message
    assert text("config_focus", "en", last=2) not in message


def test_the_page_refuses_what_the_json_checks_refuse_for_the_same_reason(tmp_path):
    """Well-made links whose state is not allowed: the explorer's own fromData / validate (explorer.js)
    refuse each, as state.py does, and a good link opens."""
    refused = {name: case for name, case in hostile_links().items() if case[1] == "link_refused"}
    cases = [{"op": "open", "link": link} for link, _, _ in refused.values()] + [{"op": "open", "link": chapter_link()}]
    answers = page(cases, tmp_path)
    for (name, (_link, _, why)), answer in zip(refused.items(), answers):
        assert not answer["ok"] and answer["key"] == why, (name, answer)
    assert answers[-1] == {"ok": True, "tokens": chapter_state().tokens}
