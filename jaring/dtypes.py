"""torch's dtype names (jaring.float32, jaring.long, ...) for the NumPy dtypes jaring computes in.

A jaring tensor's dtype is a NumPy dtype, so `x.dtype == jaring.float32`, `jaring.tensor(ids,
dtype=jaring.long)` and `x.to(jaring.float64)` read as they do in PyTorch, and NumPy's own
spellings (np.float32, "float32") keep working everywhere a dtype is taken. torch.bfloat16 and
the complex dtypes have no counterpart: NumPy has no bfloat16 and jaring's ops are real-valued.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import Any

import numpy as np

from jaring import backend

float16 = half = np.dtype(np.float16)
float32 = float = np.dtype(np.float32)
float64 = double = np.dtype(np.float64)
int8 = np.dtype(np.int8)
int16 = short = np.dtype(np.int16)
int32 = int = np.dtype(np.int32)
int64 = long = np.dtype(np.int64)
uint8 = np.dtype(np.uint8)
bool = np.dtype(np.bool_)


@dataclass(frozen=True)
class FloatInfo:
    """A float dtype's limits as Python floats, as torch.finfo gives them."""

    bits: builtins.int
    eps: builtins.float
    max: builtins.float
    min: builtins.float
    tiny: builtins.float
    smallest_normal: builtins.float
    resolution: builtins.float
    dtype: np.dtype


def finfo(dtype: Any = None) -> FloatInfo:
    """Machine limits of a float dtype (eps, max, min, tiny, resolution), as torch.finfo; the
    default float dtype when none is given.

    Examples:
        >>> import jaring
        >>> jaring.finfo(jaring.float32).eps
        1.1920928955078125e-07
        >>> jaring.finfo().dtype
        dtype('float32')
    """
    dtype = np.dtype(backend.get_default_dtype() if dtype is None else dtype)
    if dtype.kind != "f":
        raise TypeError(f"finfo takes a floating-point dtype, got {dtype}; use iinfo for integers")
    info = np.finfo(dtype)
    limits = (builtins.float(v) for v in (info.eps, info.max, info.min, info.tiny, info.smallest_normal))
    return FloatInfo(info.bits, *limits, 10.0**-info.precision, dtype)


def iinfo(dtype: Any) -> np.iinfo:
    """Limits of an integer dtype (min, max, bits), as torch.iinfo.

    Examples:
        >>> import jaring
        >>> jaring.iinfo(jaring.uint8).max
        255
    """
    dtype = np.dtype(dtype)
    if dtype.kind not in "iu":
        raise TypeError(f"iinfo takes an integer dtype, got {dtype}; use finfo for floats")
    return np.iinfo(dtype)
