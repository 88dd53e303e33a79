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
from jaring.ops.pool import avg_pool2d, global_avg_pool2d, global_max_pool2d, max_pool2d  # noqa: F401
from jaring.ops.batchnorm import batch_norm  # noqa: F401
from jaring.ops.activation import (  # noqa: F401
    binary_step,
    elu,
    gelu,
    leaky_relu,
    log_softmax,
    relu,
    sigmoid,
    silu,
    softmax,
    softplus,
    swish,
    tanh,
)
from jaring.ops.loss import (  # noqa: F401
    categorical_cross_entropy,
    mse_loss,
)
from jaring.ops.reduce import logsumexp, max, mean, min, sum, var  # noqa: F401
from jaring.ops.dropout import dropout  # noqa: F401
from jaring.ops.norm import layer_norm, rms_norm  # noqa: F401
from jaring.ops.embedding import embedding  # noqa: F401
from jaring.ops.recurrent import gru, lstm, simple_rnn  # noqa: F401

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
