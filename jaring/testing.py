"""torch.testing's two helpers: `assert_close` (values within dtype-aware tolerances, with a
message that says how many differ and by how much) and `make_tensor` (random test inputs)."""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.random import get_rng

# torch.testing's default (rtol, atol) by dtype; integers and booleans compare exactly
_TOLERANCES = {
    np.dtype(np.float16): (1e-3, 1e-5),
    np.dtype(np.float32): (1.3e-6, 1e-5),
    np.dtype(np.float64): (1e-7, 1e-7),
}

__all__ = ["assert_close", "make_tensor"]


def _default_tolerances(*dtypes: np.dtype) -> tuple[float, float]:
    pairs = [_TOLERANCES.get(d, (0.0, 0.0)) for d in dtypes]
    return max(p[0] for p in pairs), max(p[1] for p in pairs)


def _array(value: Any) -> np.ndarray | None:
    """The values of a Tensor, array or number as a NumPy array; None for anything else."""
    if isinstance(value, Tensor):
        return backend.to_numpy(value.detach().data)
    if isinstance(value, (np.ndarray, np.generic)) or backend.is_cupy_array(value):
        return backend.to_numpy(value)
    if isinstance(value, (bool, numbers.Number)):
        return np.asarray(value)
    return None


def _fail(message: str, where: str, msg: str | None) -> None:
    if msg is not None:
        raise AssertionError(msg)
    raise AssertionError(message + (f"\n\nThe failure occurred for item {where}" if where else ""))


def _index(flat: int, shape: tuple) -> tuple:
    return tuple(int(i) for i in np.unravel_index(flat, shape)) if shape else ()


def _compare(
    actual: Any, expected: Any, rtol: Any, atol: Any, equal_nan: bool, check_dtype: bool, msg: Any, where: str
) -> None:
    a, e = _array(actual), _array(expected)
    if a is None or e is None:
        if isinstance(actual, Mapping) and isinstance(expected, Mapping):
            if set(actual) != set(expected):
                _fail(
                    f"The keys of the mappings do not match: {sorted(map(str, actual))} != "
                    f"{sorted(map(str, expected))}",
                    where,
                    msg,
                )
            for key in actual:
                _compare(
                    actual[key], expected[key], rtol, atol, equal_nan, check_dtype, msg, f"{where}[{key!r}]"
                )
            return
        sequences = all(
            isinstance(v, Sequence) and not isinstance(v, (str, bytes)) for v in (actual, expected)
        )
        if sequences:
            if len(actual) != len(expected):
                _fail(f"The length of the sequences mismatch: {len(actual)} != {len(expected)}", where, msg)
            for i, (x, y) in enumerate(zip(actual, expected)):
                _compare(x, y, rtol, atol, equal_nan, check_dtype, msg, f"{where}[{i}]")
            return
        raise TypeError(
            f"assert_close: cannot compare {type(actual).__name__} with {type(expected).__name__}; "
            "pass Tensors, arrays, numbers, or lists, tuples and dicts of them"
        )
    if a.shape != e.shape:
        _fail(f"The values for attribute 'shape' do not match: {a.shape} != {e.shape}.", where, msg)
    if check_dtype and a.dtype != e.dtype:
        _fail(f"The values for attribute 'dtype' do not match: {a.dtype} != {e.dtype}.", where, msg)
    if rtol is None:
        rtol, atol = _default_tolerances(a.dtype, e.dtype)
    if a.dtype.kind == "b" or e.dtype.kind == "b":
        a, e = a.astype(np.int64), e.astype(np.int64)
    wide = np.complex128 if "c" in (a.dtype.kind, e.dtype.kind) else np.float64
    x, y = a.astype(wide), e.astype(wide)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        difference = np.abs(x - y)
        close = (x == y) | (difference <= atol + rtol * np.abs(y))
        if equal_nan:
            close |= np.isnan(x) & np.isnan(y)
        if close.all():
            return
        total, bad = close.size, int((~close).sum())
        difference = np.where(close, 0.0, np.where(np.isnan(difference), np.inf, difference))
        relative = np.where(close, 0.0, difference / np.abs(y))
    worst, worst_rel = (
        int(np.argmax(difference)),
        int(np.nanargmax(np.where(np.isnan(relative), np.inf, relative))),
    )
    kind = "Scalars are" if not a.shape else "Tensor-likes are"
    text = (
        f"{kind} not close!\n\nMismatched elements: {bad} / {total} ({100 * bad / total:.1f}%)\n"
        f"Greatest absolute difference: {difference.flat[worst]} at index {_index(worst, a.shape)} "
        f"(up to {atol} allowed)\n"
        f"Greatest relative difference: {relative.flat[worst_rel]} at index {_index(worst_rel, a.shape)} "
        f"(up to {rtol} allowed)"
    )
    _fail(text, where, msg)


