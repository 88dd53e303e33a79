"""CNN: builder checks, the Sequential it equals, PyTorch parity, layouts, training, files."""

import os
import time
from pathlib import Path

import numpy as np
import pytest
import torch
from threadpoolctl import threadpool_limits

import jaring
from jaring import nn
from jaring.data.datasets import MNIST, load_digits, train_test_split
from jaring.models import CNN, FFNN
from jaring.training import Objective


def images(shape, seed=0):
    return np.random.default_rng(seed).random(shape, dtype=np.float32)


# ----- construction -------------------------------------------------------------------------


def test_default_is_the_seed_model():
    model = CNN(seed=0)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Conv2D", "MaxPool2D", "Conv2D", "MaxPool2D", "Flatten", "Dense", "Dense"]
    assert model.layers[0].weight.shape == (32, 3, 3, 3) and model.layers[2].weight.shape == (64, 32, 3, 3)
    assert model.layers[5].weight.shape == (64, 8 * 8 * 64) and model.layers[6].weight.shape == (10, 64)
    assert model.predict(images((2, 32, 32, 3))).shape == (2, 10)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (
            {"filters": (8, 16), "conv_layers": 3},
            r"filters has 2 entries \[8, 16\] but there are 3 conv layers",
        ),
        ({"filters": (8, 16), "kernel_size": (3, 3, 3)}, r"lengths \{'filters': 2, 'kernel_size': 3\}"),
        ({"filters": 8, "kernel_size": [3, 5], "conv_layers": 3}, r"kernel_size has 2 entries"),
        ({"pooling": "min"}, r"pooling must be 'max' or 'avg' \(alias 'average'\), got 'min'"),
        ({"padding": "full"}, r"padding must be 'same' or 'valid'"),
        ({"input_shape": (28, 28)}, r"input_shape must be \(H, W, C\)"),
        ({"data_format": "nchw"}, r"data_format must be one of"),
        ({"filters": (8, 0)}, r"every filters entry must be a positive integer, got 0"),
        ({"num_classes": 0}, r"num_classes must be a positive integer"),
        ({"dense_units": (64, -1)}, r"dense_units entry must be a positive integer, got -1"),
        ({"loss": "hinge"}, r"unknown loss 'hinge'"),
        ({"kernel_size": 0}, r"kernel_size must be at least 1"),
    ],
)
def test_bad_arguments_raise_clear_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        CNN(**{"input_shape": (28, 28, 1), **kwargs})


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (
            {"input_shape": (8, 8, 1), "filters": (4, 4, 4, 4)},
            r"too small for 4 conv blocks: conv layer 4 .* 1x1",
        ),
        ({"input_shape": (6, 6, 1), "kernel_size": 5, "padding": "valid"}, r"conv layer 2 .* leaves 0x0"),
        (
            {"input_shape": (4, 16, 1), "filters": (4, 4, 4)},
            r"conv layer 3 .* 1x4 pixels, fewer than pool_size",
        ),
    ],
)
def test_input_too_small_for_the_pools(kwargs, match):
    with pytest.raises(ValueError, match=match):
        CNN(**kwargs)


def test_conv_layers_from_lists_or_a_count():
    assert len(CNN((16, 16, 1), filters=8, conv_layers=3).layers) == 3 * 2 + 3
    model = CNN((16, 16, 1), filters=[4, 8], kernel_size=[2, (3, 5)], pooling="avg", pool_size=(2, 1))
    assert model.layers[2].kernel_size == (3, 5) and type(model.layers[3]).__name__ == "AvgPool2D"
    assert model.layers[5].input_dim == 4 * 16 * 8


# ----- forward: the Sequential it equals, PyTorch, layouts ---------------------------------------


