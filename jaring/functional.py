"""The user's function namespace, like torch.nn.functional: `import jaring.functional as F`.

Each name is a thin call into an op in `jaring/ops/`; the ops' modules hold the functions,
this module gathers them in one place.
"""

from jaring.ops.arith import (  # noqa: F401
    abs,
    add,
    cast,
    clamp,
    div,
    exp,
    log,
    maximum,
    minimum,
    mul,
    neg,
    pow,
    sqrt,
    sub,
    where,
)
from jaring.ops.linalg import linear, matmul  # noqa: F401
from jaring.ops.shape import (  # noqa: F401
    broadcast_to,
    cat,
    concat,
    flatten,
    getitem,
    pad,
    permute,
    reshape,
    split,
    squeeze,
    stack,
    swapaxes,
    transpose,
    unsqueeze,
)
from jaring.ops.reduce import logsumexp, max, mean, min, sum, var  # noqa: F401
