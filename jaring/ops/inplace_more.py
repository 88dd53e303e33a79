"""More of torch's in-place Tensor methods: `x.exp_()`, `w.uniform_(-0.1, 0.1)`, `x.scatter_(...)`.

Each one is the out-of-place op written back through `apply_inplace` (jaring/ops/inplace.py), so
torch's rules hold: a leaf that requires grad refuses outside `no_grad`, a non-leaf records the op
in its place, and the version counter advances. The random fills draw from `generator=` (an int
seed or a NumPy Generator) or jaring's global generator, in float64, then cast to the tensor's
dtype; the values they replace get no gradient.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops import activation, arith, exp_log, gather, lerp, mask, rounding, select, trig
from jaring.ops.inplace import apply_inplace
from jaring.random import get_rng


def _unary(name: str, op: Any) -> Any:
    def method(self: Tensor) -> Tensor:
        return apply_inplace(self, op, f"{name}_")

    method.__name__ = f"{name}_"
    method.__doc__ = f"self = {name}(self), in place (torch's Tensor.{name}_)."
    return method


_UNARY = {
    "exp": arith.exp, "log": arith.log, "sqrt": arith.sqrt, "abs": arith.abs, "neg": arith.neg,
    "log1p": exp_log.log1p, "expm1": exp_log.expm1, "rsqrt": exp_log.rsqrt,
    "relu": activation.relu, "sigmoid": activation.sigmoid, "tanh": activation.tanh,
    "sin": trig.sin, "cos": trig.cos, "floor": rounding.floor, "ceil": rounding.ceil,
    "round": rounding.round, "trunc": rounding.trunc, "sign": rounding.sign,
    "square": lambda x: arith.mul(x, x), "reciprocal": lambda x: arith.div(1.0, x),
}  # fmt: skip


def pow_(self: Tensor, exponent: Any) -> Tensor:
    """self = self ** exponent, in place."""
    return apply_inplace(self, lambda s: arith.pow(s, exponent), "pow_")


def lerp_(self: Tensor, end: Any, weight: Any) -> Tensor:
    """self = self + weight * (end - self), in place."""
    return apply_inplace(self, lambda s: lerp.lerp(s, end, weight), "lerp_")


def addcmul_(self: Tensor, tensor1: Any, tensor2: Any, *, value: float = 1) -> Tensor:
    """self += value * tensor1 * tensor2, in place (the update hand-written optimizers make)."""
    return apply_inplace(
        self, lambda s: arith.add(s, arith.mul(arith.mul(tensor1, tensor2), value)), "addcmul_"
    )


def addcdiv_(self: Tensor, tensor1: Any, tensor2: Any, *, value: float = 1) -> Tensor:
    """self += value * tensor1 / tensor2, in place."""
    return apply_inplace(
        self, lambda s: arith.add(s, arith.mul(arith.div(tensor1, tensor2), value)), "addcdiv_"
    )


def clamp_min_(self: Tensor, min: Any) -> Tensor:
    """self = max(self, min), in place."""
    return apply_inplace(self, lambda s: select.clamp(s, min, None), "clamp_min_")


def clamp_max_(self: Tensor, max: Any) -> Tensor:
    """self = min(self, max), in place."""
    return apply_inplace(self, lambda s: select.clamp(s, None, max), "clamp_max_")


class Refill(Function):
    """New values that do not depend on the old ones: no gradient reaches them."""

    @staticmethod
    def forward(ctx: Context, a: Any, values: Any) -> Any:
        return values

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return None


def _refill(self: Tensor, draw: Any, name: str, floating: bool = True) -> Tensor:
    if not isinstance(self, Tensor):
        raise TypeError(f"{name}: expected a Tensor, got {type(self).__name__}")
    if floating and self.dtype.kind != "f":
        raise TypeError(f"{name}: expected a floating-point tensor, got {self.dtype}")
    values = np.asarray(draw(self.shape), dtype=np.float64 if floating else None).astype(self.dtype)
    values = backend.to_device(values, backend.device_of(self.data))
    return apply_inplace(self, lambda s: Refill.apply(s, values=values), name, cast=True)


def uniform_(self: Tensor, low: float = 0.0, high: float = 1.0, *, generator: Any = None) -> Tensor:
    """Uniform draws from [low, high), in place, as torch's `w.uniform_(-0.1, 0.1)`.

    Examples:
        >>> import jaring
        >>> w = jaring.empty(2, 3).uniform_(-0.1, 0.1, generator=0)
        >>> bool(((w >= -0.1) & (w < 0.1)).all())
        True
    """
    if not low <= high:
        raise ValueError(f"uniform_ expects to return a [from, to) range, but found from={low} > to={high}")
    return _refill(self, lambda shape: get_rng(generator).uniform(low, high, shape), "uniform_")


def normal_(self: Tensor, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Tensor:
    """Normal draws N(mean, std^2), in place."""
    if std < 0:
        raise ValueError(f"normal expects std >= 0.0, but found std {std}")
    return _refill(self, lambda shape: get_rng(generator).normal(mean, std, shape), "normal_")


def exponential_(self: Tensor, lambd: float = 1.0, *, generator: Any = None) -> Tensor:
    """Exponential draws with rate `lambd`, in place."""
    if not lambd > 0:
        raise ValueError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
    return _refill(self, lambda shape: get_rng(generator).exponential(1.0 / lambd, shape), "exponential_")


def bernoulli_(self: Tensor, p: Any = 0.5, *, generator: Any = None) -> Tensor:
    """0 or 1 with probability `p` (a number, or a tensor broadcast to self) of 1, in place."""
    probability = np.asarray(backend.to_numpy(p.data) if isinstance(p, Tensor) else p, dtype=np.float64)
    if ((probability < 0) | (probability > 1)).any():
        raise ValueError("bernoulli_ expects p to be in [0, 1]")
    return _refill(
        self, lambda shape: get_rng(generator).random(shape) < probability, "bernoulli_", floating=False
    )


def random_(self: Tensor, low: int = 0, high: int | None = None, *, generator: Any = None) -> Tensor:
    """Integers drawn from [low, high) (from [0, low) when only one bound is given), in place."""
    if high is None:
        low, high = 0, low
    if not low < high:
        raise ValueError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    return _refill(
        self, lambda shape: get_rng(generator).integers(low, high, shape), "random_", floating=False
    )


def fill_diagonal_(self: Tensor, fill_value: Any, wrap: bool = False) -> Tensor:
    """The main diagonal set to `fill_value`, in place; all dimensions equal beyond 2-D, as torch.
    A tall matrix's diagonal restarts after N + 1 rows with `wrap=True`."""
    if self.ndim < 2:
        raise ValueError("fill_diagonal_: dimensions must larger than 1")
    if self.ndim > 2 and len(set(self.shape)) != 1:
        raise ValueError("fill_diagonal_: all dimensions of input must be of equal length")
    where = np.zeros(self.shape, dtype=bool)
    if self.ndim == 2:
        rows, cols = self.shape
        step = cols + 1
        flat = np.arange(0, rows * cols if wrap else min(rows, cols) * cols, step)
        where.reshape(-1)[flat[flat < rows * cols]] = True
    else:
        where[(np.arange(self.shape[0]),) * self.ndim] = True
    where = backend.to_device(where, backend.device_of(self.data))
    return apply_inplace(self, lambda s: mask.masked_fill(s, where, fill_value), "fill_diagonal_")


