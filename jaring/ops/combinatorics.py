"""Tuples drawn from 1-D tensors, torch's way: cartesian_prod and combinations.

Both pick elements of the inputs by index (meshgrid, getitem), so each element's gradient is the
sum over the tuples it appears in.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.index import getitem
from jaring.ops.rearrange import meshgrid
from jaring.ops.shape import reshape, stack


def _vector(op: str, x: Any) -> Tensor:
    x = as_tensor(x)
    if x.ndim != 1:
        raise ValueError(f"{op}: Expect a 1D vector, but got shape {list(x.shape)}")
    return x


def cartesian_prod(*tensors: Any) -> Tensor:
    """Every tuple of one element from each 1-D input, as the rows of an (n1 * n2 * ..., k)
    tensor in row-major order (the last input varies fastest), as torch.cartesian_prod;
    the inputs share one dtype; one input comes back as it is.

    Examples:
        >>> import jaring
        >>> jaring.cartesian_prod(jaring.tensor([1, 2]), jaring.tensor([3, 4])).tolist()
        [[1, 3], [1, 4], [2, 3], [2, 4]]
    """
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    vectors = [_vector("cartesian_prod", t) for t in tensors]
    if not vectors:
        raise TypeError("cartesian_prod: expects at least one tensor")
    if len(vectors) == 1:
        return vectors[0]
    if len({v.dtype for v in vectors}) > 1:
        dtypes = ", ".join(str(v.dtype) for v in vectors)
        raise TypeError(f"cartesian_prod: meshgrid expects all tensors to have the same dtype, got {dtypes}")
    grids = meshgrid(*vectors, indexing="ij")
    return stack([reshape(g, (-1,)) for g in grids], 1)


def combinations(input: Any, r: int = 2, with_replacement: bool = False) -> Tensor:
    """Every length-r combination of the elements of the 1-D `input`, as the rows of a (count, r)
    tensor in lexicographic order of positions (itertools.combinations, or
    combinations_with_replacement), as torch.combinations; r = 0 gives an empty 1-D tensor.

    Examples:
        >>> import jaring
        >>> jaring.combinations(jaring.tensor([1, 2, 3])).tolist()
        [[1, 2], [1, 3], [2, 3]]
        >>> jaring.combinations(jaring.tensor([1, 2]), r=2, with_replacement=True).tolist()
        [[1, 1], [1, 2], [2, 2]]
    """
    x = _vector("combinations", input)
    if isinstance(r, bool) or not isinstance(r, (int, np.integer)):
        raise TypeError(f"combinations: r must be an int, got {r!r}")
    if r < 0:
        raise ValueError(f"combinations: Expect a non-negative number, but got {r}")
    xp = backend.array_module(x.data)
    if r == 0:
        return Tensor._from_op(xp.zeros((0,), dtype=x.dtype), None)
    draw = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    positions = np.array(list(draw(range(x.shape[0]), int(r))), dtype=np.intp).reshape(-1, int(r))
    return getitem(x, xp.asarray(positions))