def test_equals_the_sequential_written_by_hand():
    model = CNN(input_shape=(28, 28, 1), seed=0)
    rng = jaring.random.get_rng(0)
    seq = nn.Sequential(
        nn.Conv2D(32, 3, padding="same", activation="relu", input_dim=1, seed=rng),
        nn.MaxPool2D(2),
        nn.Conv2D(64, 3, padding="same", activation="relu", input_dim=32, seed=rng),
        nn.MaxPool2D(2),
        nn.Flatten(),
        nn.Dense(64, activation="relu", input_dim=7 * 7 * 64, seed=rng),
        nn.Dense(10, activation="softmax", input_dim=64, seed=rng),
    )
    x = images((3, 28, 28, 1))
    np.testing.assert_array_equal(model(x).numpy(), seq(x).numpy())
    for (_, a), (_, b) in zip(model.named_parameters(), seq.named_parameters()):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_matches_pytorch_channels_first():
    model = CNN((2, 9, 9), filters=(3, 5), kernel_size=[4, 3], pooling="avg", dense_units=(6,),
                data_format="channels_first", num_classes=4, seed=1)  # fmt: skip
    w = [torch.from_numpy(p.numpy()) for p in model.parameters()]
    x = images((2, 2, 9, 9))

    def reference(t):
        t = torch.nn.functional.pad(t, (1, 2, 1, 2))  # TensorFlow's "same" for a 4x4 kernel
        t = torch.nn.functional.avg_pool2d(torch.relu(torch.nn.functional.conv2d(t, w[0], w[1])), 2)
        t = torch.nn.functional.conv2d(t, w[2], w[3], padding=1)
        t = torch.nn.functional.avg_pool2d(torch.relu(t), 2).flatten(1)
        return torch.softmax(torch.relu(t @ w[4].T + w[5]) @ w[6].T + w[7], dim=1)

    np.testing.assert_allclose(model.predict(x), reference(torch.from_numpy(x)).numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("data_format, shape", [("channels_last", (5, 7, 1)), ("channels_first", (1, 5, 7))])
def test_grayscale_without_channel_axis(data_format, shape):
    model = CNN(shape, filters=(2,), data_format=data_format, seed=0)
    x = images((3, 5, 7))
    expanded = x[..., None] if data_format == "channels_last" else x[:, None]
    np.testing.assert_array_equal(model.predict(x), model.predict(expanded))


@pytest.mark.parametrize("bad", [(2, 28, 28, 3), (2, 1, 28, 28), (2, 784), (2, 27, 28)])
def test_wrong_image_shape_names_the_expected_one(bad):
    model = CNN((28, 28, 1), seed=0)
    with pytest.raises(
        ValueError, match=r"CNN expected images of shape \(N, 28, 28, 1\), i.e. \(N, H, W, C\)"
    ):
        model(np.zeros(bad, dtype=np.float32))


# ----- training and files ---------------------------------------------------------------------


def small_image_task() -> tuple:
    """MNIST from $JARING_DATA, else scikit-learn's 8x8 digits: (x_train, y_train, x_test, y_test, epochs).

    MNIST's 10,000-image test file alone (quick to read) gives both parts: 2000 images to train
    on and 1000 others to test on.
    """
    root = os.environ.get("JARING_DATA")
    if root and (Path(root) / "mnist").is_dir():
        test = MNIST(root, train=False)
        x, y = test.data.astype(np.float32) / 255, test.targets
        return x[:2000], y[:2000], x[-1000:], y[-1000:], 3
    x, y = load_digits()
    x_train, x_test, y_train, y_test = train_test_split(
        (x / 16).reshape(-1, 8, 8).astype(np.float32), y, test_size=0.2, seed=0, stratify=True
    )
    return x_train, y_train, x_test, y_test, 8


@pytest.mark.slow
def test_default_cnn_trains_well_beyond_chance():
    x_train, y_train, x_test, y_test, epochs = small_image_task()
    model = CNN(input_shape=x_train.shape[1:] + (1,), seed=0)
    assert Objective(model, model.loss).forward == model.logits  # softmax fused into the loss
    start = time.process_time()
    # One BLAS thread: on a shared, busy machine OpenBLAS's threads spin while they wait and
    # multiply the CPU time of these small GEMMs by ten; one thread measures the library.
    with threadpool_limits(1):
        history = model.fit(x_train, y_train, batch_size=32, lr=1e-3, epochs=epochs, optimizer="adam", seed=0)
    elapsed = time.process_time() - start
    accuracy = model.evaluate(x_test, y_test)["accuracy"]
    assert accuracy > 0.85, f"test accuracy {accuracy:.3f} after {epochs} epochs"
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert elapsed < 15, f"training took {elapsed:.1f} s of CPU time"


def test_save_load_round_trip(tmp_path):
    model = CNN((12, 10, 1), filters=(3, 4), kernel_size=[2, 3], pooling="avg", dense_units=(5, 7), seed=3)
    x = images((4, 12, 10, 1))
    path = model.save(tmp_path / "cnn")
    loaded = CNN.load(path)
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
    assert loaded.get_config() == model.get_config()
    with pytest.raises(TypeError, match="holds a CNN, not an FFNN"):
        FFNN.load(path)
