"""More Tensor methods under PyTorch's names: layout queries (is_contiguous, nelement, ...),
x.mT, x.clip, x.select, x.new_empty, x.detach_, x.is_cuda, and the methods of the ops torch also
has as methods (x.median, x.diff, ...).

Each is one line over an op; `jaring/ops/tensor_methods.py` installs them with the others.
"""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops import index, tensor_methods_torch
from jaring.ops import axes, compare, counting, difference, gather, inplace, matrix, order_stats
from jaring.ops import rounding, select
from jaring.ops import matrix_forms, ranking, renorm, rotation, runs, splitting, statistics, take_along


def is_contiguous(self: Tensor) -> bool:
    """True when the array is laid out in C order (row-major, no gaps), as torch's answer for
    that layout: a transpose is not contiguous until `.contiguous()` copies it.

    Examples:
        >>> import jaring
        >>> x = jaring.zeros(2, 3)
        >>> x.is_contiguous(), x.T.is_contiguous(), x.T.contiguous().is_contiguous()
        (True, False, True)
    """
    return bool(self.data.flags.c_contiguous)


def ndimension(self: Tensor) -> int:
    """The number of dimensions (torch's old name for dim()).

    Examples:
        >>> import jaring
        >>> jaring.zeros(2, 3).ndimension()
        2
    """
    return self.ndim


def nelement(self: Tensor) -> int:
    """The number of elements (torch's alias of numel()).

    Examples:
        >>> import jaring
        >>> jaring.zeros(2, 3).nelement()
        6
    """
    return int(self.size)


def element_size(self: Tensor) -> int:
    """The bytes one element takes (4 for float32).

    Examples:
        >>> import jaring
        >>> jaring.zeros(2).element_size(), jaring.tensor([1, 2]).element_size()
        (4, 8)
    """
    return int(self.data.dtype.itemsize)


def clip(self: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """torch's alias of clamp: self limited to [min, max].

    Examples:
        >>> import jaring
        >>> jaring.tensor([-2.0, 0.5, 3.0]).clip(-1, 1).tolist()
        [-1.0, 0.5, 1.0]
    """
    return select.clamp(self, min, max)


def addmm(self: Tensor, mat1: Any, mat2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """beta * self + alpha * (mat1 @ mat2) (torch.Tensor.addmm).

    Examples:
        >>> import jaring
        >>> jaring.zeros(2, 2).addmm(jaring.eye(2), jaring.eye(2)).tolist()
        [[1.0, 0.0], [0.0, 1.0]]
    """
    return matrix.addmm(self, mat1, mat2, beta=beta, alpha=alpha)


def select_along(self: Tensor, dim: int, index_: int) -> Tensor:
    """The slice at `index_` along `dim`, that dimension removed: x.select(1, 0) is x[:, 0].

    Examples:
        >>> import jaring
        >>> jaring.arange(6).reshape(2, 3).select(1, -1).tolist()
        [2, 5]
    """
    if self.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    if isinstance(dim, bool) or not -self.ndim <= dim < self.ndim:
        low, high = -self.ndim, self.ndim - 1
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})"
        )
    size = self.shape[dim]
    if isinstance(index_, bool) or not -size <= index_ < size:
        raise IndexError(
            f"select(): index {index_} out of range for tensor of size {list(self.shape)} at dimension {dim}"
        )
    return index.getitem(self, (slice(None),) * (dim % self.ndim) + (int(index_),))


def new_empty(self: Tensor, *sizes: Any) -> Tensor:
    """An uninitialised tensor of shape `sizes` with self's dtype and device (jaring gives zeros:
    NumPy's empty memory would differ from run to run)."""
    return tensor_methods_torch.new_zeros(self, *sizes)


def detach_(self: Tensor) -> Tensor:
    """Cut this tensor out of the graph in place: it becomes a leaf that does not require grad."""
    self._ctx = None
    self.requires_grad = False
    return self


def is_cuda(self: Tensor) -> bool:
    """Whether the data lives on the GPU (a CuPy array)."""
    return backend.is_cupy_array(self.data)


def cuda(self: Tensor, device: Any = None) -> Tensor:
    """This tensor on the GPU (CuPy), as `to("cuda")`."""
    return self.to("cuda" if device is None else device)


METHODS: dict[str, Any] = {
    "select": select_along,
    "new_empty": new_empty,
    "detach_": detach_,
    "is_cuda": property(is_cuda),
    "cuda": cuda,
    "is_contiguous": is_contiguous,
    "ndimension": ndimension,
    "nelement": nelement,
    "element_size": element_size,
    "mT": property(axes.mT),
    "clip": clip,
    "clip_": inplace.clamp_,
    "movedim": axes.movedim,
    "moveaxis": axes.movedim,
    "swapdims": axes.swapdims,
    "median": order_stats.median,
    "aminmax": order_stats.aminmax,
    "count_nonzero": counting.count_nonzero,
    "bincount": counting.bincount,
    "diff": difference.diff,
    "frac": rounding.frac,
    "take": gather.take,
    "trace": matrix.trace,
    "cross": matrix.cross,
    "kron": matrix.kron,
    "addmm": addmm,
    "allclose": compare.allclose,
    "equal": compare.equal,
    "tensor_split": splitting.tensor_split,
    "cov": statistics.cov,
    "corrcoef": statistics.corrcoef,
    "histc": statistics.histc,
    "kthvalue": ranking.kthvalue,
    "mode": ranking.mode,
    "msort": ranking.msort,
    "diag_embed": matrix_forms.diag_embed,
    "rot90": rotation.rot90,
    "renorm": renorm.renorm,
    "unique_consecutive": runs.unique_consecutive,
    "take_along_dim": take_along.take_along_dim,
}