def assert_close(
    actual: Any,
    expected: Any,
    *,
    rtol: float | None = None,
    atol: float | None = None,
    equal_nan: bool = False,
    check_dtype: bool = True,
    msg: str | None = None,
) -> None:
    """Raise AssertionError unless |actual - expected| <= atol + rtol * |expected| everywhere.

    Tensors, NumPy arrays, numbers and (nested) lists, tuples and dicts of them are compared item
    by item; shapes must match, and dtypes too with check_dtype. Without rtol and atol, torch's
    defaults for the dtype apply (float16 1e-3 and 1e-5, float32 1.3e-6 and 1e-5, float64 1e-7
    and 1e-7; integers and booleans exactly). The message counts the mismatched elements and
    names the greatest differences, as torch.testing.assert_close does; `msg` replaces it.

    Examples:
        >>> import jaring
        >>> jaring.testing.assert_close(jaring.tensor([1.0, 2.0]), jaring.tensor([1.0, 2.000001]))
        >>> jaring.testing.assert_close(jaring.tensor([1.0]), jaring.tensor([1.1]))
        Traceback (most recent call last):
        ...
        AssertionError: Tensor-likes are not close!
        <BLANKLINE>
        Mismatched elements: 1 / 1 (100.0%)
        ...
    """
    if (rtol is None) != (atol is None):
        raise ValueError(
            "Both 'rtol' and 'atol' must be either specified or omitted, "
            f"but got no {'rtol' if rtol is None else 'atol'}."
        )
    _compare(actual, expected, rtol, atol, equal_nan, check_dtype, msg, "")


def make_tensor(
    *shape: Any,
    dtype: Any,
    device: Any = None,
    low: float | None = None,
    high: float | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """A random tensor for tests, as torch.testing.make_tensor: floats uniform in [low, high)
    (default [-9, 9)), integers uniform in [low, high) (default [-9, 10), from 0 for uint8), booleans
    fair coin flips; drawn from jaring's global generator, so jaring.manual_seed repeats it.

    Examples:
        >>> import jaring
        >>> x = jaring.testing.make_tensor(2, 3, dtype=jaring.float32, low=0.0, high=1.0)
        >>> x.shape, x.dtype, bool(((x >= 0) & (x < 1)).all())
        ((2, 3), dtype('float32'), True)
    """
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    dtype = np.dtype(dtype)
    if low is not None and high is not None and low > high:
        raise ValueError(f"make_tensor: low={low} must not exceed high={high}")
    rng = get_rng()
    if dtype.kind == "b":
        values = rng.integers(0, 2, size=shape).astype(bool)
    elif dtype.kind in "iu":
        info = np.iinfo(dtype)
        lo = max(int(np.ceil(low)) if low is not None else (0 if dtype.kind == "u" else -9), info.min)
        hi = min(int(np.ceil(high)) if high is not None else 10, info.max + 1)
        values = rng.integers(lo, max(hi, lo + 1), size=shape).astype(dtype)
    elif dtype.kind == "f":
        lo, hi = -9.0 if low is None else float(low), 9.0 if high is None else float(high)
        values = rng.uniform(lo, hi, size=shape).astype(dtype)
    else:
        raise TypeError(f"make_tensor: unsupported dtype {dtype}")
    if requires_grad and dtype.kind != "f":
        raise ValueError(f"make_tensor: requires_grad=True needs a floating-point dtype, got {dtype}")
    out = Tensor(values, requires_grad=requires_grad)
    return out if device is None else out.to(device)
