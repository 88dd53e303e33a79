"""torch's collate rules: `default_collate` turns a list of samples into a batch of Tensors, and
`default_convert` turns one sample's arrays into Tensors (the DataLoader's `batch_size=None` mode).

They follow torch.utils.data.default_collate / default_convert, with one deliberate difference:
Python floats become jaring's default dtype (float32, like `jaring.tensor([0.5])`), where torch
makes float64. Arrays and Tensors keep their dtype, Python ints become int64 and bools bool.
"""

from __future__ import annotations

import collections.abc
from collections.abc import Sequence
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor

_FOUND = "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"


def _is_array(value: Any) -> bool:
    return isinstance(value, np.ndarray) or backend.is_cupy_array(value)


def _stack(batch: Sequence[Any]) -> Tensor:
    arrays = [b.data if isinstance(b, Tensor) else b for b in batch]
    first = arrays[0]
    if first.dtype.kind in "USO":
        raise TypeError(_FOUND.format(first.dtype))
    for i, a in enumerate(arrays[1:], 1):
        if a.shape != first.shape:
            raise ValueError(
                f"default_collate: stack expects each tensor to be equal size, but got {list(first.shape)} "
                f"at entry 0 and {list(a.shape)} at entry {i}"
            )
    return Tensor._from_op(backend.array_module(first).stack(arrays), None)


def _numbers(batch: Sequence[Any]) -> Tensor:
    array = np.asarray(batch)
    if array.dtype.kind == "f":
        array = array.astype(backend.get_default_dtype())
    elif array.dtype.kind in "iu":
        array = array.astype(np.int64)
    return Tensor._from_op(array, None)


def default_collate(batch: Sequence[Any]) -> Any:
    """Merge a list of samples into a batch, field by field, recursively (torch's rules).

    Tensors and NumPy arrays are stacked into a Tensor with a new first axis; Python numbers
    become a 1-D Tensor (ints int64, floats float32: jaring's default, where torch gives float64;
    bools bool); NumPy scalars keep their dtype; strings and bytes stay a list; a dict gives a
    dict of batches; a tuple or list of fields gives a list of batches (a namedtuple keeps its
    type), as torch does. Pass it as `DataLoader(..., collate_fn=default_collate)`, or call it
    inside your own collate_fn.

    Examples:
        >>> import numpy as np
        >>> from jaring.data import default_collate
        >>> samples = [(np.zeros((2, 2), np.float32), 1), (np.ones((2, 2), np.float32), 0)]
        >>> images, labels = default_collate(samples)
        >>> images.shape, images.dtype, labels.tolist(), labels.dtype
        ((2, 2, 2), dtype('float32'), [1, 0], dtype('int64'))
        >>> out = default_collate([{"x": 0.5, "name": "a"}, {"x": 1.5, "name": "b"}])
        >>> out["x"], out["name"]
        (tensor([0.5000, 1.5000]), ['a', 'b'])
    """
    if isinstance(batch, (str, bytes)) or not isinstance(batch, Sequence):
        raise TypeError(f"default_collate needs a list of samples, got {type(batch).__name__}")
    if len(batch) == 0:
        raise ValueError("default_collate: the batch is empty (a list of samples was expected)")
    elem = batch[0]
    if isinstance(elem, Tensor) or _is_array(elem):
        return _stack(batch)
    if isinstance(elem, np.generic):
        if isinstance(elem, (np.str_, np.bytes_)):
            return list(batch)
        return Tensor._from_op(np.asarray(batch), None)
    if isinstance(elem, (bool, int, float)):
        return _numbers(batch)
    if isinstance(elem, (str, bytes)):
        return list(batch)
    if isinstance(elem, collections.abc.Mapping):
        collated = {key: default_collate([d[key] for d in batch]) for key in elem}
        try:
            return type(elem)(collated)
        except TypeError:  # a mapping type that cannot be built from a dict
            return collated
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return type(elem)(*(default_collate(list(field)) for field in zip(*batch)))
    if isinstance(elem, Sequence):
        size = len(elem)
        if any(len(sample) != size for sample in batch):
            raise ValueError("default_collate: each element in list of batch should be of equal size")
        return [default_collate(list(field)) for field in zip(*batch)]
    raise TypeError(_FOUND.format(type(elem)))


def default_convert(data: Any) -> Any:
    """One sample with its NumPy arrays (and NumPy scalars) turned into Tensors, recursively.

    What the DataLoader applies to each sample when `batch_size=None` (no batching): Tensors,
    Python numbers and strings stay as they are, tuples become lists (as in torch), dicts and
    namedtuples keep their type.

    Examples:
        >>> import numpy as np
        >>> from jaring.data import default_convert
        >>> default_convert((np.array([1.0, 2.0]), 3, "a"))
        [tensor([1., 2.], dtype=float64), 3, 'a']
    """
    if isinstance(data, Tensor):
        return data
    if _is_array(data):
        return data if data.dtype.kind in "USO" else Tensor._from_op(data, None)
    if isinstance(data, np.generic):
        return data if isinstance(data, (np.str_, np.bytes_)) else Tensor._from_op(np.asarray(data), None)
    if isinstance(data, collections.abc.Mapping):
        converted = {key: default_convert(value) for key, value in data.items()}
        try:
            return type(data)(converted)
        except TypeError:
            return converted
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
        return [default_convert(d) for d in data]
    return data
