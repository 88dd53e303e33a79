"""jaring: a deep-learning library written from scratch on NumPy, for seeing every gradient."""

from jaring.autograd.tensor import Tensor
from jaring.ops.tensor_methods import install_tensor_methods

# Every Module class registers itself for jaring.io.load when its module runs; the ready models
# load with the package, so a saved FFNN opens without importing jaring.models first.
from jaring import backend, data, functional, memory, models, nn, optim
from jaring.autograd.creation import (
    arange,
    as_tensor,
    eye,
    from_numpy,
    full,
    ones,
    ones_like,
    rand,
    randn,
    tensor,
    zeros,
    zeros_like,
)
from jaring.autograd.function import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from jaring.autograd.gradcheck import GradcheckError, gradcheck
from jaring.autograd.printing import get_printoptions, set_printoptions
from jaring.backend import get_default_dtype, set_default_dtype
from jaring.errors import FileFormatError
from jaring.functional import cat, concat, matmul, split, stack, where
from jaring.random import manual_seed

# ----- torch's dtype names, dtype rules and save/load -------------------------------------
# These shadow the builtins float, int and bool inside this file only, as torch's do.
from jaring.dtypes import finfo, iinfo  # noqa: E402
from jaring.dtypes import bool, double, float, float16, float32, float64, half  # noqa: F401
from jaring.dtypes import int, int8, int16, int32, int64, long, short, uint8  # noqa: F401
from jaring.ops.promotion import can_cast, promote_types, result_type  # noqa: F401
from jaring import cuda  # noqa: E402, F401  (torch.cuda.is_available())
from jaring import accelerator  # noqa: E402, F401  (torch.accelerator.is_available())
from jaring.backend import Device as device  # noqa: E402, F401, N813  (torch.device)

# ----- torch.utils.data, torch.Generator, threads, torch.backends and torch.compile ------------
from jaring import backends, utils  # noqa: E402, F401  (torch.backends.cudnn, torch.utils.data)
from jaring.compiler import compile  # noqa: E402, F401, A004
from jaring.generator import Generator  # noqa: E402, F401
from jaring.threads import get_num_interop_threads, get_num_threads  # noqa: E402, F401
from jaring.threads import set_num_interop_threads, set_num_threads  # noqa: E402, F401

# ----- semantics (issue 13): torch's top-level functions ------------------------------------
from jaring.autograd.creation import empty, empty_like  # noqa: F401
from jaring.ops.arith import abs, add, div, exp, log, mul, neg, pow, sqrt, sub  # noqa: F401
from jaring.ops.select import clamp, maximum, minimum  # noqa: F401
from jaring.ops.activation import relu, sigmoid, tanh  # noqa: F401
from jaring.ops.softmax import log_softmax, softmax  # noqa: F401
from jaring.ops.reduce import logsumexp, mean, sum, var  # noqa: F401
from jaring.ops.extremes import argmax, argmin, max, min  # noqa: F401
from jaring.ops.reduce import max as amax, min as amin  # noqa: F401
from jaring.ops.sort import ValuesIndices  # noqa: F401
from jaring.ops.trig import acos, acosh, asin, asinh, atan, atanh, cos, cosh, sin, sinh, tan  # noqa: F401
from jaring.ops.exp_log import erf, exp2, expm1, log10, log1p, log2, logaddexp, rsqrt  # noqa: F401
from jaring.ops.rounding import ceil, floor, round, sign, trunc  # noqa: F401
from jaring.ops.division import floor_divide, fmod, remainder  # noqa: F401
from jaring.ops.lerp import lerp  # noqa: F401
from jaring.ops.activation_smooth import celu, selu  # noqa: F401
from jaring.ops.logic import (  # noqa: F401
    all,
    any,
    bitwise_and,
    bitwise_not,
    bitwise_or,
    bitwise_xor,
    isclose,
    isfinite,
    isinf,
    isnan,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
)