def scatter_(self: Tensor, dim: int, index: Any, src: Any = None, *, value: Any = None) -> Tensor:
    """gather's inverse in place: self[index[i][j]][j] = src[i][j] along `dim` (or `value`)."""
    if src is not None and not isinstance(src, Tensor) and value is None:
        src, value = None, src  # torch's scatter_(dim, index, 2.5): a number in src's place
    return apply_inplace(self, lambda s: gather.scatter(s, dim, index, src, value=value), "scatter_")


def scatter_add_(self: Tensor, dim: int, index: Any, src: Any) -> Tensor:
    """self[index[i][j]][j] += src[i][j] along `dim`, in place (repeated indices add up)."""
    return apply_inplace(self, lambda s: gather.scatter_add(s, dim, index, src), "scatter_add_")


def _along(self: Tensor, dim: int, index: Any, name: str) -> tuple[int, np.ndarray]:
    if (
        isinstance(dim, bool)
        or not isinstance(dim, (int, np.integer))
        or not -self.ndim <= dim < max(self.ndim, 1)
    ):
        raise IndexError(f"{name}: dim {dim!r} is out of range for a tensor of {self.ndim} dimensions")
    positions = np.asarray(backend.to_numpy(index.data) if isinstance(index, Tensor) else index)
    if positions.dtype.kind not in "iu" or positions.ndim > 1:
        raise TypeError(
            f"{name}: index must be a 1-D integer tensor, got {positions.dtype} of shape {positions.shape}"
        )
    axis = int(dim) % max(self.ndim, 1)
    size = self.shape[axis] if self.ndim else 1
    if positions.size and not (-size <= positions.min() and positions.max() < size):
        raise IndexError(f"{name}: index out of range for dimension {dim} of size {size}")
    return axis, positions.reshape(-1) % max(size, 1)


