"""The series' one rounding rule for the numbers it shows.

Every shown number is rounded half up (away from zero) on its decimal value: 0.365 -> 0.37 and
0.305 -> 0.31. Python's own f"{x:.2f}" rounds the binary float instead (0.365 is stored as
0.36499999...), which would show 0.36 next to 0.31. The value is first read to 12 significant
digits, so such binary noise never decides a rounding.

How a number is written follows the learner's language (`written`): in Portuguese with a decimal
comma and a point between thousands (0,305; 100.000; 44,2 %), in English as Python writes it.
Only what a learner reads is written so; code, and what is typed into code, stays Python (0.305).

A written-out sum shows its terms with as many decimals as it takes for the shown terms to add up
to the shown total (`places_that_add_up`), so a learner who checks by hand gets the printed total.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["round_half_up", "fmt", "written", "written_array", "places_that_add_up", "adds_up"]

# A number as Python writes it, not inside a word or a longer number: -1234.5, 0.31, 1.2e-05, 44.2%
_NUMBER = re.compile(
    r"(?<![\w.,])(?P<sign>[-+−]?)(?P<whole>\d+)(?:\.(?P<decimals>\d+))?"
    r"(?P<exponent>e[-+]?\d+)?(?P<percent>%?)(?![\w.]*\d)"
)
# Digits in a whole part from which the thousands are marked: 10.000 (a four-digit 1024 stays).
_GROUP_FROM = 5


def round_half_up(x, places: int = 2) -> Decimal:
    """x rounded half up (away from zero) to `places` decimals, as an exact Decimal."""
    return Decimal(f"{float(x):.12g}").quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt(x, places: int = 2, language: str = "en") -> str:
    """x with exactly `places` decimals under the rule, in fixed notation at any precision (str()
    of a Decimal would write 1e-9 at 10 places as '1.0E-9'); never '-0.00'; written in `language`."""
    text = format(round_half_up(x, places), "f")
    text = text[1:] if text.startswith("-") and Decimal(text) == 0 else text
    return written(text, language)


def written(text: str, language: str = "en", math: bool = False, grouped: bool = False) -> str:
    """Every number in `text` (as Python writes them) as `language` writes it.

    "pt": 0.305 -> 0,305; 100000 -> 100.000; 44.2% -> 44,2 %; 1.74e-05 -> 1,74e-05. With
    `math=True` (LaTeX) the comma is written {,}, which TeX sets without the space of a list
    separator. Other languages: unchanged. Whole numbers under five digits are left as they are.
    `grouped=True`: `text` already has Portuguese marks (100.000,5: a template grouped the thousands
    itself, and the marks were swapped); only a percent sign changes.
    """
    if language != "pt":
        return text
    if grouped:
        return re.sub(r"(?<=\d)%", " %", text)
    comma = "{,}" if math else ","

    def one(match) -> str:
        whole = match["whole"]
        if len(whole) >= _GROUP_FROM and not match["exponent"]:
            whole = f"{int(whole):,}".replace(",", ".")
        shown = match["sign"] + whole
        if match["decimals"] is not None:
            shown += comma + match["decimals"]
        shown += match["exponent"] or ""
        return shown + ("\\ \\%" if math and match["percent"] else " %" if match["percent"] else "")

    return _NUMBER.sub(one, text)


def written_array(text: str, language: str = "en") -> str:
    """numpy's text of a float array ("[0.5646 1.    ]") in `language`'s way: "[0,5646 1      ]".
    A whole number's bare point (numpy's "1.") becomes a space, so the columns stay aligned."""
    if language != "pt":
        return text
    return written(re.sub(r"(?<=\d)\.(?=[\s\]]|$)", " ", text), language)


def places_that_add_up(terms, total, start: int = 2, most: int = 6) -> int:
    """The fewest decimals (from `start`) at which the rounded terms add up to the rounded total.

    `terms` is a list of lists of factors (a product per term; one factor for a plain sum).
    """
    for places in range(start, most + 1):
        if adds_up(terms, total, places):
            return places
    return most


def adds_up(terms, total, places: int) -> bool:
    """Do the terms, each factor rounded to `places`, add up to the total rounded to `places`?"""
    shown = sum(
        (math.prod((round_half_up(f, places) for f in term), start=Decimal(1)) for term in terms), start=Decimal(0)
    )
    return shown.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) == round_half_up(total, places)