# ----- reductions, scans, selection, rearranging, creation and einsum (issue 13, ops) ----------
from jaring.autograd.creation import linspace, randint
from jaring.functional import (
    argsort,
    cummax,
    cummin,
    cumprod,
    cumsum,
    diag,
    diagonal,
    einsum,
    flip,
    gather,
    logcumsumexp,
    masked_fill,
    masked_select,
    meshgrid,
    nonzero,
    prod,
    repeat_interleave,
    roll,
    scatter,
    scatter_add,
    sort,
    std,
    topk,
    tril,
    triu,
    unflatten,
)

# ----- torch's names for the Tensor methods of jaring/ops/tensor_methods_torch.py -------------
from jaring.functional import broadcast_to, flatten, permute, reshape, squeeze, transpose, unsqueeze  # noqa: F401
from jaring.ops.tensor_methods_torch import (  # noqa: F401
    bmm,
    chunk,
    clone,
    dot,
    index_select,
    mm,
    nan_to_num,
    narrow,
    norm,
    numel,
    outer,
    square,
    tile,
    unbind,
    unique,
)

_DTYPE_NAMES = [
    "bool", "double", "float", "float16", "float32", "float64", "half", "int", "int16", "int32",
    "int64", "int8", "long", "short", "uint8",
]  # fmt: skip

_TORCH_METHOD_FUNCTIONS = [
    "bmm", "broadcast_to", "chunk", "clone", "dot", "flatten", "index_select", "mm", "nan_to_num",
    "narrow", "norm", "numel", "outer", "permute", "reshape", "square", "squeeze", "tile",
    "transpose", "unbind", "unique", "unsqueeze",
]  # fmt: skip

_TORCH_FUNCTIONS = [
    "ValuesIndices", "abs", "acos", "acosh", "add", "all", "amax", "amin", "any", "argmax", "argmin",
    "asin", "asinh", "atan", "atanh",
    "bitwise_and", "bitwise_not", "bitwise_or", "bitwise_xor", "ceil", "celu", "clamp", "cos", "cosh",
    "div", "empty", "empty_like", "erf", "exp", "exp2", "expm1", "floor", "floor_divide", "fmod",
    "isclose", "isfinite", "isinf", "isnan", "lerp", "log", "log10", "log1p", "log2", "log_softmax",
    "logaddexp", "logical_and", "logical_not", "logical_or", "logical_xor", "logsumexp", "max",
    "maximum", "mean", "min", "minimum", "mul", "neg", "pow", "relu", "remainder", "round", "rsqrt",
    "selu", "sigmoid", "sign", "sin", "sinh", "softmax", "sqrt", "sub", "sum", "tan", "tanh",
    "trunc", "var",
]  # fmt: skip

# ----- more of torch's top-level functions (joining, axes, sampling, order statistics, ...) ----
from jaring.ops.axes import movedim, moveaxis, swapaxes, swapdims, t  # noqa: E402, F401
from jaring.ops.binning import bucketize, searchsorted  # noqa: E402, F401
from jaring.ops.compare import allclose, equal, is_tensor  # noqa: E402, F401
from jaring.ops.counting import bincount, count_nonzero  # noqa: E402, F401
from jaring.ops.difference import diff  # noqa: E402, F401
from jaring.ops.distance import cdist  # noqa: E402, F401
from jaring.ops.filled import full_like, rand_like, randint_like, randn_like  # noqa: E402, F401
from jaring.ops.gather import take  # noqa: E402, F401
from jaring.ops.joining import broadcast_tensors, hstack, vstack  # noqa: E402, F401
from jaring.ops.matrix import addmm, cross, kron, trace  # noqa: E402, F401
from jaring.ops.order_stats import MinMax, aminmax, median  # noqa: E402, F401
from jaring.ops.rounding import frac  # noqa: E402, F401
from jaring.ops.sampling import bernoulli, multinomial, normal, randperm  # noqa: E402, F401
from jaring.ops.select import clamp as clip  # noqa: E402, F401

