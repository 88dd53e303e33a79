"""Tensor.to in all of torch's forms (a device, a dtype, both, or another tensor's), and Tensor.type.

torch code moves and casts with one method: `x.to("cuda")`, `y.to(torch.long)`,
`x.to(device, torch.float64)`, `x.to(other)`, `x.to(dtype=..., device=...)`. A cast between
float dtypes keeps the graph (as astype does); a tensor already there is returned itself unless
`copy=True`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops import arith

DEVICES = ("cpu", "cuda", "gpu")


def _device(value: str) -> str | None:
    """'cpu' or 'cuda' for a device string, read by jaring.device ('cuda:0' counts as 'cuda', an
    index it cannot use says why, as Module.to does); None for strings that name no device."""
    if value.split(":", 1)[0] not in DEVICES:
        return None
    return str.__str__(backend.Device(value))


def _dtype(value: Any) -> np.dtype:
    try:
        return np.dtype(value)
    except TypeError:
        raise TypeError(
            f"Tensor.to takes a device ('cpu', 'cuda'), a dtype (jaring.float64, ...) or a Tensor, "
            f"got {value!r:.80}"
        ) from None


def _names_a_dtype(name: str) -> bool:
    try:
        np.dtype(name)
    except TypeError:
        return False
    return True


def _targets(args: tuple, device: Any, dtype: Any) -> tuple[str | None, np.dtype | None]:
    """The (device, dtype) that torch's positional forms and keywords name, checked."""
    found_device = None if device is None else _device(str(device))
    if device is not None and found_device is None:
        raise ValueError(f"Tensor.to: unknown device {device!r}; use 'cpu' or 'cuda'")
    found_dtype = None if dtype is None else _dtype(dtype)
    if len(args) > 2:
        raise TypeError(f"Tensor.to takes at most 2 positional arguments (device, dtype), got {len(args)}")
    for arg in args:
        if isinstance(arg, Tensor):
            found_device, found_dtype = arg.device, arg.dtype
        elif isinstance(arg, str) and _device(arg) is not None:
            found_device = _device(arg)
        elif isinstance(arg, str) and not _names_a_dtype(arg):
            raise ValueError(f"Tensor.to: unknown device {arg!r}; use 'cpu' or 'cuda' (or a dtype)")
        else:
            found_dtype = _dtype(arg)  # a dtype, a NumPy type or a dtype's name ("float64")
    return found_device, found_dtype


def to(
    self: Tensor,
    *args: Any,
    dtype: Any = None,
    device: Any = None,
    non_blocking: bool = False,
    copy: bool = False,
) -> Tensor:
    """This tensor on `device` and in `dtype`, as torch's Tensor.to (non_blocking is accepted and
    changes nothing: jaring's copies are synchronous). A leaf moved to another device stays a
    leaf and keeps requires_grad; a float-to-float cast records a node, so gradients reach `self`.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([1, 2])
        >>> x.to(jaring.float64).dtype, x.to("cpu", jaring.float32).dtype, x.to(jaring.ones(1)).dtype
        (dtype('float64'), dtype('float32'), dtype('float32'))
        >>> x.to("cpu") is x, x.to("cpu", copy=True) is x
        (True, False)
    """
    target_device, target_dtype = _targets(args, device, dtype)
    out = self
    if target_device is not None:
        moved = backend.to_device(out.data, target_device)
        if moved is not out.data:
            out = Tensor._from_op(moved, None)
            out.requires_grad = self.requires_grad and self._ctx is None
    if target_dtype is not None and out.dtype != target_dtype:
        out = arith.cast(out, target_dtype)
    if copy and out is self:
        out = (
            arith.cast(self, self.dtype)
            if self.dtype.kind == "f"
            else Tensor._from_op(self.data.copy(), None)
        )
    return out


# torch's legacy type names, as Tensor.type() reports them ("torch.FloatTensor" in torch).
TYPE_NAMES = {
    "float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor", "int64": "LongTensor",
    "int32": "IntTensor", "int16": "ShortTensor", "int8": "CharTensor", "uint8": "ByteTensor",
    "bool": "BoolTensor",
}  # fmt: skip
_BY_TYPE_NAME = {name: np.dtype(dtype) for dtype, name in TYPE_NAMES.items()}


def type_(self: Tensor, dtype: Any = None, non_blocking: bool = False) -> str | Tensor:
    """torch's Tensor.type: without a dtype, the type's name ("jaring.FloatTensor"); with one (a
    dtype, or a name such as "torch.LongTensor"), this tensor cast to it, as `to(dtype)`.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([True, False])
        >>> x.type(), x.type(jaring.float).sum().item(), x.type("torch.LongTensor").dtype
        ('jaring.BoolTensor', 1.0, dtype('int64'))
    """
    if dtype is None:
        name = TYPE_NAMES.get(self.dtype.name, f"{self.dtype.name}Tensor")
        return f"jaring.{'cuda.' if self.device == 'cuda' else ''}{name}"
    if isinstance(dtype, str) and dtype.rsplit(".", 1)[-1] in _BY_TYPE_NAME:
        return to(self, _BY_TYPE_NAME[dtype.rsplit(".", 1)[-1]])
    if isinstance(dtype, str) and _device(dtype) is not None:
        raise TypeError(f"Tensor.type takes a dtype or a type name, not the device {dtype!r}; use .to()")
    return to(self, _dtype(dtype))
