"""Tensor.to in torch's forms: device, dtype, both, another tensor, keywords, copy."""

import numpy as np
import pytest

import jaring

torch = pytest.importorskip("torch")


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("cpu",), {}),
        ((np.float64,), {}),
        (("cpu", np.float64), {}),
        ((), {"dtype": np.float64}),
        ((), {"device": "cpu", "dtype": np.int32}),
        ((np.int64,), {}),
        ((np.float16,), {"copy": True}),
        ((np.float32,), {"copy": True}),
        (("cpu",), {"non_blocking": True}),
    ],
)
def test_to_gives_torch_s_dtype_and_values(args, kwargs):
    data = np.array([[1.5, -2.25, 3.0]], np.float32)
    torch_args = [torch.from_numpy(np.zeros(1, a)).dtype if not isinstance(a, str) else a for a in args]
    torch_kwargs = {
        k: torch.from_numpy(np.zeros(1, v)).dtype if k == "dtype" else v for k, v in kwargs.items()
    }
    ours = jaring.tensor(data).to(*args, **kwargs)
    theirs = torch.from_numpy(data).to(*torch_args, **torch_kwargs)
    assert ours.dtype == np.dtype(str(theirs.dtype).removeprefix("torch."))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_to_another_tensor_takes_its_dtype():
    assert jaring.tensor([1, 2]).to(jaring.zeros(1, dtype=np.float64)).dtype == np.float64


def test_to_returns_the_tensor_itself_when_nothing_changes_unless_copy():
    x = jaring.ones(2)
    assert x.to("cpu") is x and x.to(np.float32) is x and x.to("cpu", np.float32) is x
    y = x.to(copy=True)
    assert y is not x and not np.shares_memory(y.data, x.data)
    ids = jaring.tensor([1, 2])
    assert not np.shares_memory(ids.to(copy=True).data, ids.data)


def test_a_float_cast_keeps_the_gradient_path_as_torch():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    (x.to(np.float64) ** 2).sum().backward()
    t = torch.tensor([1.0, 2.0], requires_grad=True)
    (t.to(torch.float64) ** 2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), t.grad.numpy())
    assert x.grad.dtype == np.float32


def test_a_leaf_moved_to_its_own_device_stays_a_leaf():
    x = jaring.ones(2, requires_grad=True)
    assert x.to("cpu") is x and x.to("cuda:0" if False else "cpu").requires_grad


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        (("tpu",), {}, ValueError, "unknown device"),
        (("cuda:1",), {}, ValueError, "one GPU"),
        ((), {"device": "cuda:x"}, ValueError, "invalid device string"),
        ((), {"device": "tpu"}, ValueError, "unknown device"),
        (("cpu", np.float32, 1), {}, TypeError, "at most 2"),
        ((object(),), {}, TypeError, "a device"),
    ],
)
def test_bad_targets_say_what_to_is_given(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        jaring.ones(2).to(*args, **kwargs)


@pytest.mark.parametrize(
    "name", ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"]
)
def test_type_names_the_type_as_torch(name):
    ours = jaring.tensor(np.zeros(2, name)).type()
    theirs = torch.from_numpy(np.zeros(2, name)).type()
    assert ours == theirs.replace("torch.", "jaring.")


def test_type_with_a_dtype_or_a_name_casts():
    mask = jaring.tensor([True, False, True])
    assert mask.type(jaring.float).dtype == np.float32 and mask.type(jaring.float).sum().item() == 2.0
    assert mask.type("torch.DoubleTensor").dtype == np.float64
    assert mask.type("jaring.LongTensor").dtype == np.int64
    with pytest.raises(TypeError, match="use .to"):
        mask.type("cpu")
