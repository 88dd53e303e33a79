"""torch's in-place initialisers on a weight's raw array too: `nn.init.normal_(m.weight.data, 0, 0.02)`.

PyTorch's DCGAN tutorial and many others initialise through `.data`, which in torch is a Tensor
and in jaring is the NumPy (or CuPy) array itself. `on_arrays` lets each initialiser take that
array: it fills it in place through a Tensor that shares its memory and returns the array, as
torch returns the object it was given. Like torch's `.data`, this bypasses the version counter
of the Parameter the array belongs to.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor


def on_arrays(initialiser: Callable[..., Tensor]) -> Callable[..., Any]:
    """`initialiser`, also accepting a writeable NumPy or CuPy array as its first argument."""

    @functools.wraps(initialiser)
    def initialise(tensor: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(tensor, np.ndarray) or backend.is_cupy_array(tensor):
            if not tensor.flags.writeable:
                raise ValueError(f"nn.init.{initialiser.__name__}: the array is read-only")
            initialiser(Tensor._from_op(tensor, None), *args, **kwargs)
            return tensor
        return initialiser(tensor, *args, **kwargs)

    return initialise
