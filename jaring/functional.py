"""The user's function namespace, like torch.nn.functional: `import jaring.functional as F`.

Each name is a thin call into an op in `jaring/ops/`; the ops' modules hold the functions,
this module gathers them in one place.
"""

from jaring.ops.arith import (  # noqa: F401
    abs,
    add,
    cast,
    div,
    exp,
    log,
    mul,
    neg,
    pow,
    sqrt,
    sub,
)
from jaring.ops.select import clamp, maximum, minimum, where  # noqa: F401
from jaring.ops.linalg import linear, matmul  # noqa: F401
from jaring.ops.shape import (  # noqa: F401
    broadcast_to,
    cat,
    concat,
    flatten,
    permute,
    reshape,
    split,
    squeeze,
    stack,
    swapaxes,
    transpose,
    unsqueeze,
)
from jaring.ops.index import getitem  # noqa: F401
from jaring.ops.conv import conv2d  # noqa: F401
from jaring.ops.pool import avg_pool2d, max_pool2d  # noqa: F401
from jaring.ops.pool_global import global_avg_pool2d, global_max_pool2d  # noqa: F401
from jaring.ops.pool_adaptive import adaptive_avg_pool2d, adaptive_max_pool2d  # noqa: F401
from jaring.ops.batchnorm import batch_norm  # noqa: F401
from jaring.ops.activation import (  # noqa: F401
    binary_step,
    elu,
    gelu,
    leaky_relu,
    relu,
    sigmoid,
    silu,
    softplus,
    swish,
    tanh,
)
from jaring.ops.softmax import log_softmax, softmax  # noqa: F401
from jaring.ops.loss import (  # noqa: F401
    categorical_cross_entropy,
    mse_loss,
)
from jaring.ops.loss_robust import (  # noqa: F401
    cosine_similarity,
    huber_loss,
    l1_loss,
    normalize,
    smooth_l1_loss,
)
from jaring.ops.reduce import logsumexp, max, mean, min, sum, var  # noqa: F401
from jaring.ops.dropout import dropout  # noqa: F401
from jaring.ops.norm import layer_norm, rms_norm  # noqa: F401
from jaring.ops.embedding_options import embedding  # noqa: F401  (torch's max_norm, scale_grad_by_freq)
from jaring.ops.recurrent import gru, lstm, simple_rnn  # noqa: F401

# ----- semantics (issue 13): more elementwise ops, activations, logic and tests -------------
from jaring.ops.trig import acos, acosh, asin, asinh, atan, atanh, cos, cosh, sin, sinh, tan  # noqa: F401
from jaring.ops.exp_log import erf, exp2, expm1, log10, log1p, log2, logaddexp, rsqrt  # noqa: F401
from jaring.ops.rounding import ceil, floor, round, sign, trunc  # noqa: F401
from jaring.ops.division import floor_divide, fmod, remainder  # noqa: F401
from jaring.ops.lerp import lerp  # noqa: F401
from jaring.ops.activation_bounded import hardsigmoid, hardswish, hardtanh, relu6, softsign  # noqa: F401
from jaring.ops.activation_smooth import celu, logsigmoid, mish, selu, softmin  # noqa: F401
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

# ----- reductions, scans, selection, rearranging and einsum (issue 13, ops) -------------------
from jaring.ops.reduce import std  # noqa: F401
from jaring.ops.product import cumprod, prod  # noqa: F401
from jaring.ops.scan import cummax, cummin, cumsum, logcumsumexp  # noqa: F401
from jaring.ops.sort import argsort, sort, topk  # noqa: F401
from jaring.ops.gather import gather, scatter, scatter_add  # noqa: F401
from jaring.ops.mask import masked_fill, masked_select, nonzero, one_hot  # noqa: F401
from jaring.ops.rearrange import (  # noqa: F401
    flip,
    meshgrid,
    repeat,
    repeat_interleave,
    roll,
    unflatten,
)
from jaring.ops.triangle import diag, diagonal, tril, triu  # noqa: F401
from jaring.ops.einsum import einsum  # noqa: F401

