"""Bad arguments to Module's and Parameter's public methods: a clear jaring error naming the method,
the argument and the value, never a bare "'str' object has no attribute 'items'"."""

import numpy as np
import pytest

import jaring
from jaring import nn
from jaring.allocation import AllocationRefusedError
from jaring.nn.module import module_class
from tests.robustness.helpers import assert_clear_error

ERRORS = (ValueError, TypeError, RuntimeError, AllocationRefusedError)


def built() -> nn.Module:
    return nn.Sequential(nn.Dense(3, input_dim=2))


def lazy() -> nn.Module:
    return nn.Sequential(nn.Dense(3))


def state(**changes) -> dict:
    values = {"0.weight": np.zeros((3, 2), "float32"), "0.bias": np.zeros(3, "float32")}
    return {**values, **changes}


CASES = {
    "load_state_dict str": (
        lambda: built().load_state_dict("abc"),
        r"load_state_dict: state must be a dict.*'abc'",
    ),
    "load_state_dict None": (lambda: built().load_state_dict(None), r"state must be a dict.*None"),
    "load_state_dict list": (lambda: built().load_state_dict([1, 2]), r"state must be a dict.*\[1, 2\]"),
    "load_state_dict int key": (lambda: built().load_state_dict({1: 0}), r"keys must be parameter names.*1"),
    "load_state_dict str value": (
        lambda: built().load_state_dict(state(**{"0.weight": "x"})),
        r"0\.weight holds <U1 values, not numbers",
    ),
    "load_state_dict object value": (
        lambda: built().load_state_dict(state(**{"0.weight": np.full((3, 2), None)})),
        r"0\.weight holds object values",
    ),
    "load_state_dict ragged value": (
        lambda: built().load_state_dict(state(**{"0.bias": [[1.0], [1.0, 2.0]]})),
        r"0\.bias is not an array",
    ),
    "load_state_dict shape": (
        lambda: built().load_state_dict(state(**{"0.bias": np.zeros(4)})),
        r"shape mismatch for 0\.bias: expected \(3,\), received \(4,\)",
    ),
    "load_state_dict strict str": (
        lambda: built().load_state_dict(state(), strict="no"),
        r"strict must be True or False.*'no'",
    ),
    "build str": (lambda: lazy().build("abc"), r"build: input_shape must be a tuple of positive ints.*'abc'"),
    "build negative": (lambda: lazy().build((1, -3)), r"input_shape must be.*positive.*\(1, -3\)"),
    "build zero": (lambda: lazy().build((0, 3)), r"input_shape.*\(0, 3\)"),
    "build int": (lambda: lazy().build(5), r"input_shape must be.*got 5"),
    "build None": (lambda: lazy().build(None), r"input_shape must be.*None"),
    "build float dim": (lambda: lazy().build((1, 2.5)), r"input_shape.*2\.5"),
    "build bool dim": (lambda: lazy().build((1, True)), r"input_shape.*True"),
    "build str dim": (lambda: lazy().build((1, "4")), r"input_shape.*'4'"),
    "build empty": (lambda: lazy().build(()), r"input_shape.*empty"),
    "build huge": (lambda: lazy().build((1, 10**12)), r"build's dummy batch.*more than this machine"),
    "build int dtype": (
        lambda: lazy().build((1, 2), dtype="int32"),
        r"build: dtype must be a floating-point.*int32",
    ),
    "build bad dtype": (lambda: lazy().build((1, 2), dtype="abc"), r"dtype must be a floating-point.*'abc'"),
    "to tpu": (
        lambda: built().to("tpu"),
        r"Module.to: target must be a device \('cpu', 'cuda', 'gpu'\).*'tpu'",
    ),
    "to int": (lambda: built().to(5), r"target must be a device.*got 5"),
    "to None": (lambda: built().to(None), r"target must be a device.*None"),
    "to int32": (lambda: built().to("int32"), r"floating-point dtype.*'int32'"),
    "to int type": (lambda: built().to(np.int64), r"floating-point dtype"),
    "train str": (lambda: built().train("no"), r"train: mode must be True or False.*'no'"),
    "train None": (lambda: built().train(None), r"mode must be True or False.*None"),
    "train 2": (lambda: built().train(2), r"mode must be True or False.*2"),
    "apply int": (lambda: built().apply(5), r"apply: fn must be a function.*5"),
    "register_parameter int name": (
        lambda: built().register_parameter(5, None),
        r"register_parameter: name must be a str.*5",
    ),
    "register_parameter dotted": (lambda: built().register_parameter("a.b", None), r"without '\.'.*'a\.b'"),
    "register_parameter empty": (lambda: built().register_parameter("", None), r"non-empty"),
    "register_parameter array": (
        lambda: built().register_parameter("w", np.zeros(2)),
        r"needs a Parameter or None",
    ),
    "register_buffer int name": (
        lambda: built().register_buffer(5, np.zeros(2)),
        r"register_buffer: name must be a str",
    ),
    "register_buffer dotted": (lambda: built().register_buffer("a.b", np.zeros(2)), r"without '\.'"),
    "num_parameters str": (lambda: built().num_parameters("x"), r"trainable_only must be True or False"),
    "from_config str": (
        lambda: nn.Dense.from_config("abc"),
        r"Dense.from_config: config must be a dict.*'abc'",
    ),
    "from_config unknown key": (
        lambda: nn.Dense.from_config({"bogus": 1}),
        r"unknown argument.*'bogus'.*takes units",
    ),
    "Parameter requires_grad str": (
        lambda: nn.Parameter([1.0], requires_grad="x"),
        r"requires_grad must be True or False",
    ),
    "Parameter str data": (lambda: nn.Parameter("abc"), r"numbers or booleans"),
    "Parameter bad dtype": (lambda: nn.Parameter([1.0], dtype="abc"), r"'abc' is not a dtype"),
    "Parameter int data": (
        lambda: nn.Parameter([1, 2]),
        r"only floating-point tensors can require gradients",
    ),
    "assign str to a parameter": (
        lambda: setattr(nn.Dense(3, input_dim=2), "weight", "abc"),
        r"wrap it in",
    ),
    "module_class int": (lambda: module_class(5), r"module_class: name must be a class name"),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_argument_is_a_clear_error(name):
    fn, pattern = CASES[name]
    assert_clear_error(fn, pattern, ERRORS)


def test_a_refused_load_leaves_the_weights_unchanged():
    model = built()
    before = model.state_dict()
    with pytest.raises(RuntimeError):
        model.load_state_dict(state(**{"0.weight": np.ones((3, 2)), "0.bias": "x"}))
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[key])


def test_good_arguments_still_work():
    model = lazy().build([None, 2], dtype="float64")
    assert model[0].weight.shape == (3, 2)
    assert model.to("float64")[0].weight.dtype == np.float64
    assert model.to(np.float32).train(0).training is False
    model.load_state_dict({k: jaring.tensor(v) for k, v in model.state_dict().items()}, strict=np.bool_(True))
    assert nn.Dense.from_config(nn.Dense(4).get_config()).units == 4
