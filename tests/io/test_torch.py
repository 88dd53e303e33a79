"""from_torch / to_torch: PyTorch models and their jaring conversions give the same outputs, both ways;
models torch and jaring cannot share fail with errors naming the layer."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from torch import nn as tnn  # noqa: E402

import jaring  # noqa: E402
from jaring import nn  # noqa: E402
from jaring.io import TorchConversionError, from_torch, to_torch  # noqa: E402
from jaring.io.torch import RecurrentLayer  # noqa: E402

# float32 through several layers of randomized weights: logits reach the hundreds, so a softmax
# output near 0.5 moves by ~1e-5 with the summation order of the BLAS (which varies with its
# threading); a wrong mapping moves outputs by far more than these tolerances.
ATOL = 1e-5
RTOL = 1e-4


def randomize(module: "tnn.Module", seed: int = 0) -> "tnn.Module":
    """Random values for every parameter and running statistic, so every mapping is tested."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, tensor in module.state_dict().items():
            if tensor.is_floating_point():
                values = torch.randn(tensor.shape, generator=gen) * 0.4
                tensor.copy_(values.abs() + 0.5 if name.endswith("running_var") else values)
    return module.eval()


def torch_predict(module: "tnn.Module", x: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return module(torch.from_numpy(x)).numpy()


def jaring_predict(model: nn.Module, x: np.ndarray) -> np.ndarray:
    with jaring.no_grad():
        return model(jaring.tensor(x)).numpy()


def round_trip(module: "tnn.Module", x: np.ndarray) -> nn.Module:
    """torch -> jaring -> torch: all three predict the same."""
    expected = torch_predict(module, x)
    ours = from_torch(module)
    assert not ours.training
    np.testing.assert_allclose(jaring_predict(ours, x), expected, atol=ATOL, rtol=RTOL)
    back = to_torch(ours)
    assert not back.training
    np.testing.assert_allclose(torch_predict(back, x), expected, atol=ATOL, rtol=RTOL)
    return ours


def images(n: int, channels: int, side: int, seed: int = 1, channels_last: bool = False) -> np.ndarray:
    shape = (n, side, side, channels) if channels_last else (n, channels, side, side)
    return np.random.default_rng(seed).uniform(0, 1, shape).astype(np.float32)


def test_grouped_conv_round_trip():
    module = tnn.Sequential(
        tnn.Conv2d(4, 8, 3, padding=1, groups=4), tnn.ReLU(), tnn.Conv2d(8, 6, 1, groups=2)
    )
    ours = round_trip(module.eval(), images(2, 4, 5))
    assert ours[0].groups == 4


def test_default_cnn_round_trip():
    module = tnn.Sequential(
        tnn.Conv2d(1, 32, 3, padding=1),
        tnn.ReLU(),
        tnn.MaxPool2d(2),
        tnn.Conv2d(32, 64, 3, padding="same"),
        tnn.ReLU(),
        tnn.MaxPool2d(2),
        tnn.Flatten(),
        tnn.Linear(64 * 2 * 2, 64),
        tnn.ReLU(),
        tnn.Linear(64, 10),
        tnn.Softmax(dim=1),
    )
    round_trip(randomize(module), images(3, 1, 8))


def test_cnn_with_batchnorm_strides_global_pooling_and_activations():
    module = tnn.Sequential(
        tnn.Conv2d(3, 4, (3, 2), stride=(2, 1), padding=(1, 0), dilation=1),
        tnn.BatchNorm2d(4),
        tnn.ELU(0.7),
        tnn.Sequential(tnn.Conv2d(4, 6, 3, bias=False), tnn.LeakyReLU(0.1)),
        tnn.AvgPool2d(2, stride=1),
        tnn.Dropout(0.3),
        tnn.GELU(approximate="tanh"),
        tnn.AdaptiveMaxPool2d(1),
        tnn.Flatten(),
        tnn.Linear(6, 5, bias=False),
        tnn.SiLU(),
        tnn.Linear(5, 3),
        tnn.LogSoftmax(dim=-1),
    )
    ours = round_trip(randomize(module, seed=2), images(2, 3, 11))
    assert sum(isinstance(m, nn.GlobalMaxPool2D) for m in ours.modules()) == 1


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("bidirectional", [False, True], ids=["uni", "bi"])
@pytest.mark.parametrize("num_layers", [1, 2])
def test_text_models_round_trip(kind, bidirectional, num_layers):
    rnn = getattr(tnn, kind)(5, 4, num_layers=num_layers, batch_first=True, bidirectional=bidirectional)
    width = 4 * (2 if bidirectional else 1)
    module = tnn.Sequential(
        tnn.Embedding(20, 5, padding_idx=0),
        RecurrentLayer(rnn),
        tnn.Dropout(0.2),
        tnn.Linear(width, 3),
        tnn.Softmax(dim=-1),
    )
    ids = np.random.default_rng(num_layers).integers(0, 20, (4, 6))
    ours = round_trip(randomize(module, seed=num_layers), ids)
    recurrent = [
        m for m in ours.children() if isinstance(m, (nn.SimpleRNN, nn.LSTM, nn.GRU, nn.Bidirectional))
    ]
    assert len(recurrent) == num_layers
    assert [r.return_sequences for r in recurrent] == [True] * (num_layers - 1) + [False]


def test_raw_recurrent_layers_in_a_sequential_return_sequences_only_when_another_follows():
    module = tnn.Sequential(tnn.LSTM(3, 4, batch_first=True), tnn.GRU(4, 2, batch_first=True))
    ours = from_torch(randomize(module))
    assert [m.return_sequences for m in ours.children()] == [True, False]


def test_jaring_keras_style_model_to_torch_and_back():
    """A channels-last jaring CNN (Keras habit) becomes a torch model taking the same NHWC images."""
    model = nn.Sequential(
        nn.Conv2D(4, 3, padding="same", activation="relu", seed=0),
        nn.BatchNorm2D(),
        nn.Conv2D(5, 3, strides=2, padding="same", seed=1),
        nn.Dropout(0.5),
        nn.Tanh(),
        nn.MaxPool2D(2),
        nn.Flatten(),
        nn.Dense(6, activation="softmax", seed=2),
    ).build((1, 9, 9, 2))
    rng = np.random.default_rng(0)
    for name, tensor in [*model.named_parameters(), *model.named_buffers()]:
        if tensor.dtype.kind == "f":
            tensor.data[...] = (
                rng.uniform(0.5, 1.5, tensor.shape) if "var" in name else rng.normal(size=tensor.shape)
            )
    model.eval()
    x = images(3, 2, 9, channels_last=True)
    expected = jaring_predict(model, x)
    back = to_torch(model)
    np.testing.assert_allclose(torch_predict(back, x), expected, atol=ATOL, rtol=RTOL)
    fresh = nn.Sequential(
        nn.Conv2D(4, 3, padding="same", activation="relu"),
        nn.BatchNorm2D(),
        nn.Conv2D(5, 3, strides=2, padding="same"),
        nn.Dropout(0.5),
        nn.Tanh(),
        nn.MaxPool2D(2),
        nn.Flatten(),
        nn.Dense(6, activation="softmax"),
    ).build((1, 9, 9, 2))
    from_torch(back, model=fresh)
    np.testing.assert_allclose(jaring_predict(fresh, x), expected, atol=ATOL, rtol=RTOL)


def test_keras_style_text_model_to_torch():
    model = nn.Sequential(
        nn.Embedding(15, 4, seed=0),
        nn.Bidirectional(nn.LSTM(3, return_sequences=True, input_dim=4, seed=1)),
        nn.SimpleRNN(5, activation="relu", input_dim=6, seed=2),
        nn.Dense(2, activation="sigmoid", input_dim=5, seed=3),
    ).eval()
    for p in model.parameters():
        p.data[...] = np.random.default_rng(4).normal(0, 0.5, p.shape)
    ids = np.random.default_rng(5).integers(0, 15, (3, 7))
    np.testing.assert_allclose(torch_predict(to_torch(model), ids), jaring_predict(model, ids), atol=ATOL)


def test_state_dict_into_a_custom_model():
    """A torch model with a custom forward: its state_dict fills a jaring model built the same way."""

    class TextClassifier(tnn.Module):
        def __init__(self):
            super().__init__()
            self.embed = tnn.Embedding(12, 4)
            self.lstm = tnn.LSTM(4, 3, num_layers=2, batch_first=True)
            self.head = tnn.Linear(3, 2)

        def forward(self, ids):
            out, _ = self.lstm(self.embed(ids))
            return self.head(out[:, -1])

    module = randomize(TextClassifier())
    ours = nn.Sequential(
        nn.Embedding(12, 4),
        nn.LSTM(3, return_sequences=True, input_dim=4),
        nn.LSTM(3, input_dim=3),
        nn.Linear(3, 2),
    )
    assert from_torch(module, model=ours) is ours
    ids = np.random.default_rng(0).integers(0, 12, (4, 5))
    np.testing.assert_allclose(jaring_predict(ours, ids), torch_predict(module, ids), atol=ATOL, rtol=RTOL)
    with pytest.raises(TorchConversionError, match="only torch.nn.Sequential.*TextClassifier.*model="):
        from_torch(module)


# ----- errors ------------------------------------------------------------------------------


def test_state_dict_needs_a_model():
    with pytest.raises(TorchConversionError, match="no architecture.*model="):
        from_torch(tnn.Linear(2, 3).state_dict())


def test_shape_mismatch_names_the_layer_and_leaves_the_model_unchanged():
    ours = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    before = ours.state_dict()
    source = tnn.Sequential(tnn.Linear(4, 3), tnn.ReLU(), tnn.Linear(3, 5))
    with pytest.raises(
        TorchConversionError, match=r"layer '2'.*Linear.*torch '2'.*expects \(2, 3\).*has \(5, 3\)"
    ):
        from_torch(source, model=ours)
    for name, value in ours.state_dict().items():
        np.testing.assert_array_equal(value, before[name])


def test_layer_count_mismatch_lists_both_sides():
    ours = nn.Sequential(nn.Linear(4, 3))
    with pytest.raises(TorchConversionError, match="2 weighted layer.*has 1"):
        from_torch(tnn.Sequential(tnn.Linear(4, 3), tnn.Linear(3, 2)), model=ours)


def test_unsupported_torch_layer_is_named():
    with pytest.raises(
        TorchConversionError, match="layer '1'.*ConvTranspose1d.*unsupported layer; supported: Linear"
    ):
        from_torch(tnn.Sequential(tnn.Linear(2, 2), tnn.ConvTranspose1d(1, 1, 1)))


@pytest.mark.parametrize(
    "module,message",
    [
        (tnn.LSTM(2, 3), "batch_first=True"),
    ],
    ids=["not-batch-first"],
)
def test_unsupported_torch_options(module, message):
    with pytest.raises(TorchConversionError, match=message):
        from_torch(tnn.Sequential(module))


def test_torch_settings_keras_style_layers_lack_become_pytorch_style_twins():
    torch.manual_seed(0)
    source = tnn.Sequential(
        tnn.Conv2d(2, 4, 3, padding=1, padding_mode="reflect"),
        tnn.BatchNorm2d(4, momentum=None),
        tnn.MaxPool2d(3, 2, padding=1),
        tnn.AvgPool2d(2, ceil_mode=True, count_include_pad=False),
        tnn.AdaptiveAvgPool2d(3),
        tnn.Flatten(),
        tnn.Linear(36, 6),
        tnn.BatchNorm1d(6),
        tnn.ReLU(),
    )
    source.train()
    source(torch.randn(8, 2, 11, 11))  # running statistics to copy
    source.eval()
    model = from_torch(source)
    kinds = [type(layer).__name__ for layer in model.children()]
    assert kinds == [
        "Conv2d",
        "BatchNorm2d",
        "MaxPool2d",
        "AvgPool2d",
        "AdaptiveAvgPool2d",
        "Flatten",
        "Linear",
        "BatchNorm1d",
        "ReLU",
    ]
    x = torch.randn(3, 2, 11, 11)
    np.testing.assert_allclose(model(jaring.tensor(x.numpy())).numpy(), source(x).detach().numpy(), atol=1e-5)
    back = to_torch(model)  # the PyTorch-style layers go back by their own settings
    np.testing.assert_allclose(back(x).detach().numpy(), source(x).detach().numpy(), atol=1e-5)


def test_pytorch_style_conv1d_and_transposed_conv_round_trip():
    torch.manual_seed(0)
    source = tnn.Sequential(
        tnn.Conv1d(3, 4, 3, stride=2, padding=1), tnn.ReLU(), tnn.Conv1d(4, 2, 3, padding="same")
    )
    x = torch.randn(2, 3, 9)
    np.testing.assert_allclose(
        from_torch(source)(jaring.tensor(x.numpy())).numpy(), source(x).detach().numpy(), atol=1e-6
    )
    up = tnn.Sequential(tnn.ConvTranspose2d(3, 2, 3, stride=2, padding=1, output_padding=1))
    images = torch.randn(2, 3, 4, 4)
    model = from_torch(up)
    np.testing.assert_allclose(
        model(jaring.tensor(images.numpy())).numpy(), up(images).detach().numpy(), atol=1e-5
    )
    np.testing.assert_allclose(
        to_torch(model)(images).detach().numpy(), up(images).detach().numpy(), atol=1e-5
    )


@pytest.mark.parametrize(
    "layer,message",
    [
        (nn.Embedding(5, 2, mask_zero=True), "no masks"),
        (nn.MaxPool2D(2, padding="same"), "'same' pooling"),
        (nn.Bidirectional(nn.GRU(2, input_dim=2), merge_mode="sum"), "concatenation"),
        (nn.SimpleRNN(2, activation="sigmoid", input_dim=2), "tanh and relu"),
        (nn.LSTM(2, go_backwards=True, input_dim=2), "go_backwards"),
        (nn.Lambda(abs), "no torch equivalent"),
    ],
    ids=["mask", "same-pool", "merge", "rnn-activation", "backwards", "lambda"],
)
def test_jaring_layers_torch_cannot_match(layer, message):
    with pytest.raises(TorchConversionError, match=message):
        to_torch(nn.Sequential(layer))


@pytest.mark.parametrize("lazy", [nn.Dense(3), nn.Conv2D(2, 3)], ids=["dense", "conv2d"])
def test_unbuilt_model_cannot_go_to_torch(lazy):
    name = type(lazy).__name__
    with pytest.raises(TorchConversionError, match=rf"{name} has no weights yet.*model.build\(input_shape\)"):
        to_torch(nn.Sequential(lazy))


def test_float64_models_stay_float64_both_ways():
    model = nn.Sequential(nn.Linear(3, 4, seed=0), nn.Tanh(), nn.Linear(4, 2, seed=1))
    model.double()
    x = np.random.default_rng(0).normal(size=(5, 3))
    back = to_torch(model)
    assert all(p.dtype == torch.float64 for p in back.parameters())
    np.testing.assert_allclose(torch_predict(back, x), jaring_predict(model, x), atol=1e-12, rtol=0)
    again = from_torch(back)
    assert all(p.dtype == np.float64 for p in again.parameters())
    np.testing.assert_allclose(jaring_predict(again, x), jaring_predict(model, x), atol=1e-12, rtol=0)
