"""Bad arguments to tensor creation, casts and ops: a clear jaring error, or the correct result."""

import numpy as np
import pytest

import jaring
import jaring.functional as F
from jaring.allocation import AllocationRefusedError
from tests.robustness.helpers import assert_clear_error

T = jaring.tensor
ERRORS = (ValueError, TypeError, IndexError, RuntimeError, AllocationRefusedError)
CASES = {
    "ragged": (lambda: T([[1, 2], [3]]), "different lengths"),
    "ragged deep": (lambda: T([[[1.0], [2.0]], [[3.0]]]), "different lengths"),
    "ragged mixed": (lambda: T([1, [2, 3]]), "different lengths"),
    "string": (lambda: T("abc"), "numbers or booleans"),
    "strings": (lambda: T(["a", "b"]), "numbers or booleans"),
    "None": (lambda: T(None), "numbers or booleans"),
    "dict": (lambda: T({"a": 1}), "numbers or booleans"),
    "set": (lambda: T({1, 2}), "numbers or booleans"),
    "object": (lambda: T(object()), "numbers or booleans"),
    "complex": (lambda: T([1 + 2j]), "complex"),
    "bigint": (lambda: T(2**70), "int64's range|numbers"),
    "bigints": (lambda: T([1, 2**65]), "int64's range|numbers"),
    "dtype object": (lambda: T([1.0], dtype=object), "numbers or booleans"),
    "dtype str": (lambda: T([1.0], dtype=str), "numbers or booleans"),
    "dtype complex": (lambda: T([1.0], dtype=np.complex64), "numbers or booleans"),
    "dtype nonsense": (lambda: T([1.0], dtype="nonsense"), "not a dtype"),
    "list of tensors": (lambda: T([T(1.0), T(2.0)]), "jaring.stack"),
    "int requires grad": (lambda: T([1, 2], requires_grad=True), "floating-point"),
    "astype object": (lambda: T([1.0]).astype(object), "numbers or booleans, got dtype"),
    "astype str": (lambda: T([1.0]).astype(str), "numbers or booleans, got dtype"),
    "astype U5": (lambda: T([1.0]).astype("U5"), "numbers or booleans, got dtype"),
    "astype complex": (lambda: T([1.0]).astype(complex), "numbers or booleans, got dtype"),
    "astype complex64": (lambda: T([1.0]).astype(np.complex64), "numbers or booleans, got dtype"),
    "astype datetime": (lambda: T([1.0]).astype("datetime64[s]"), "numbers or booleans, got dtype"),
    "astype bytes": (lambda: T([1.0]).astype(bytes), "numbers or booleans, got dtype"),
    "astype nonsense": (lambda: T([1.0]).astype("nonsense"), "not a dtype"),
    "cast object": (lambda: F.cast(T([1.0]), object), "numbers or booleans, got dtype"),
    "cast void": (lambda: F.cast(T([1.0]), "V8"), "numbers or booleans, got dtype"),
    "arange step 0": (lambda: jaring.arange(0, 5, 0), "step must not be 0"),
    "arange step 0.0": (lambda: jaring.arange(0.0, 1.0, 0.0), "step must not be 0"),
    "arange str": (lambda: jaring.arange("5"), "start must be a number"),
    "arange stop str": (lambda: jaring.arange(0, "5"), "stop must be a number"),
    "arange step str": (lambda: jaring.arange(0, 5, "1"), "step must be a number"),
    "arange inf": (lambda: jaring.arange(0, float("inf")), "finite"),
    "arange nan": (lambda: jaring.arange(float("nan")), "finite"),
    "arange huge": (lambda: jaring.arange(1e12), "more than"),
    "arange bool": (lambda: jaring.arange(True), "must be a number"),
    "zeros negative": (lambda: jaring.zeros(-1), "non-negative integers"),
    "zeros float": (lambda: jaring.zeros(2.5), "non-negative integers"),
    "zeros str": (lambda: jaring.zeros("3"), "non-negative integers"),
    "zeros bool": (lambda: jaring.zeros(True), "non-negative integers"),
    "zeros huge": (lambda: jaring.zeros(10**12), "more than this machine"),
    "ones huge": (lambda: jaring.ones(10**6, 10**6), "more than this machine"),
    "randn huge": (lambda: jaring.randn(10**7, 10**6), "more than this machine"),
    "rand negative": (lambda: jaring.rand(-2), "non-negative integers"),
    "rand seed str": (lambda: jaring.rand(2, seed="a"), "seed must be"),
    "rand seed float": (lambda: jaring.rand(2, seed=1.5), "seed must be"),
    "full str": (lambda: jaring.full((2,), "a"), "fill_value must be a number"),
    "full None": (lambda: jaring.full((2,), None), "fill_value must be a number"),
    "full shape": (lambda: jaring.full((-2,), 1.0), "non-negative integers"),
    "eye str": (lambda: jaring.eye("a"), "non-negative integers"),
    "eye negative": (lambda: jaring.eye(-3), "non-negative integers"),
    "eye m str": (lambda: jaring.eye(3, "b"), "non-negative integers"),
    "reshape": (lambda: jaring.ones(2, 3).reshape(4, 2), "cannot reshape"),
    "matmul": (lambda: jaring.ones(2, 3) @ jaring.ones(2, 3), "not aligned"),
    "broadcast": (lambda: jaring.ones(2, 3) + jaring.ones(4), "cannot be broadcast"),
    "add str": (lambda: jaring.ones(2) + "a", "numbers or booleans"),
    "mul None": (lambda: jaring.ones(2) * None, "numbers or booleans"),
    "pow str": (lambda: jaring.ones(2) ** "a", "numbers or booleans"),
    "sum axis": (lambda: jaring.ones(2, 3).sum(axis=5), "out of range"),
    "mean axis": (lambda: jaring.ones(2, 3).mean(axis=-3), "out of range"),
    "softmax axis": (lambda: F.softmax(jaring.ones(2, 3), axis=3), "out of range"),
    "index": (lambda: jaring.ones(2, 3)[5], "out of bounds"),
    "cat": (lambda: jaring.cat([jaring.ones(2, 3), jaring.ones(2, 4)]), "same shape"),
    "stack empty": (lambda: jaring.stack([]), "non-empty"),
    "clamp": (lambda: jaring.ones(2).clamp(2, 1), "larger than max"),
    "dropout p": (lambda: F.dropout(jaring.ones(2), 1.5), "must be in \\[0, 1\\)"),
    "dropout p str": (lambda: F.dropout(jaring.ones(2), "a"), "must be in \\[0, 1\\)"),
    "backward vector": (lambda: (jaring.ones(2, requires_grad=True) * 2).backward(), "scalar"),
    "item": (lambda: jaring.ones(2).item(), "one-element"),
    "conv2d channels": (lambda: F.conv2d(jaring.ones(1, 3, 8, 8), jaring.ones(4, 2, 3, 3)), "channels"),
    "max_pool window": (lambda: F.max_pool2d(jaring.ones(1, 1, 2, 2), 5), "larger than"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_tensor_arguments(name):
    fn, message = CASES[name]
    assert_clear_error(fn, message, ERRORS)


CORRECT = {
    "arange negative step": (lambda: jaring.arange(5, 0, -2).tolist(), [5, 3, 1]),
    "arange empty": (lambda: jaring.arange(5, 0).tolist(), []),
    "arange float": (lambda: jaring.arange(0, 1, 0.5).tolist(), [0.0, 0.5]),
    "zeros empty": (lambda: jaring.zeros(0).shape, (0,)),
    "astype int": (lambda: T([1.7, -1.7]).astype(np.int64).tolist(), [1, -1]),
    "astype bool": (lambda: T([0.0, 2.0]).astype(bool).tolist(), [False, True]),
    "astype float64": (lambda: str(T([1.0]).astype(np.float64).dtype), "float64"),
    "tensor bool": (lambda: T([True, False]).tolist(), [True, False]),
    "tensor nested tuple": (lambda: T(((1, 2), (3, 4))).shape, (2, 2)),
}


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_edge_inputs_give_the_correct_result(name):
    fn, expected = CORRECT[name]
    assert fn() == expected
