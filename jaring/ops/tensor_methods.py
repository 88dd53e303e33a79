"""Tensor's operators and op-mirroring methods, installed onto the class from the ops floor.

`autograd/` defines Tensor without importing any op; `jaring/__init__.py` calls
`install_tensor_methods(Tensor)` once (as Chainer's `install_variable_arithmetics` does), so
`a + b`, `a @ b`, `a[i]` and `a.sum()` call the ops below whatever the import order.
"""

from __future__ import annotations

from typing import Any

from jaring.autograd.function import binary_operator
from jaring.autograd.tensor import Tensor
from jaring.ops import activation, arith, extremes, index, linalg, reduce, select, shape, softmax
from jaring.ops import gather, mask, product, rearrange, scan, sort, triangle
from jaring.ops.arith import Add, Div, Mul, Sub
from jaring.ops import inplace  # semantics (issue 13)
from jaring.ops import inplace_more, shape_helpers, tensor_methods_more, tensor_methods_torch
from jaring.ops import tensor_methods_math
from jaring.ops import inplace_apply
from jaring.ops import linalg_inverse
from jaring.ops.tensor_to import to as _to, type_ as _type


# ----- operator sugar (each one calls an op) ------------------------------------------------
# Two Tensors of one dtype take the hot path (no promotion); anything else the op's function.
_add = binary_operator(Add, arith.add)
_sub = binary_operator(Sub, arith.sub)
_mul = binary_operator(Mul, arith.mul)
_truediv = binary_operator(Div, arith.div, floats_only=True)  # integers divide into floats


def _radd(self: Tensor, other: Any) -> Tensor:
    return arith.add(other, self)


def _rsub(self: Tensor, other: Any) -> Tensor:
    return arith.sub(other, self)


def _rmul(self: Tensor, other: Any) -> Tensor:
    return arith.mul(other, self)


def _rtruediv(self: Tensor, other: Any) -> Tensor:
    return arith.div(other, self)


def _pow(self: Tensor, other: Any) -> Tensor:
    return arith.pow(self, other)


def _rpow(self: Tensor, other: Any) -> Tensor:
    return arith.pow(other, self)


def _matmul(self: Tensor, other: Any) -> Tensor:
    return linalg.matmul(self, other)


def _rmatmul(self: Tensor, other: Any) -> Tensor:
    return linalg.matmul(other, self)


# ----- methods mirroring jaring.functional --------------------------------------------------
def _transposed(self: Tensor) -> Tensor:
    return shape.transpose(self)


def _astype(self: Tensor, dtype: Any) -> Tensor:
    """A copy converted to `dtype`; gradients flow through float-to-float casts."""
    return arith.cast(self, dtype)


def _clamp(self: Tensor, min: Any = None, max: Any = None) -> Tensor:
    return select.clamp(self, min, max)


def _reshape(self: Tensor, *new_shape: Any) -> Tensor:
    return shape.reshape(self, *new_shape)


def _transpose(self: Tensor, *axes: Any) -> Tensor:
    return shape.transpose(self, *axes)


def _permute(self: Tensor, *axes: Any) -> Tensor:
    return shape.permute(self, *axes)


def _swapaxes(self: Tensor, axis1: int, axis2: int) -> Tensor:
    return shape.swapaxes(self, axis1, axis2)


