"""Argument checks for the public boundary: each names the owner, the argument, the value given
and what is allowed, so a string where a number belongs is a clear error, never a bare
TypeError from a comparison deep inside.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np


def _describe(value: Any) -> str:
    return f"{value!r:.80} (a {type(value).__name__})"


def _interval(low: float | None, high: float | None, low_open: bool, high_open: bool) -> str:
    left = "(-inf" if low is None else ("(" if low_open else "[") + f"{low:g}"
    right = "inf)" if high is None else f"{high:g}" + (")" if high_open else "]")
    return f"{left}, {right}"


def check_real(
    owner: str,
    name: str,
    value: Any,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """`value` as a finite Python float in the given interval; TypeError or ValueError otherwise."""
    allowed = _interval(low, high, low_open, high_open)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{owner}: {name} must be a number in {allowed}, got {_describe(value)}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{owner}: {name} must be a finite number in {allowed}, got {value!r}")
    if (low is not None and (number < low or (low_open and number == low))) or (
        high is not None and (number > high or (high_open and number == high))
    ):
        raise ValueError(f"{owner}: {name} must be in {allowed}, got {value!r}")
    return number


def check_int(owner: str, name: str, value: Any, low: int | None = None, high: int | None = None) -> int:
    """`value` as a Python int in [low, high]; TypeError or ValueError otherwise."""
    allowed = _interval(low, high, False, False)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{owner}: {name} must be an integer in {allowed}, got {_describe(value)}")
    number = int(value)
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValueError(f"{owner}: {name} must be an integer in {allowed}, got {number}")
    return number


def check_bool(owner: str, name: str, value: Any) -> bool:
    """`value` as a bool; a string such as "no" (truthy!) or a number other than 0/1 is refused."""
    if isinstance(value, (bool, np.bool_)) or (isinstance(value, numbers.Integral) and value in (0, 1)):
        return bool(value)
    raise TypeError(f"{owner}: {name} must be True or False, got {_describe(value)}")
