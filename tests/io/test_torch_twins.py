"""to_torch and from_torch carry the PyTorch-style layers by their own settings and state dicts:
GroupNorm, InstanceNorm, channel dropout, PReLU and the other activations, PixelShuffle,
Unflatten, Bilinear and the recurrent cells."""

import numpy as np
import pytest

import jaring
from jaring.io import from_torch, to_torch

torch = pytest.importorskip("torch")
tnn = torch.nn

IMAGE_MODELS = {
    "group_norm": lambda nn: nn.Sequential(nn.Conv2d(4, 8, 3), nn.GroupNorm(2, 8), nn.PReLU(8)),
    "instance_norm": lambda nn: nn.Sequential(nn.Conv2d(4, 6, 3), nn.InstanceNorm2d(6, affine=True)),
    "instance_norm_tracked": lambda nn: nn.Sequential(nn.InstanceNorm2d(4, track_running_stats=True)),
    "channel_dropout": lambda nn: nn.Sequential(nn.Conv2d(4, 8, 3), nn.Dropout2d(0.3), nn.Hardshrink(0.1)),
    "pixel_shuffle": lambda nn: nn.Sequential(nn.Conv2d(4, 8, 3), nn.PixelShuffle(2), nn.PixelUnshuffle(2)),
    "activations": lambda nn: nn.Sequential(
        nn.Threshold(0.1, -1.0), nn.Tanhshrink(), nn.Softshrink(0.2), nn.GLU(1)
    ),
    "unflatten": lambda nn: nn.Sequential(
        nn.Flatten(), nn.Linear(64, 12), nn.Unflatten(1, (3, 4)), nn.AlphaDropout(0.2)
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(IMAGE_MODELS))
def test_a_torch_model_comes_over_and_goes_back_with_the_same_outputs(name):
    torch.manual_seed(0)
    source = IMAGE_MODELS[name](tnn)
    source.train()
    source(torch.randn(3, 4, 4, 4))  # running statistics, where a layer keeps them
    source.eval()
    x = torch.randn(2, 4, 4, 4)
    expected = source(x).detach().numpy()
    model = from_torch(source)
    model.eval()
    kinds = [type(m).__name__.replace("Conv2D", "Conv2d") for m in model.children()]  # Keras-style conv
    assert kinds == [type(m).__name__ for m in source.children()]
    np.testing.assert_allclose(model(jaring.tensor(x.numpy())).numpy(), expected, rtol=1e-5, atol=1e-6)
    back = to_torch(model)
    back.eval()
    np.testing.assert_allclose(back(x).detach().numpy(), expected, rtol=1e-5, atol=1e-6)
    for key, value in source.state_dict().items():
        np.testing.assert_array_equal(back.state_dict()[key].numpy(), value.numpy())


@pytest.mark.parametrize(
    "make",
    [
        lambda nn: nn.Bilinear(3, 4, 2),
        lambda nn: nn.Bilinear(3, 4, 2, bias=False),
        lambda nn: nn.RNNCell(3, 5, nonlinearity="relu"),
        lambda nn: nn.LSTMCell(3, 5),
        lambda nn: nn.GRUCell(3, 5, bias=False),
    ],
)
def test_layers_with_two_inputs_or_a_state_come_over_alone(make):
    torch.manual_seed(1)
    source = make(tnn)
    ours = from_torch(source)
    assert type(ours).__name__ == type(source).__name__
    x1 = torch.randn(2, 3)
    second = torch.randn(2, 4) if isinstance(source, tnn.Bilinear) else None
    args = (x1,) if second is None else (x1, second)
    expected = source(*args)
    got = ours(*[jaring.tensor(a.numpy()) for a in args])
    expected, got = (expected, got) if not isinstance(expected, tuple) else (expected[0], got[0])
    np.testing.assert_allclose(got.numpy(), expected.detach().numpy(), rtol=1e-5, atol=1e-6)
    twin = to_torch(ours)
    assert type(twin) is type(source)
    assert sorted(twin.state_dict()) == sorted(source.state_dict())
    again = twin(*args)
    again = again[0] if isinstance(again, tuple) else again
    np.testing.assert_allclose(again.detach().numpy(), expected.detach().numpy(), rtol=1e-6, atol=1e-7)
