"""jaring/ops/common.py: lifting numbers to tensors, float conversion, axis arguments."""

import numpy as np
import pytest

import jaring
from jaring import functional as F
from jaring.ops.common import as_tensor, floating, resolve_axis


def test_python_numbers_take_the_dtype_of_their_partner():
    like = jaring.zeros(2, dtype=np.float64)
    assert as_tensor(1.5, like).dtype == np.float64
    assert as_tensor(2, jaring.zeros(2, dtype=np.int64)).dtype == np.int64
    assert as_tensor(0.5, jaring.zeros(2, dtype=np.int64)).dtype == np.float32  # int tensor, float number
    t = jaring.ones(2)
    assert as_tensor(t) is t


def test_floating_turns_integers_and_booleans_into_the_default_float():
    assert floating(np.array([1, 2])).dtype == np.float32
    assert floating(np.array([True])).dtype == np.float32
    x = jaring.zeros(2, dtype=np.float64)
    assert floating(x) is x


def test_one_axis_from_axis_or_dim():
    assert resolve_axis("op", -1, 3) == 2 and resolve_axis("op", None, 3, dim=1) == 1
    assert resolve_axis("op", None, 3, default=-1) == 2  # None takes the op's default
    assert resolve_axis("op", 0, 3, dim=2, default=0) == 2  # an axis left at its default gives way to dim=
    with pytest.raises(TypeError, match=r"op: pass either axis= or dim=, not both \(got axis=1, dim=2\)"):
        resolve_axis("op", 1, 3, dim=2, default=0)
    with pytest.raises(TypeError, match=r"op: axis must be an int, got 1.5"):
        resolve_axis("op", 1.5, 3)
    with pytest.raises(TypeError, match=r"op: axis must be an int, got True"):
        resolve_axis("op", True, 3)
    message = r"op: dim=3 is out of range for a tensor with 3 dimensions \(allowed: from -3 to 2\)"
    with pytest.raises(ValueError, match=message):
        resolve_axis("op", None, 3, dim=3)
    with pytest.raises(ValueError, match=r"op: end_dim=0 .* 0 dimensions \(allowed: none, a 0-d tensor"):
        resolve_axis("op", 0, 0, name="end_dim")
    assert resolve_axis("op", -3, 2, new_axis=True) == 0 and resolve_axis("op", 2, 2, new_axis=True) == 2
    with pytest.raises(
        ValueError, match=r"op: axis=3 .* a new axis of a tensor with 2 dimensions \(allowed: from -3 to 2"
    ):
        resolve_axis("op", 3, 2, new_axis=True)


def test_several_axes():
    assert resolve_axis("op", None, 3, many=True) == (0, 1, 2)
    assert resolve_axis("op", [2, 0], 3, many=True) == (0, 2) and resolve_axis("op", -1, 3, many=True) == (2,)
    assert resolve_axis("op", None, 0, many=True) == () and resolve_axis("op", -1, 0, many=True) == (0,)
    with pytest.raises(ValueError, match=r"op: axis=\(0, -3\) names the same axis twice"):
        resolve_axis("op", (0, -3), 3, many=True)
    with pytest.raises(
        ValueError, match=r"op: axis=\(0, 3\) is out of range .* 3 dimensions \(allowed: from -3"
    ):
        resolve_axis("op", (0, 3), 3, many=True)
    with pytest.raises(TypeError, match=r"op: axis must be None, an int or a tuple of ints, got 'a'"):
        resolve_axis("op", "a", 3, many=True)


# every op that reads an axis, called with one out of range: the error names the op, the argument,
# the value and the allowed range
FORMER_CALLERS = {
    "sum": lambda x: F.sum(x, axis=2),
    "max": lambda x: F.max(x, dim=2),
    "squeeze": lambda x: F.squeeze(x, 2),
    "unsqueeze": lambda x: F.unsqueeze(x, 3),
    "flatten": lambda x: F.flatten(x, start_dim=2),
    "swapaxes": lambda x: F.swapaxes(x, 0, 2),
    "concat": lambda x: F.concat([x, x], dim=2),
    "stack": lambda x: F.stack([x, x], axis=-4),
    "split": lambda x: F.split(x, 1, axis=2),
    "softmax": lambda x: F.softmax(x, dim=2),
    "log_softmax": lambda x: F.log_softmax(x, axis=-3),
}


@pytest.mark.parametrize("op", FORMER_CALLERS)
def test_every_op_reading_an_axis_names_it_and_the_range(op):
    with pytest.raises(
        ValueError,
        match=rf"^{op}: \w+=-?\d+ is out of range for (a new axis of )?a tensor with \d dimensions \(allowed",
    ):
        FORMER_CALLERS[op](jaring.ones(2, 3))
