"""Argument and state checks shared by the optimizers ported from torch.optim, in torch's words.

torch says "Invalid learning rate: -1"; these helpers raise the same sentence, prefixed with the
optimizer's name, so a message found in a PyTorch forum still matches. A string where a number
belongs is a TypeError, as elsewhere in jaring.
"""

from __future__ import annotations

import math
import numbers
from typing import Any


def check_torch_number(
    owner: str,
    words: str,
    value: Any,
    low: float = 0.0,
    high: float | None = None,
    high_included: bool = False,
) -> float:
    """`value` as a float in [low, high) (or [low, high] with high_included); otherwise the
    ValueError "{owner}: Invalid {words}: {value}" that torch raises."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{owner}: {words} must be a number, got {value!r}")
    number = float(value)
    above = number >= low
    below = high is None or number < high or (high_included and number == high)
    if not (above and below and not math.isnan(number)) or math.isinf(number):
        raise ValueError(f"{owner}: Invalid {words}: {value}")
    return number


def check_real(owner: str, name: str, value: Any) -> float:
    """Any finite number (torch checks ASGD's lambd, alpha and t0 no further)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{owner}: {name} must be a number, got {value!r}")
    if not math.isfinite(float(value)):
        raise ValueError(f"{owner}: {name} must be finite, got {value}")
    return float(value)


def check_pair(owner: str, name: str, value: Any) -> tuple:
    """A pair such as betas=(0.9, 0.999), as a tuple; torch's betas are a pair too."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise ValueError(f"{owner}: {name} must be a pair of numbers, got {value!r}")
    return tuple(value)


def check_betas(owner: str, betas: Any) -> tuple[float, float]:
    """(beta1, beta2), each in [0, 1), with torch's "Invalid beta parameter at index i"."""
    pair = check_pair(owner, "betas", betas)
    return tuple(
        check_torch_number(owner, f"beta parameter at index {i}", b, 0.0, 1.0) for i, b in enumerate(pair)
    )


def import_known_state(
    owner: str, entry: dict, arrays: tuple[str, ...], scalars: tuple[str, ...] = ()
) -> dict:
    """A loaded state entry with only the names this optimizer keeps: `step` becomes an int and
    each of `scalars` a float (torch saves them as 0-d tensors), arrays stay as they are."""
    state = {}
    for name, value in entry.items():
        if name == "step":
            state[name] = int(float(value))
        elif name in scalars:
            state[name] = float(value)
        elif name in arrays:
            state[name] = value
        else:
            raise ValueError(f"{owner}: unknown state entry {name!r} in a saved state")
    return state
