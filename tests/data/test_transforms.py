"""Tests for jaring/data/transforms.py: ToTensor layout and scaling, Normalize, Compose, augmentation."""

import numpy as np
import pytest

import jaring
from jaring.data import AddGaussianNoise, Compose, Lambda, Normalize, RandomHorizontalFlip, ToTensor


def image(*shape, seed=0):
    return np.random.default_rng(seed).integers(0, 256, size=shape, dtype=np.uint8)


@pytest.mark.parametrize("shape", [(5, 4), (5, 4, 3), (1, 1), (2, 3, 1)])
def test_to_tensor_matches_torchvision_convention(shape):
    img = image(*shape)
    out = ToTensor()(img)
    # torchvision: HWC (a missing C counts as 1) -> CHW, divided by 255
    expected = np.moveaxis(img if img.ndim == 3 else img[..., None], -1, 0) / np.float32(255)
    assert isinstance(out, jaring.Tensor) and out.dtype == np.float32
    assert out.data.flags.c_contiguous
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)


@pytest.mark.parametrize("shape, expected", [((2, 5, 4), (2, 1, 5, 4)), ((2, 5, 4, 3), (2, 3, 5, 4))])
def test_to_tensor_batched(shape, expected):
    batch = image(*shape)
    out = ToTensor(batched=True)(batch)
    assert out.shape == expected
    np.testing.assert_allclose(out.numpy()[1], ToTensor()(batch[1]).numpy())


def test_to_tensor_float_input_is_cast_not_scaled_and_bad_shape_errors():
    out = ToTensor()(np.full((2, 2), 3.0))
    assert out.dtype == np.float32 and out.numpy().max() == 3.0
    with pytest.raises(ValueError, match=r"\(H, W\) or \(H, W, C\).*\(3,\)"):
        ToTensor()(np.zeros(3, dtype=np.uint8))


def test_normalize_per_channel_on_single_and_batch():
    x = np.random.default_rng(1).random((2, 3, 4, 5), dtype=np.float32)
    mean, std = [0.1, 0.2, 0.3], [0.5, 1.0, 2.0]
    m = np.array(mean, np.float32)[:, None, None]
    s = np.array(std, np.float32)[:, None, None]
    norm = Normalize(mean, std)
    np.testing.assert_allclose(norm(x), (x - m) / s, rtol=1e-6)
    out = norm(jaring.tensor(x[0]))
    assert isinstance(out, jaring.Tensor) and out.dtype == np.float32
    np.testing.assert_allclose(out.numpy(), (x[0] - m) / s, rtol=1e-6)
    np.testing.assert_allclose(Normalize(0.5, 0.25)(x), (x - 0.5) / 0.25, rtol=1e-6)


@pytest.mark.parametrize(
    "mean, std, data, message",
    [
        (0.0, 0.0, None, "std must be positive"),
        ([0.0, 0.0], [1.0, 1.0, 1.0], None, "mean has 2 values but std has 3"),
        ([0.0] * 3, [1.0] * 3, np.zeros((4, 4), np.float32), r"C = 3, got shape \(4, 4\)"),
    ],
)
def test_normalize_errors(mean, std, data, message):
    with pytest.raises(ValueError, match=message):
        Normalize(mean, std)(data)


def test_compose_and_lambda():
    pipeline = Compose([ToTensor(), Normalize(0.5, 0.5), Lambda(lambda t: t.numpy().ravel())])
    out = pipeline(np.array([[0, 255]], dtype=np.uint8))
    np.testing.assert_allclose(out, [-1.0, 1.0])
    assert "Normalize" in repr(pipeline)
    with pytest.raises(TypeError, match="callable"):
        Compose([ToTensor(), 3])
    with pytest.raises(TypeError, match="callable"):
        Lambda("x")


def test_random_horizontal_flip_single_and_batched():
    x = np.arange(12, dtype=np.float32).reshape(1, 3, 4)
    np.testing.assert_array_equal(RandomHorizontalFlip(p=1.0)(x), x[..., ::-1])
    np.testing.assert_array_equal(RandomHorizontalFlip(p=0.0)(x), x)
    batch = np.tile(x, (64, 1, 1, 1))
    original = batch.copy()
    out = RandomHorizontalFlip(p=0.5, seed=0, batched=True)(batch)
    flipped = (out == x[..., ::-1]).all(axis=(1, 2, 3))
    assert (flipped | (out == x).all(axis=(1, 2, 3))).all()
    assert 10 < flipped.sum() < 54
    again = RandomHorizontalFlip(p=0.5, seed=0, batched=True)(batch)
    np.testing.assert_array_equal(out, again)
    np.testing.assert_array_equal(batch, original)
    with pytest.raises(ValueError, match=r"p must lie in \[0, 1\]"):
        RandomHorizontalFlip(p=1.5)


def test_add_gaussian_noise_seeded_statistics():
    x = np.zeros((200, 100), dtype=np.float32)
    out = AddGaussianNoise(std=0.5, seed=3)(x)
    assert out.dtype == np.float32
    assert abs(out.std() - 0.5) < 0.02 and abs(out.mean()) < 0.02
    np.testing.assert_array_equal(out, AddGaussianNoise(std=0.5, seed=3)(x))
    with pytest.raises(TypeError, match="float data"):
        AddGaussianNoise(0.1)(np.zeros(3, np.uint8))
    with pytest.raises(ValueError, match="std must be >= 0"):
        AddGaussianNoise(-1)
