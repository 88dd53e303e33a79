"""torch.linalg's namespace: `jaring.linalg.inv`, `.det`, `.solve`, `.svd`, `.norm`, ...

Each function is a thin name for its op in jaring/ops/linalg_*.py (decompositions, inverse and
solve, norms, the composed ones), all differentiable with torch's backward formulas and batched
over leading dimensions. The top-level aliases torch has (jaring.inverse, det, logdet, slogdet,
tensordot, which torch.linalg lacks) live in jaring/__init__.py.
"""

from __future__ import annotations

from jaring.ops.linalg import matmul
from jaring.ops.linalg_checks import LinAlgError
from jaring.ops.linalg_compose import cross, matrix_power, multi_dot, pinv
from jaring.ops.linalg_decomp import cholesky, eigh, qr, svd, svdvals
from jaring.ops.linalg_inverse import det, inv, slogdet, solve
from jaring.ops.linalg_norm import matrix_norm, norm, vector_norm

__all__ = [
    "LinAlgError",
    "cholesky",
    "cross",
    "det",
    "eigh",
    "inv",
    "matmul",
    "matrix_norm",
    "matrix_power",
    "multi_dot",
    "norm",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "svd",
    "svdvals",
    "vector_norm",
]
