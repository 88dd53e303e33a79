"""Checks for turning user data into tensor arrays: what NumPy would accept silently or reject
with a message about its own internals is refused here in the user's terms."""

from __future__ import annotations

from typing import Any

import numpy as np

ALLOWED_KINDS = "fiub"  # float, signed and unsigned integer, bool


def numpy_array(data: Any) -> np.ndarray:
    """np.asarray(data), with clear errors for ragged nested lists and integers beyond int64."""
    try:
        return np.asarray(data)
    except ValueError as exc:  # NumPy's "inhomogeneous shape" for ragged nested lists
        raise ValueError(
            "cannot make a tensor from nested lists of different lengths (or lists mixed with "
            f"numbers): they must form a rectangular array; pad them to one length ({exc})"
        ) from None
    except OverflowError:
        raise OverflowError(
            f"cannot make a tensor from {data!r:.80}: an integer is beyond int64's range"
        ) from None


def tensor_dtype(dtype: Any, array: np.ndarray) -> np.dtype:
    """`dtype` as a NumPy dtype a tensor may hold, for converting `array`; TypeError otherwise."""
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{dtype!r:.80} is not a dtype; use e.g. 'float32', 'int64' or 'bool'") from None
    if dtype.kind not in ALLOWED_KINDS:
        raise TypeError(f"jaring tensors hold numbers or booleans, got dtype {dtype}")
    if array.dtype.kind not in ALLOWED_KINDS:
        raise TypeError(f"jaring tensors hold numbers or booleans, got {array.dtype} data")
    return dtype


def check_array_dtype(array: Any) -> None:
    """Refuse arrays of objects, strings, complex numbers or dates, saying what they hold."""
    if array.dtype.kind == "O":
        raise TypeError(
            "jaring tensors hold numbers or booleans; these values need dtype object (None, strings, "
            "mixed types, or integers beyond int64's range)"
        )
    if array.dtype.kind not in ALLOWED_KINDS:
        raise TypeError(f"jaring tensors hold numbers or booleans, got dtype {array.dtype}")
