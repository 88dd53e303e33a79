"""jaring/ops/matrix.py: trace, addmm, kron and cross against PyTorch, values and gradients."""

import numpy as np
import pytest
import torch

import jaring
from tests.oracle import check_gradients, compare_with_torch, random_array

pytestmark = pytest.mark.filterwarnings("ignore:Using torch.cross without specifying the dim arg")

CASES = {
    "trace square": (jaring.trace, torch.trace, [(3, 3)]),
    "trace wide": (lambda x: x.trace(), lambda x: x.trace(), [(2, 4)]),
    "trace 1x1": (jaring.trace, torch.trace, [(1, 1)]),
    "addmm": (jaring.addmm, torch.addmm, [(2, 4), (2, 3), (3, 4)]),
    "addmm broadcast bias": (jaring.addmm, torch.addmm, [(4,), (2, 3), (3, 4)]),
    "addmm 0-d bias": (jaring.addmm, torch.addmm, [(), (2, 3), (3, 4)]),
    "addmm beta alpha": (
        lambda b, x, y: jaring.addmm(b, x, y, beta=0.5, alpha=-2.0),
        lambda b, x, y: torch.addmm(b, x, y, beta=0.5, alpha=-2.0),
        [(1, 4), (2, 3), (3, 4)],
    ),
    "addmm beta 0": (
        lambda b, x, y: b.addmm(x, y, beta=0),
        lambda b, x, y: b.addmm(x, y, beta=0),
        [(2, 1), (2, 1), (1, 1)],
    ),
    "kron matrices": (jaring.kron, torch.kron, [(2, 3), (3, 2)]),
    "kron vectors": (lambda a, b: a.kron(b), lambda a, b: a.kron(b), [(2,), (3,)]),
    "kron of unequal ranks": (jaring.kron, torch.kron, [(2, 1, 3), (2, 2)]),
    "kron with 0-d": (jaring.kron, torch.kron, [(), (2, 2)]),
    "cross vectors": (jaring.cross, torch.cross, [(3,), (3,)]),
    "cross default dim is the first of size 3": (jaring.cross, torch.cross, [(3, 3, 4), (3, 3, 4)]),
    "cross dim -1": (
        lambda a, b: jaring.cross(a, b, dim=-1),
        lambda a, b: torch.cross(a, b, dim=-1),
        [(4, 3), (4, 3)],
    ),
    "cross broadcast": (
        lambda a, b: a.cross(b, dim=1),
        lambda a, b: torch.linalg.cross(a, b, dim=1),
        [(2, 3, 1), (1, 3, 5)],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_values_and_gradients_match_torch(case):
    jfn, tfn, shapes = CASES[case]
    inputs = [random_array(s, seed=i) for i, s in enumerate(shapes)]
    compare_with_torch(jfn, tfn, inputs, rtol=1e-5, atol=1e-5)
    check_gradients(jfn, inputs)


def test_integer_trace_and_kron_keep_int64():
    m = np.arange(6).reshape(2, 3)
    assert jaring.trace(jaring.tensor(m)).item() == torch.trace(torch.tensor(m)).item() == 4
    out = jaring.kron(jaring.tensor(m), jaring.tensor(m))
    np.testing.assert_array_equal(out.numpy(), torch.kron(torch.tensor(m), torch.tensor(m)).numpy())


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="trace: expected a matrix, but got tensor with dim 1"):
        jaring.trace(jaring.zeros(3))
    with pytest.raises(ValueError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 2x4\)"):
        jaring.addmm(jaring.zeros(2, 4), jaring.zeros(2, 3), jaring.zeros(2, 4))
    with pytest.raises(ValueError, match="mat1 and mat2 must be matrices"):
        jaring.addmm(jaring.zeros(2), jaring.zeros(2), jaring.zeros(2, 2))
    with pytest.raises(ValueError, match="cannot be broadcast to the product"):
        jaring.addmm(jaring.zeros(3), jaring.zeros(2, 3), jaring.zeros(3, 2))
    with pytest.raises(ValueError, match="no dimension of size 3"):
        jaring.cross(jaring.zeros(2, 2), jaring.zeros(2, 2))
    with pytest.raises(ValueError, match="inputs dimension -1 must have length 3. Got 2 and 2"):
        jaring.cross(jaring.zeros(3, 2), jaring.zeros(3, 2), dim=-1)
    with pytest.raises(ValueError, match="cannot be broadcast"):
        jaring.cross(jaring.zeros(3), jaring.zeros(4))
