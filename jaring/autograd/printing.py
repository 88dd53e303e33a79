"""How tensors print: torch.set_printoptions for jaring (precision, threshold, edgeitems, ...).

A tensor's repr is NumPy's array2string with ", " between elements; these options are the
arguments it gets. The defaults keep jaring's usual look (4 decimals, NumPy's 75-character lines).
"""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np

DEFAULTS = {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 75, "sci_mode": None}
PROFILES = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 75},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 75},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 75},
}
_options = dict(DEFAULTS)


def _count(name: str, value: Any, low: int) -> Any:
    if value == math.inf and name == "threshold":
        return value
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"set_printoptions: {name} must be an integer >= {low}, got {value!r}")
    return int(value)


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Change how tensors print, as torch.set_printoptions: `precision` decimals, summarise with
    "..." past `threshold` elements keeping `edgeitems` at each end, wrap at `linewidth`;
    `profile` is "default", "short" or "full" (never summarise); `sci_mode` True forces
    scientific notation, False forbids it, None lets NumPy choose.

    Examples:
        >>> import jaring
        >>> jaring.set_printoptions(precision=2)
        >>> jaring.tensor([1 / 3, 2 / 3])
        tensor([0.33, 0.67])
        >>> jaring.set_printoptions(profile="default")
    """
    if profile is not None:
        if profile not in PROFILES:
            raise ValueError(f"set_printoptions: profile must be one of {sorted(PROFILES)}, got {profile!r}")
        _options.update(PROFILES[profile], sci_mode=None)
    for name, value, low in (
        ("precision", precision, 0),
        ("threshold", threshold, 0),
        ("edgeitems", edgeitems, 1),
    ):
        if value is not None:
            _options[name] = _count(name, value, low)
    if linewidth is not None:
        _options["linewidth"] = _count("linewidth", linewidth, 1)
    if sci_mode is not None:
        if not isinstance(sci_mode, bool):
            raise ValueError(f"set_printoptions: sci_mode must be True, False or None, got {sci_mode!r}")
        _options["sci_mode"] = sci_mode


def get_printoptions() -> dict[str, Any]:
    """The current print options (a copy), as torch's."""
    return dict(_options)


def format_array(array: np.ndarray) -> str:
    """The body of a tensor's repr under the current options."""
    options = _options
    formatter = None
    if options["sci_mode"] is True and array.dtype.kind == "f":
        digits = options["precision"]
        formatter = {"float_kind": lambda x: f"{x:.{digits}e}"}
    threshold = options["threshold"]
    return np.array2string(
        array,
        separator=", ",
        prefix="tensor(",
        precision=options["precision"],
        threshold=sys.maxsize if threshold == math.inf else threshold,
        edgeitems=options["edgeitems"],
        max_line_width=options["linewidth"],
        suppress_small=True if options["sci_mode"] is False else None,  # None: NumPy's default
        formatter=formatter,
    )