_TORCH_FUNCTIONS_MORE = [
    "MinMax", "addmm", "allclose", "aminmax", "bernoulli", "bincount", "broadcast_tensors",
    "bucketize", "cdist", "clip", "count_nonzero", "cross", "diff", "equal", "frac", "full_like",
    "rand_like", "randint_like", "randn_like", "atleast_1d", "atleast_2d", "atleast_3d", "fliplr",
    "flipud", "is_floating_point", "isin", "nanmean", "nansum", "ravel", "std_mean", "tril_indices",
    "triu_indices", "var_mean",
    "hstack", "is_tensor", "kron", "median", "movedim", "moveaxis", "multinomial", "normal",
    "randperm", "searchsorted", "swapaxes", "swapdims", "t", "take", "trace", "vstack",
]  # fmt: skip

# ----- torch's further elementwise math (special functions, angles, sign bits, compounds) -----
from jaring.ops.angles import arctan2, atan2, deg2rad, hypot, rad2deg  # noqa: E402, F401
from jaring.ops.arith_aliases import clamp_max, clamp_min, fix, negative, positive, true_divide  # noqa: E402, F401
from jaring.ops.arith_composed import addcdiv, addcmul, float_power, ldexp, reciprocal  # noqa: E402, F401
from jaring.ops.exp_log import logaddexp2  # noqa: E402, F401
from jaring.ops.sign_bits import copysign, heaviside, nextafter, sgn, signbit  # noqa: E402, F401
from jaring.ops.special import digamma, erfinv, lgamma, logit, sinc, xlogy  # noqa: E402, F401

_TORCH_FUNCTIONS_MATH = [
    "addcdiv", "addcmul", "arctan2", "atan2", "clamp_max", "clamp_min", "copysign", "deg2rad",
    "digamma", "erfinv", "fix", "float_power", "heaviside", "hypot", "ldexp", "lgamma", "logaddexp2",
    "logit", "negative", "nextafter", "positive", "rad2deg", "reciprocal", "sgn", "signbit", "sinc",
    "true_divide", "xlogy",
]  # fmt: skip

# ----- torch.linalg (jaring/linalg.py) and torch's top-level names for some of it -------------
from jaring import linalg  # noqa: E402, F401
from jaring import testing  # noqa: E402, F401  (torch.testing.assert_close, make_tensor)
from jaring.ops.linalg_inverse import det, inverse, logdet, slogdet  # noqa: E402, F401
from jaring.ops.tensordot import tensordot  # noqa: E402, F401

_TORCH_FUNCTIONS_LINALG = ["det", "inverse", "linalg", "logdet", "slogdet", "tensordot"]

# ----- small compositions: jaring/ops/shape_helpers.py
from jaring.ops.shape_helpers import atleast_1d, atleast_2d, atleast_3d, fliplr, flipud  # noqa: E402, F401
from jaring.ops.shape_helpers import is_floating_point, isin, nanmean, nansum, ravel  # noqa: E402, F401
from jaring.ops.shape_helpers import std_mean, tril_indices, triu_indices, var_mean  # noqa: E402, F401

# ----- splitting, statistics, ranking, matrix forms, tuples, integrals, runs (jaring/ops/*.py) ---
from jaring.ops.combinatorics import cartesian_prod, combinations  # noqa: E402, F401
from jaring.ops.integration import cumulative_trapezoid, trapezoid, trapz  # noqa: E402, F401
from jaring.ops.matrix_forms import block_diag, diag_embed, vander  # noqa: E402, F401
from jaring.ops.ranking import kthvalue, mode, msort  # noqa: E402, F401
from jaring.ops.renorm import renorm  # noqa: E402, F401
from jaring.ops.rotation import rot90  # noqa: E402, F401
from jaring.ops.runs import unique_consecutive  # noqa: E402, F401
from jaring.ops.splitting import tensor_split  # noqa: E402, F401
from jaring.ops.statistics import corrcoef, cov, histc  # noqa: E402, F401
from jaring.ops.take_along import take_along_dim  # noqa: E402, F401