def _flatten(self: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    return shape.flatten(self, start_dim, end_dim)


def _broadcast_to(self: Tensor, new_shape: Any) -> Tensor:
    return shape.broadcast_to(self, new_shape)


METHODS: dict[str, Any] = {
    "__add__": _add,
    "__radd__": _radd,
    "__sub__": _sub,
    "__rsub__": _rsub,
    "__mul__": _mul,
    "__rmul__": _rmul,
    "__truediv__": _truediv,
    "__rtruediv__": _rtruediv,
    "__pow__": _pow,
    "__rpow__": _rpow,
    "__matmul__": _matmul,
    "__rmatmul__": _rmatmul,
    "__neg__": arith.neg,
    "__abs__": arith.abs,
    "__getitem__": index.getitem,
    "T": property(_transposed),
    "astype": _astype,
    "to": _to,
    "type": _type,
    "exp": arith.exp,
    "log": arith.log,
    "sqrt": arith.sqrt,
    "abs": arith.abs,
    "clamp": _clamp,
    "matmul": _matmul,
    # the reductions take NumPy's axis/keepdims and torch's dim/keepdim alike
    "sum": reduce.sum,
    "mean": reduce.mean,
    "max": extremes.max,  # torch's: with a dim, (values, indices)
    "min": extremes.min,
    "amax": reduce.max,  # the values alone, over one axis or several
    "amin": reduce.min,
    "argmax": extremes.argmax,
    "argmin": extremes.argmin,
    "var": reduce.var,
    "logsumexp": reduce.logsumexp,
    "reshape": _reshape,
    "view": _reshape,
    "transpose": _transpose,
    "permute": _permute,
    "swapaxes": _swapaxes,
    "squeeze": shape.squeeze,
    "unsqueeze": shape.unsqueeze,
    "flatten": _flatten,
    "broadcast_to": _broadcast_to,
    "relu": activation.relu,
    "sigmoid": activation.sigmoid,
    "tanh": activation.tanh,
    "softmax": softmax.softmax,
    "log_softmax": softmax.log_softmax,
}


# ----- in-place ops and the version counter; more elementwise ops, logic (semantics, issue 13) --
METHODS.update(inplace.METHODS)


def _elementwise_methods() -> dict[str, Any]:
    # Imported here so this block stays one contiguous piece of the shared registry.
    from jaring.ops import division, exp_log, lerp, logic, rounding, trig

    def swap(fn: Any) -> Any:  # the reflected operator: other <op> self
        return lambda self, other: fn(other, self)

    names = {
        trig: "sin cos tan asin acos atan sinh cosh asinh acosh atanh arcsin arccos arctan "
        "arcsinh arccosh arctanh",
        exp_log: "log2 log10 log1p exp2 expm1 rsqrt erf logaddexp",
        rounding: "sign floor ceil round trunc fix",
        division: "fmod remainder floor_divide",
        lerp: "lerp",
        logic: "logical_and logical_or logical_xor logical_not bitwise_and "
        "bitwise_or bitwise_xor bitwise_not isnan isinf isfinite isclose any all",
    }
    methods = {name: getattr(module, name) for module, text in names.items() for name in text.split()}
    operators = {
        "and": logic.bitwise_and,
        "or": logic.bitwise_or,
        "xor": logic.bitwise_xor,
        "mod": division.remainder,
        "floordiv": division.floor_divide,
    }
    for name, fn in operators.items():
        methods[f"__{name}__"] = fn
        methods[f"__r{name}__"] = swap(fn)
    methods["__invert__"] = logic.bitwise_not
    return methods


METHODS.update(_elementwise_methods())


# ----- reductions, scans, selection and rearranging (issue 13, ops) --------------------------
def _scatter(self: Tensor, dim: int, index: Any, src: Any = None, *, value: Any = None) -> Tensor:
    return gather.scatter(self, dim, index, src, value=value)


def _flip(self: Tensor, *dims: Any) -> Tensor:
    return rearrange.flip(self, dims[0] if len(dims) == 1 else dims)


def _unflatten(self: Tensor, dim: int, sizes: Any) -> Tensor:
    return rearrange.unflatten(self, dim, sizes)


OPS_METHODS: dict[str, Any] = {
    "std": reduce.std,
    "prod": product.prod,
    "cumsum": scan.cumsum,
    "cumprod": product.cumprod,
    "cummax": scan.cummax,
    "cummin": scan.cummin,
    "logcumsumexp": scan.logcumsumexp,
    "sort": sort.sort,
    "argsort": sort.argsort,
    "topk": sort.topk,
    "gather": gather.gather,
    "scatter": _scatter,
    "scatter_add": gather.scatter_add,
    "masked_fill": mask.masked_fill,
    "masked_select": mask.masked_select,
    "nonzero": mask.nonzero,
    "flip": _flip,
    "roll": rearrange.roll,
    "repeat": rearrange.repeat,
    "repeat_interleave": rearrange.repeat_interleave,
    "unflatten": _unflatten,
    "tril": triangle.tril,
    "triu": triangle.triu,
    "diag": triangle.diag,
    "diagonal": triangle.diagonal,
    "inverse": linalg_inverse.inverse,
    "det": linalg_inverse.det,
    "logdet": linalg_inverse.logdet,
}
METHODS.update(OPS_METHODS)
METHODS.update(tensor_methods_torch.METHODS)  # torch's names: clone, expand, eq, norm, chunk, ...
METHODS.update(tensor_methods_more.METHODS)  # is_contiguous, mT, clip, median, diff, kron, ...
METHODS.update(tensor_methods_math.METHODS)  # reciprocal, xlogy, atan2, logit, lgamma, addcmul, ...
METHODS.update(inplace_more.METHODS)  # exp_, pow_, uniform_, normal_, scatter_, index_add_, ...
METHODS.update(inplace_apply.METHODS)  # apply_, map_
METHODS.update(shape_helpers.METHODS)  # is_floating_point, ravel, fliplr, flipud, nansum, ...


def install_tensor_methods(cls: type = Tensor) -> None:
    """Give `cls` (Tensor) its operators and op methods; calling it again changes nothing."""
    for name, method in METHODS.items():
        setattr(cls, name, method)
