"""Argument checks: the message names the owner, the argument, the value and what is allowed."""

import numpy as np
import pytest

from jaring.validation import check_bool, check_int, check_real


@pytest.mark.parametrize(
    "value, error, message",
    [
        ("a", TypeError, r"Layer: eps must be a number in \(0, 1\], got 'a' \(a str\)"),
        (True, TypeError, "must be a number"),
        (None, TypeError, "got None"),
        (float("nan"), ValueError, "must be a finite number"),
        (float("inf"), ValueError, "must be a finite number"),
        (0.0, ValueError, r"must be in \(0, 1\], got 0.0"),
        (1.5, ValueError, r"must be in \(0, 1\], got 1.5"),
    ],
)
def test_check_real_refuses(value, error, message):
    with pytest.raises(error, match=message):
        check_real("Layer", "eps", value, 0.0, 1.0, low_open=True)


def test_check_real_accepts_numbers_as_floats():
    assert check_real("L", "x", np.float32(0.5), 0, 1) == 0.5
    assert type(check_real("L", "x", 1, 0, 1)) is float


def test_check_int_and_check_bool():
    assert check_int("L", "n", np.int64(3), 0) == 3
    with pytest.raises(TypeError, match=r"n must be an integer in \[0, inf\), got 1.5"):
        check_int("L", "n", 1.5, 0)
    with pytest.raises(ValueError, match="got -1"):
        check_int("L", "n", -1, 0)
    assert check_bool("L", "flag", np.bool_(True)) is True and check_bool("L", "flag", 0) is False
    with pytest.raises(TypeError, match="flag must be True or False, got 'no'"):
        check_bool("L", "flag", "no")
