"""A helper for the hostile-input tests: a call must be refused with a ValueError naming things."""

import warnings

import pytest


def assert_refused(call, words):
    """call() raises ValueError (no other exception, no warning) whose message holds every word."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning may escape either
        with pytest.raises(ValueError) as info:
            call()
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
