"""Constraints: the sets a parameter or a value must lie in, named and printed as torch's are.

Each constraint's `check(array)` returns a boolean array (True where the value is allowed), computed
with the array's own module so it runs on CuPy too.

Examples:
    >>> import numpy as np
    >>> from jaring.distributions.constraints import GreaterThan
    >>> GreaterThan(0.0), GreaterThan(0.0).check(np.array([1.0, -1.0]))
    (GreaterThan(lower_bound=0.0), array([ True, False]))
"""

from __future__ import annotations

from typing import Any

from jaring import backend


def _number(bound: Any) -> Any:
    """A bound for printing: a float for a one-value array, the array itself otherwise."""
    data = getattr(bound, "data", bound)
    return float(data) if getattr(data, "size", 1) == 1 else data


class Constraint:
    """A set of allowed values; `check` marks each value in or out."""

    def check(self, value: Any) -> Any:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Real(Constraint):
    """Any real number: only NaN is out."""

    def check(self, value: Any) -> Any:
        return value == value


class GreaterThan(Constraint):
    """Values strictly above `lower_bound` (a standard deviation above 0)."""

    def __init__(self, lower_bound: Any) -> None:
        self.lower_bound = lower_bound

    def check(self, value: Any) -> Any:
        return value > getattr(self.lower_bound, "data", self.lower_bound)

    def __repr__(self) -> str:
        return f"GreaterThan(lower_bound={_number(self.lower_bound)})"


class LessThan(Constraint):
    """Values strictly below `upper_bound` (a uniform's low below its high)."""

    def __init__(self, upper_bound: Any) -> None:
        self.upper_bound = upper_bound

    def check(self, value: Any) -> Any:
        return value < getattr(self.upper_bound, "data", self.upper_bound)

    def __repr__(self) -> str:
        return f"LessThan(upper_bound={_number(self.upper_bound)})"


class Interval(Constraint):
    """Values in the closed interval [lower_bound, upper_bound]."""

    def __init__(self, lower_bound: Any, upper_bound: Any) -> None:
        self.lower_bound, self.upper_bound = lower_bound, upper_bound

    def check(self, value: Any) -> Any:
        low = getattr(self.lower_bound, "data", self.lower_bound)
        high = getattr(self.upper_bound, "data", self.upper_bound)
        return (low <= value) & (value <= high)

    def __repr__(self) -> str:
        return f"Interval(lower_bound={_number(self.lower_bound)}, upper_bound={_number(self.upper_bound)})"


class IntegerInterval(Constraint):
    """Whole numbers from lower_bound to upper_bound, both included (a categorical's actions)."""

    def __init__(self, lower_bound: int, upper_bound: int) -> None:
        self.lower_bound, self.upper_bound = lower_bound, upper_bound

    def check(self, value: Any) -> Any:
        xp = backend.array_module(value)
        return (
            (value % 1 == 0) & (self.lower_bound <= value) & (value <= self.upper_bound) & xp.isfinite(value)
        )

    def __repr__(self) -> str:
        return f"IntegerInterval(lower_bound={self.lower_bound}, upper_bound={self.upper_bound})"


class Boolean(Constraint):
    """The two values 0 and 1 (a Bernoulli's outcomes)."""

    def check(self, value: Any) -> Any:
        return (value == 0) | (value == 1)


class Simplex(Constraint):
    """Non-negative vectors along the last dimension that sum to 1."""

    def check(self, value: Any) -> Any:
        xp = backend.array_module(value)
        return xp.all(value >= 0, axis=-1) & (xp.abs(value.sum(-1) - 1) < 1e-6)


real = Real()
boolean = Boolean()
simplex = Simplex()
positive = GreaterThan(0.0)
unit_interval = Interval(0.0, 1.0)
