"""Array backend: which array module (NumPy or CuPy) holds a tensor's data, and the default dtype.

Every op asks `array_module(*arrays)` for the module that owns its inputs, so the same code
runs on the CPU with NumPy and on a GPU with CuPy (the Chainer `get_array_module` idea).
CuPy is optional and imported only when a CuPy array is actually seen or a GPU is requested.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_default_dtype: np.dtype = np.dtype(np.float32)
_cupy: Any = None


def get_default_dtype() -> np.dtype:
    """The floating dtype new float tensors get when none is asked for (float32 at start).

    Examples:
        >>> import jaring
        >>> jaring.get_default_dtype()
        dtype('float32')
    """
    return _default_dtype


def set_default_dtype(dtype: Any) -> None:
    """Set the default floating dtype: float32 (fast, the default) or float64 (exact checks).

    Examples:
        >>> import jaring
        >>> jaring.set_default_dtype("float64")
        >>> jaring.tensor([1.0]).dtype
        dtype('float64')
        >>> jaring.set_default_dtype("float32")
    """
    global _default_dtype
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"default dtype must be a floating type, got {dtype}")
    _default_dtype = dtype


def _load_cupy() -> Any:
    global _cupy
    if _cupy is None:
        try:
            import cupy
        except ImportError as exc:  # pragma: no cover - depends on the machine
            raise RuntimeError(
                "device 'cuda' needs CuPy: pip install cupy-cuda12x (or the build for your CUDA)"
            ) from exc
        _cupy = cupy
    return _cupy


def is_cupy_array(array: Any) -> bool:
    """True when `array` is a CuPy ndarray (checked without importing CuPy)."""
    return type(array).__module__.startswith("cupy")


def array_module(*arrays: Any) -> Any:
    """NumPy, or CuPy when any of `arrays` lives on the GPU."""
    for array in arrays:
        if type(array) is not np.ndarray and is_cupy_array(array):
            return _load_cupy()
    return np


def device_of(array: Any) -> str:
    """'cuda' for a CuPy array, else 'cpu'."""
    return "cuda" if is_cupy_array(array) else "cpu"


class Device(str):
    """torch.device's counterpart: `jaring.device("cuda:0")` is the string "cuda" (what jaring's
    device arguments take) with torch's `type` and `index` attributes and repr.

    jaring computes on the CPU with NumPy or on one GPU with CuPy, so a device is "cpu" or "cuda"
    (index 0 or none).

    Examples:
        >>> import jaring
        >>> d = jaring.device("cuda:0")
        >>> d, d.type, d.index, d == "cuda"
        (device(type='cuda', index=0), 'cuda', 0, True)
        >>> jaring.ones(2).device == jaring.device("cpu")
        True
    """

    index: int | None

    def __new__(cls, spec: Any, index: int | None = None) -> "Device":
        if isinstance(spec, Device) and index is None:
            return spec
        if not isinstance(spec, str):
            raise TypeError(f"device takes a string such as 'cpu' or 'cuda:0', got {type(spec).__name__}")
        kind, _, number = spec.partition(":")
        if number:
            if index is not None:
                raise ValueError(f"device {spec!r} already has an index; got index={index!r} too")
            if not number.isdigit():
                raise ValueError(f"invalid device string {spec!r}; use 'cpu', 'cuda' or 'cuda:0'")
            index = int(number)
        kind = "cuda" if kind == "gpu" else kind
        if kind not in ("cpu", "cuda"):
            raise ValueError(f"unknown device {spec!r}; jaring runs on 'cpu' (NumPy) or 'cuda' (CuPy)")
        if index is not None and (isinstance(index, bool) or not isinstance(index, int) or index < 0):
            raise ValueError(f"device index must be an integer >= 0, got {index!r}")
        if kind == "cuda" and index not in (None, 0):
            raise ValueError(f"device {spec!r}: jaring uses one GPU, CuPy's current device (cuda:0)")
        value = super().__new__(cls, kind)
        value.index = index
        return value

    @property
    def type(self) -> str:
        return str.__str__(self)

    def __repr__(self) -> str:
        index = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __reduce__(self) -> tuple:
        return (Device, (self.type, self.index))


def to_device(array: Any, device: str) -> Any:
    """Copy `array` to 'cpu' (NumPy) or 'cuda' (CuPy); returns it unchanged when already there.
    `device` may be a Device or a string with an index ('cuda:0')."""
    if isinstance(device, str) and ":" in device:
        device = Device(device)
    if device == "cpu":
        return array.get() if is_cupy_array(array) else array
    if device in ("cuda", "gpu"):
        return array if is_cupy_array(array) else _load_cupy().asarray(array)
    raise ValueError(f"unknown device {device!r}; use 'cpu' or 'cuda'")


def is_column_major(array: Any) -> bool:
    """Whether a NumPy/CuPy array is laid out column-major only (Fortran order, not also C order)."""
    return array.flags.f_contiguous and not array.flags.c_contiguous


# The one place that decides a weight's memory layout; layers, ops and optimizers ask these.
def linear_weight(array: Any) -> Any:
    """How nn.Linear and Dense store a weight of shape (out_features, in_features): column-major,
    so that weight.T, which x @ weight.T multiplies by, is an ordinary row-major (in, out) matrix,
    the layout BLAS multiplies fastest. Shapes, values, state dicts and files are unaffected."""
    return array_module(array).asfortranarray(array)


def in_order_of(like: Any, array: Any) -> Any:
    """`array` as a new array of `like`'s dtype and memory order (column-major or row-major)."""
    order = "F" if is_column_major(like) else "C"
    return array_module(like).array(array, dtype=like.dtype, order=order)


def matmul_in_order_of(like: Any, a: Any, b: Any) -> Any:
    """a @ b written in `like`'s memory order (a gradient in the layout of its parameter)."""
    return (b.T @ a.T).T if is_column_major(like) else a @ b


def shaped_like(flat: Any, like: Any) -> Any:
    """The first like.size elements of 1-D `flat` as a view of `like`'s shape and memory order."""
    if like.ndim > 1 and is_column_major(like):
        return flat[: like.size].reshape(like.shape[::-1]).T
    return flat[: like.size].reshape(like.shape)


def to_numpy(array: Any) -> np.ndarray:
    """A NumPy array with the same contents, copying from the GPU when needed."""
    return array.get() if is_cupy_array(array) else np.asarray(array)
