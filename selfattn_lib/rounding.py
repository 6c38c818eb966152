"""The series' one rounding rule for the numbers it shows.

Every shown number is rounded half up (away from zero) on its decimal value: 0.365 -> 0.37 and
0.305 -> 0.31. Python's own f"{x:.2f}" rounds the binary float instead (0.365 is stored as
0.36499999...), which would show 0.36 next to 0.31. The value is first read to 12 significant
digits, so such binary noise never decides a rounding.

A written-out sum shows its terms with as many decimals as it takes for the shown terms to add up
to the shown total (`places_that_add_up`), so a learner who checks by hand gets the printed total.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["round_half_up", "fmt", "places_that_add_up", "adds_up"]


def round_half_up(x, places: int = 2) -> Decimal:
    """x rounded half up (away from zero) to `places` decimals, as an exact Decimal."""
    return Decimal(f"{float(x):.12g}").quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt(x, places: int = 2) -> str:
    """x with exactly `places` decimals under the rule, in fixed notation at any precision (str()
    of a Decimal would write 1e-9 at 10 places as '1.0E-9'); never '-0.00'."""
    text = format(round_half_up(x, places), "f")
    return text[1:] if text.startswith("-") and Decimal(text) == 0 else text


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
    shown = sum((math.prod((round_half_up(f, places) for f in term), start=Decimal(1)) for term in terms),
                start=Decimal(0))
    return shown.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) == round_half_up(total, places)