def index_fill_(self: Tensor, dim: int, index: Any, value: Any) -> Tensor:
    """The slices at `index` along `dim` set to `value`, in place."""
    axis, positions = _along(self, dim, index, "index_fill_")
    where = np.zeros(self.shape[axis] if self.ndim else 1, dtype=bool)
    where[positions] = True
    where = where.reshape([-1 if k == axis else 1 for k in range(self.ndim)]) if self.ndim else where[0]
    where = backend.to_device(np.asarray(where), backend.device_of(self.data))
    return apply_inplace(self, lambda s: mask.masked_fill(s, where, value), "index_fill_")


def _spread(self: Tensor, axis: int, positions: np.ndarray, source: Any, name: str) -> Tensor:
    """`positions` laid out over source's shape along `axis`, for scatter and scatter_add."""
    source_shape = tuple(source.shape)
    expected = tuple(len(positions) if k == axis else n for k, n in enumerate(self.shape))
    if source_shape != expected:
        raise ValueError(f"{name}: source of shape {source_shape} does not fit, expected {expected}")
    layout = [-1 if k == axis else 1 for k in range(self.ndim)]
    spread = np.broadcast_to(positions.reshape(layout), source_shape)
    return Tensor(backend.to_device(np.ascontiguousarray(spread), backend.device_of(self.data)))


def index_add_(self: Tensor, dim: int, index: Any, source: Any, *, alpha: float = 1) -> Tensor:
    """self[..., index[i], ...] += alpha * source[..., i, ...] along `dim`, in place."""
    axis, positions = _along(self, dim, index, "index_add_")
    spread = _spread(self, axis, positions, source, "index_add_")
    scaled = source if alpha == 1 else arith.mul(source, alpha)
    return apply_inplace(self, lambda s: gather.scatter_add(s, axis, spread, scaled), "index_add_")


def index_copy_(self: Tensor, dim: int, index: Any, source: Any) -> Tensor:
    """self[..., index[i], ...] = source[..., i, ...] along `dim`, in place."""
    axis, positions = _along(self, dim, index, "index_copy_")
    spread = _spread(self, axis, positions, source, "index_copy_")
    return apply_inplace(self, lambda s: gather.scatter(s, axis, spread, source), "index_copy_")


METHODS: dict[str, Any] = {f"{name}_": _unary(name, op) for name, op in _UNARY.items()}
METHODS.update(
    pow_=pow_, lerp_=lerp_, addcmul_=addcmul_, addcdiv_=addcdiv_, clamp_min_=clamp_min_,
    clamp_max_=clamp_max_, uniform_=uniform_, normal_=normal_, exponential_=exponential_,
    bernoulli_=bernoulli_, random_=random_, fill_diagonal_=fill_diagonal_, scatter_=scatter_,
    scatter_add_=scatter_add_, index_fill_=index_fill_, index_add_=index_add_, index_copy_=index_copy_,
)  # fmt: skip