_TORCH_FUNCTIONS_FORMS = [
    "block_diag", "cartesian_prod", "combinations", "corrcoef", "cov", "cumulative_trapezoid",
    "diag_embed", "histc", "kthvalue", "mode", "msort", "renorm", "rot90", "take_along_dim",
    "tensor_split", "trapezoid", "trapz", "unique_consecutive", "vander",
]  # fmt: skip

# ----- torch's out= keyword, on the functions its tutorials call with it (jaring/ops/out_argument.py)
from jaring.ops.out_argument import with_out as _with_out  # noqa: E402

add, sub, mul, div, matmul, pow = (_with_out(f) for f in (add, sub, mul, div, matmul, pow))
exp, log, sqrt, abs, neg, clamp = (_with_out(f) for f in (exp, log, sqrt, abs, neg, clamp))
maximum, minimum, cat, stack, where = (_with_out(f) for f in (maximum, minimum, cat, stack, where))

# Tensor's operators come from the ops floor, installed once here (see jaring/ops/tensor_methods.py).
install_tensor_methods(Tensor)

__version__ = "0.1.0"

# Heavier parts load on first use (jaring.viz pulls in matplotlib).
_LAZY = ("distributions", "io", "training", "viz")


# torch.save / torch.load's names: they load jaring.io (and safetensors) on first use.
_LAZY_FUNCTIONS = {"save": "jaring.io.objects", "load": "jaring.io.objects"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return importlib.import_module(f"jaring.{name}")
    if name in _LAZY_FUNCTIONS:
        import importlib

        function = getattr(importlib.import_module(_LAZY_FUNCTIONS[name]), name)
        globals()[name] = function
        return function
    raise AttributeError(f"module 'jaring' has no attribute {name!r}")


__all__ = [
    "FileFormatError",
    "GradcheckError",
    "Tensor",
    "arange",
    "as_tensor",
    "backend",
    "cat",
    "concat",
    "data",
    "enable_grad",
    "inference_mode",
    "eye",
    "from_numpy",
    "full",
    "functional",
    "get_default_dtype",
    "gradcheck",
    "get_printoptions",
    "set_printoptions",
    "is_grad_enabled",
    "manual_seed",
    "matmul",
    "memory",
    "models",
    "nn",
    "no_grad",
    "ones",
    "ones_like",
    "optim",
    "rand",
    "randn",
    "set_default_dtype",
    "set_grad_enabled",
    "split",
    "stack",
    "tensor",
    "testing",
    "where",
    "zeros",
    "zeros_like",
    *_TORCH_FUNCTIONS,
    *_TORCH_FUNCTIONS_MORE,
    *_TORCH_FUNCTIONS_MATH,
    *_TORCH_FUNCTIONS_LINALG,
    *_TORCH_FUNCTIONS_FORMS,
    # issue 13, ops
    "argsort",
    "cummax",
    "cummin",
    "cumprod",
    "cumsum",
    "diag",
    "diagonal",
    "einsum",
    "flip",
    "gather",
    "linspace",
    "logcumsumexp",
    "masked_fill",
    "masked_select",
    "meshgrid",
    "nonzero",
    "prod",
    "randint",
    "repeat_interleave",
    "roll",
    "scatter",
    "scatter_add",
    "sort",
    "std",
    "topk",
    "tril",
    "triu",
    "unflatten",
    *_TORCH_METHOD_FUNCTIONS,
    *_DTYPE_NAMES,
    "can_cast",
    "accelerator",
    "cuda",
    "device",
    "Generator",
    "backends",
    "compile",
    "get_num_interop_threads",
    "get_num_threads",
    "set_num_interop_threads",
    "set_num_threads",
    "utils",
    "finfo",
    "iinfo",
    "load",
    "promote_types",
    "result_type",
    "save",
]