# nn ops (issue 13): convolution, pooling options, padding modes, resizing, loss options, attention
from jaring.ops.conv1d import conv1d  # noqa: F401
from jaring.ops.conv_transpose import conv_transpose2d  # noqa: F401
from jaring.ops.unpool import max_unpool2d  # noqa: F401
from jaring.ops.loss_options import (  # noqa: F401
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    nll_loss,
)
from jaring.ops.pad import pad  # noqa: F401
from jaring.ops.interpolate import interpolate  # noqa: F401
from jaring.ops.attention import scaled_dot_product_attention  # noqa: F401
from jaring.ops.pixel_shuffle import pixel_shuffle, pixel_unshuffle  # noqa: F401
from jaring.ops.bilinear import bilinear  # noqa: F401

# normalisation, channel dropout and the remaining torch activations
from jaring.ops.group_norm import group_norm  # noqa: F401
from jaring.ops.instance_norm import instance_norm  # noqa: F401
from jaring.ops.channel_dropout import dropout1d, dropout2d, dropout3d  # noqa: F401
from jaring.ops.alpha_dropout import alpha_dropout, feature_alpha_dropout  # noqa: F401
from jaring.ops.activation_param import prelu, threshold  # noqa: F401
from jaring.ops.activation_shrink import hardshrink, softshrink, tanhshrink  # noqa: F401

# the remaining torch losses: margins, divergences, likelihoods, and the pairwise distance
from jaring.ops.distance_pairwise import pairwise_distance  # noqa: F401
from jaring.ops.loss_margin import (  # noqa: F401
    cosine_embedding_loss,
    hinge_embedding_loss,
    margin_ranking_loss,
    soft_margin_loss,
    triplet_margin_loss,
)
from jaring.ops.loss_multiclass_margin import (  # noqa: F401
    multi_margin_loss,
    multilabel_margin_loss,
    multilabel_soft_margin_loss,
)
from jaring.ops.loss_probabilistic import gaussian_nll_loss, kl_div, poisson_nll_loss  # noqa: F401
from jaring.ops.loss_ctc import ctc_loss  # noqa: F401
from jaring.ops.activation_gated import glu  # noqa: F401

# text and RL helpers: embedding bags and Gumbel-softmax sampling
from jaring.ops.embedding_bag import embedding_bag  # noqa: F401
from jaring.ops.gumbel import gumbel_softmax  # noqa: F401

# 1-D pooling, im2col / col2im, local response norm, rrelu and channel shuffle
from jaring.ops.pool1d import adaptive_avg_pool1d, adaptive_max_pool1d, avg_pool1d, max_pool1d  # noqa: F401
from jaring.ops.unfold import fold, unfold  # noqa: F401
from jaring.ops.local_response_norm import local_response_norm  # noqa: F401
from jaring.ops.rrelu import rrelu  # noqa: F401
from jaring.ops.channel_shuffle import channel_shuffle  # noqa: F401

# the spatial transformer: affine sampling grids and reading an image at grid points
from jaring.ops.affine_grid import affine_grid  # noqa: F401
from jaring.ops.grid_sample import grid_sample  # noqa: F401

