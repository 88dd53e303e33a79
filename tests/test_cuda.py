"""jaring.cuda and jaring.device: a torch script's first lines run unchanged."""

import copy
import pickle

import pytest

import jaring
from jaring import nn

torch = pytest.importorskip("torch")


def test_the_usual_device_line_runs():
    device = jaring.device("cuda:0" if jaring.cuda.is_available() else "cpu")
    model = nn.Linear(3, 2).to(device)
    x = jaring.ones(4, 3).to(device)
    assert model(x).device == device


def test_is_available_agrees_with_device_count():
    assert jaring.cuda.is_available() == (jaring.cuda.device_count() > 0)


@pytest.mark.parametrize(
    ("args", "kwargs"), [(("cpu",), {}), (("cuda",), {}), (("cuda:0",), {}), (("cuda", 0), {})]
)
def test_devices_read_as_torch_s(args, kwargs):
    ours, theirs = jaring.device(*args, **kwargs), torch.device(*args, **kwargs)
    assert (ours.type, ours.index) == (theirs.type, theirs.index)
    assert repr(ours) == repr(theirs) and str(ours) == str(theirs)
    assert ours == theirs.type  # a device is the string jaring's device arguments take
    assert repr(pickle.loads(pickle.dumps(ours))) == repr(ours) and copy.deepcopy(ours) == ours


def test_a_device_of_a_device_is_itself():
    d = jaring.device("cuda:0")
    assert jaring.device(d) is d


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (("tpu",), ValueError, "unknown device"),
        (("mps",), ValueError, "unknown device"),
        (("cuda:x",), ValueError, "invalid device string"),
        (("cuda:1",), ValueError, "one GPU"),
        (("cuda:0", 0), ValueError, "already has an index"),
        (("cuda", -1), ValueError, "index must be"),
        ((0,), TypeError, "takes a string"),
    ],
)
def test_bad_devices_say_why(args, error, match):
    with pytest.raises(error, match=match):
        jaring.device(*args)


def test_module_and_tensor_take_indexed_device_strings():
    assert nn.Linear(2, 2).to("cpu").weight.device == "cpu"
    assert jaring.ones(2).to(jaring.device("cpu")).device == "cpu"
    with pytest.raises(ValueError, match="one GPU"):
        nn.Linear(2, 2).to("cuda:1")
