"""Conv2D: both data formats against torch.nn.Conv2d, lazy building, "same" padding, errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import jaring
import jaring.nn as nn
from tests.nn.helpers import check_module_gradients, compare_module_with_torch
from tests.oracle import CASES, random_array

pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same'")


def compare_channels_last(module, torch_module, x, rtol=1e-4, atol=1e-4):
    """Run `module` on NHWC x and torch_module on the same data as NCHW; compare outputs and grads."""
    torch_module.load_state_dict({k: torch.tensor(v) for k, v in module.state_dict().items()})
    jx = jaring.tensor(x, requires_grad=True)
    tx = torch.tensor(x, requires_grad=True)
    jout = module(jx)
    tout = torch_module(tx.permute(0, 3, 1, 2))
    if tout.ndim == 4:
        tout = tout.permute(0, 2, 3, 1)
    np.testing.assert_allclose(jout.numpy(), tout.detach().numpy(), rtol=rtol, atol=atol, err_msg="forward")
    upstream = np.random.default_rng(1).standard_normal(tout.shape).astype(np.float32)
    jout.backward(upstream)
    tout.backward(torch.tensor(upstream))
    np.testing.assert_allclose(jx.grad.numpy(), tx.grad.numpy(), rtol=rtol, atol=atol, err_msg="input grad")
    torch_params = dict(torch_module.named_parameters())
    for name, p in module.named_parameters():
        np.testing.assert_allclose(
            p.grad.numpy(), torch_params[name].grad.numpy(), rtol=rtol, atol=atol, err_msg=name
        )
    CASES["torch"] += 1


LAYERS = [
    # (filters, kernel, strides, padding, dilation, in_channels, H, W, batch)
    (4, 3, 1, "same", 1, 3, 8, 8, 2),
    (2, 2, 1, "same", 1, 1, 7, 6, 1),
    (8, 5, 2, "valid", 1, 2, 11, 9, 3),
    (3, (1, 4), (2, 1), (0, 2), 1, 4, 6, 7, 4),
    (5, 3, 1, 1, 2, 8, 9, 9, 2),
    (1, 6, 1, "same", 1, 2, 8, 8, 1),
]


def _torch_conv(filters, kernel, strides, padding, dilation, channels, bias=True):
    return torch.nn.Conv2d(channels, filters, kernel, strides, padding, dilation, bias=bias)


@pytest.mark.parametrize("data_format", ["channels_first", "channels_last"])
@pytest.mark.parametrize("f,k,s,p,d,c,h,w,n", LAYERS)
def test_conv2d_layer_matches_torch(f, k, s, p, d, c, h, w, n, data_format):
    layer = nn.Conv2D(f, k, s, p, d, data_format=data_format, input_dim=c, seed=0)
    torch_layer = _torch_conv(f, k, s, p, d, c)
    if data_format == "channels_first":
        compare_module_with_torch(layer, torch_layer, random_array((n, c, h, w), 1), rtol=1e-4, atol=1e-4)
    else:
        compare_channels_last(layer, torch_layer, random_array((n, h, w, c), 1))


def test_same_padding_with_even_kernel_and_stride_two_pads_bottom_right():
    """TensorFlow's rule: 7 pixels, kernel 4, stride 2 -> 4 outputs, padding 1 top and 2 bottom."""
    layer = nn.Conv2D(3, 4, strides=2, padding="same", data_format="channels_first", seed=1, use_bias=False)
    x = random_array((2, 2, 7, 7), 2)
    out = layer(jaring.tensor(x))
    assert out.shape == (2, 3, 4, 4)
    expected = TF.conv2d(TF.pad(torch.tensor(x), (1, 2, 1, 2)), torch.tensor(layer.weight.numpy()), stride=2)
    np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-5, atol=1e-5)


def test_lazy_layer_builds_on_first_call_and_activation_applies():
    layer = nn.Conv2D(6, 3, padding="same", activation="relu", seed=0)
    assert layer.weight is None and "input_dim=?" in repr(layer)
    out = layer(jaring.tensor(random_array((2, 5, 5, 3), 3)))
    assert layer.weight.shape == (6, 3, 3, 3) and layer.bias.shape == (6,)
    assert out.shape == (2, 5, 5, 6) and out.numpy().min() >= 0
    assert layer.get_config()["input_dim"] == 3
    built = nn.Sequential(nn.Conv2D(4, 2)).build((None, 6, 6, 5))
    assert built[0].weight.shape == (4, 5, 2, 2)


def test_initializers_and_seed():
    a = nn.Conv2D(4, 3, input_dim=2, seed=7, kernel_initializer="he_normal", bias_initializer="ones")
    b = nn.Conv2D(4, 3, input_dim=2, seed=7, kernel_initializer="he_normal", bias_initializer="ones")
    np.testing.assert_array_equal(a.weight.numpy(), b.weight.numpy())
    np.testing.assert_array_equal(a.bias.numpy(), np.ones(4, np.float32))
    assert a.weight.dtype == np.float32
    assert nn.Conv2D(4, 3, input_dim=2, use_bias=False).bias is None