# Every name above, so that `from jaring.functional import *` and the API reference (which lists a
# module's __all__, imported names included) show the whole namespace.
__all__ = [
    # the spatial transformer
    "affine_grid",
    "grid_sample",
    "abs",
    "acos",
    "acosh",
    "adaptive_avg_pool2d",
    "adaptive_max_pool2d",
    "add",
    "all",
    "any",
    "argsort",
    "asin",
    "asinh",
    "atan",
    "atanh",
    "avg_pool2d",
    "batch_norm",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "binary_step",
    "bitwise_and",
    "bitwise_not",
    "bitwise_or",
    "bitwise_xor",
    "broadcast_to",
    "cast",
    "cat",
    "categorical_cross_entropy",
    "ceil",
    "celu",
    "clamp",
    "concat",
    "conv1d",
    "conv2d",
    "conv_transpose2d",
    "cos",
    "cosh",
    "cosine_similarity",
    "cross_entropy",
    "cummax",
    "cummin",
    "cumprod",
    "cumsum",
    "diag",
    "diagonal",
    "div",
    "dropout",
    "einsum",
    "elu",
    "embedding",
    "erf",
    "exp",
    "exp2",
    "expm1",
    "flatten",
    "flip",
    "floor",
    "floor_divide",
    "fmod",
    "gather",
    "gelu",
    "getitem",
    "global_avg_pool2d",
    "global_max_pool2d",
    "gru",
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "huber_loss",
    "interpolate",
    "isclose",
    "isfinite",
    "isinf",
    "isnan",
    "l1_loss",
    "layer_norm",
    "leaky_relu",
    "lerp",
    "linear",
    "log",
    "log10",
    "log1p",
    "log2",
    "log_softmax",
    "logaddexp",
    "logcumsumexp",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "logsigmoid",
    "logsumexp",
    "lstm",
    "masked_fill",
    "masked_select",
    "matmul",
    "max",
    "max_pool2d",
    "max_unpool2d",
    "maximum",
    "mean",
    "meshgrid",
    "min",
    "minimum",
    "mish",
    "mse_loss",
    "mul",
    "neg",
    "nll_loss",
    "nonzero",
    "normalize",
    "one_hot",
    "pad",
    "permute",
    "pow",
    "prod",
    "relu",
    "relu6",
    "remainder",
    "repeat",
    "repeat_interleave",
    "reshape",
    "rms_norm",
    "roll",
    "round",
    "rsqrt",
    "scaled_dot_product_attention",
    "scatter",
    "scatter_add",
    "selu",
    "sigmoid",
    "sign",
    "silu",
    "simple_rnn",
    "sin",
    "sinh",
    "smooth_l1_loss",
    "softmax",
    "softmin",
    "softplus",
    "softsign",
    "sort",
    "split",
    "sqrt",
    "squeeze",
    "stack",
    "std",
    "sub",
    "sum",
    "swapaxes",
    "swish",
    "tan",
    "tanh",
    "topk",
    "transpose",
    "tril",
    "triu",
    "trunc",
    "unflatten",
    "unsqueeze",
    "var",
    "where",
    # torch's shape layers and Bilinear
    "bilinear",
    "pixel_shuffle",
    "pixel_unshuffle",
    # normalisation, channel dropout and the remaining torch activations
    "group_norm",
    "instance_norm",
    "dropout1d",
    "dropout2d",
    "dropout3d",
    "alpha_dropout",
    "feature_alpha_dropout",
    "prelu",
    "threshold",
    "hardshrink",
    "softshrink",
    "tanhshrink",
    "glu",
    # the remaining torch losses and the pairwise distance
    "pairwise_distance",
    "cosine_embedding_loss",
    "hinge_embedding_loss",
    "margin_ranking_loss",
    "soft_margin_loss",
    "triplet_margin_loss",
    "multi_margin_loss",
    "multilabel_margin_loss",
    "multilabel_soft_margin_loss",
    "gaussian_nll_loss",
    "kl_div",
    "poisson_nll_loss",
    "ctc_loss",
    # text and RL helpers: embedding bags and Gumbel-softmax sampling
    "embedding_bag",
    "gumbel_softmax",
    # 1-D pooling, im2col / col2im, local response norm, rrelu and channel shuffle
    "max_pool1d",
    "avg_pool1d",
    "adaptive_avg_pool1d",
    "adaptive_max_pool1d",
    "unfold",
    "fold",
    "local_response_norm",
    "rrelu",
    "channel_shuffle",
]