def test_conv2d_layer_gradcheck_float64():
    layer = nn.Conv2D(
        2, (2, 3), strides=(2, 1), padding="same", input_dim=2, seed=3, bias_initializer="normal"
    )
    check_module_gradients(layer, random_array((2, 5, 4, 2), 4))


def test_wrong_channel_count_names_layer_expected_and_received():
    layer = nn.Conv2D(8, 3, input_dim=3)
    with pytest.raises(
        ValueError, match=r"Conv2D\(filters=8.*expected 3 input channels.*got shape \(2, 5, 5, 4\)"
    ):
        layer(jaring.ones(2, 5, 5, 4))
    first = nn.Conv2D(8, 3, input_dim=3, data_format="channels_first")
    with pytest.raises(ValueError, match=r"\(N, C=3, H, W\).*got shape \(2, 4, 5, 5\)"):
        first(jaring.ones(2, 4, 5, 5))
    with pytest.raises(ValueError, match=r"expected input of shape \(N, H, W, C\), got \(5, 5, 3\)"):
        layer(jaring.ones(5, 5, 3))


def test_kernel_larger_than_padded_input_names_layer():
    with pytest.raises(
        ValueError, match=r"Conv2D\(filters=2, kernel_size=\(5, 5\).*window 5x5.*padded input 3x3"
    ):
        nn.Conv2D(2, 5)(jaring.ones(1, 3, 3, 1))


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"filters": 0}, "filters must be a positive integer"),
        ({"padding": "full"}, "padding must be 'valid', 'same'"),
        ({"data_format": "NHWC"}, "data_format must be one of"),
        ({"kernel_size": (3, 3, 3)}, "kernel_size must be an int or a pair"),
        ({"strides": 0}, "strides must be at least 1"),
        ({"activation": "relux"}, "unknown activation"),
    ],
)
def test_bad_layer_arguments_are_refused(kwargs, message):
    args = {"filters": 4, "kernel_size": 3, **kwargs}
    with pytest.raises(ValueError, match=message):
        nn.Conv2D(**args)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_sequential_of_conv_and_max_pool_equals_the_layers_one_by_one(data_format):
    # Sequential is a plain loop: its result and every gradient equal calling the layers one
    # by one, including windows that are all negative before the ReLU (ties at zero).
    jaring.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2D(4, 3, padding="same", activation="relu", data_format=data_format, seed=1),
        nn.MaxPool2D(2, data_format=data_format),
        nn.Conv2D(3, 2, activation="relu", data_format=data_format, seed=2),
        nn.MaxPool2D(2, strides=1, data_format=data_format),
    )
    shape = (2, 8, 8, 3) if data_format == "channels_last" else (2, 3, 8, 8)
    x = random_array(shape, 4).astype(np.float64) - 0.3
    model.build(shape, dtype=np.float64)
    model[0].bias.data[:2] = -3.0  # kills whole windows of the first layer: ties at zero
    with jaring.no_grad():
        assert (model[1](model[0](jaring.tensor(x))).numpy() == 0).any()

    def run(layer_by_layer):
        for p in model.parameters():
            p.grad = None
        inputs = jaring.tensor(x, requires_grad=True)
        out = inputs
        if layer_by_layer:
            for layer in model:
                out = layer(out)
        else:
            out = model(inputs)
        (out * jaring.tensor(np.cos(np.arange(out.size)).reshape(out.shape))).sum().backward()
        return out.numpy(), inputs.grad.numpy(), [p.grad.numpy() for p in model.parameters()]

    together, plain = run(False), run(True)
    np.testing.assert_array_equal(together[0], plain[0])
    np.testing.assert_array_equal(together[1], plain[1])
    for a, b in zip(together[2], plain[2]):
        np.testing.assert_array_equal(a, b)


def test_an_unbuilt_conv2d_says_so_instead_of_having_no_parameters():
    layer = nn.Conv2D(4, 3)
    assert not layer.built
    with pytest.warns(UserWarning, match="has no weights yet"):
        assert list(layer.parameters()) == []
    layer(jaring.ones(1, 5, 5, 2))
    assert layer.built and layer.weight.shape == (4, 2, 3, 3)
    assert not nn.Conv2D(4, 3, input_dim=None).built and nn.Conv2D(4, 3, input_dim=2).built


def test_grouped_conv2d_layer_matches_torch_depthwise():
    layer = nn.Conv2D(8, 3, padding=1, groups=4, data_format="channels_first", input_dim=4, seed=0)
    assert layer.weight.shape == (8, 1, 3, 3)
    twin = torch.nn.Conv2d(4, 8, 3, padding=1, groups=4)
    twin.load_state_dict({k: torch.tensor(v) for k, v in layer.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((2, 4, 5, 5)).astype(np.float32)
    np.testing.assert_allclose(layer(x).numpy(), twin(torch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError, match="divide by groups"):
        nn.Conv2D(8, 3, groups=3)
