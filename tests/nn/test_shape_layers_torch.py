"""jaring/nn/reshape_torch.py and jaring/ops/pixel_shuffle.py: Unflatten, PixelShuffle and
PixelUnshuffle against torch: values, gradients (and float64 gradchecks), shapes with any number
of leading dims, size-0 dims, reprs, torch's errors, and saving."""

import numpy as np
import pytest
import torch

import jaring
import jaring.nn.functional as F
from jaring import nn
from jaring.io import load, save
from tests.nn.helpers import compare_module_with_torch
from tests.nn.test_container_dict import same_error
from tests.oracle import check_gradients, compare_with_torch, random_array

SHUFFLE = [  # (input shape, r)
    ((1, 4, 2, 3), 2),
    ((2, 18, 3, 2), 3),
    ((8, 2, 3), 2),  # unbatched
    ((2, 3, 8, 2, 3), 2),  # two leading dims
    ((2, 1, 1, 4, 1, 1), 2),
    ((3, 5, 2, 2), 1),
]


@pytest.mark.parametrize("shape, r", SHUFFLE)
def test_pixel_shuffle_matches_torch(shape, r):
    x = random_array(shape, seed=1)
    compare_with_torch(
        lambda t: F.pixel_shuffle(t, r), lambda t: torch.nn.functional.pixel_shuffle(t, r), [x]
    )
    compare_with_torch(lambda t: nn.PixelShuffle(r)(t), lambda t: torch.nn.PixelShuffle(r)(t), [x])


UNSHUFFLE = [
    ((1, 1, 4, 6), 2),
    ((2, 2, 6, 3), 3),
    ((3, 4, 4), 2),
    ((2, 3, 1, 4, 2), 2),
    ((2, 3, 5, 5), 1),
]


@pytest.mark.parametrize("shape, r", UNSHUFFLE)
def test_pixel_unshuffle_matches_torch_and_inverts_pixel_shuffle(shape, r):
    x = random_array(shape, seed=2)
    compare_with_torch(
        lambda t: F.pixel_unshuffle(t, r), lambda t: torch.nn.functional.pixel_unshuffle(t, r), [x]
    )
    compare_with_torch(lambda t: nn.PixelUnshuffle(r)(t), lambda t: torch.nn.PixelUnshuffle(r)(t), [x])
    back = F.pixel_shuffle(F.pixel_unshuffle(jaring.tensor(x), r), r)
    np.testing.assert_array_equal(back.numpy(), x)


@pytest.mark.parametrize(
    "op, shape, r",
    [
        ("pixel_shuffle", (1, 0, 2, 2), 2),
        ("pixel_shuffle", (1, 4, 0, 2), 2),
        ("pixel_unshuffle", (1, 2, 0, 4), 2),
        ("pixel_unshuffle", (0, 1, 2, 2), 2),
    ],
)
def test_size_0_inputs_have_the_shapes_torch_computes_on_its_meta_device(op, shape, r):
    """torch's CPU kernels return a size-0 input's shape unchanged from pixel_unshuffle and fail
    in backward; its meta device says what the shapes are."""
    expected = getattr(torch.nn.functional, op)(torch.ones(shape, device="meta"), r).shape
    x = jaring.zeros(*shape, requires_grad=True)
    out = getattr(F, op)(x, r)
    assert out.shape == tuple(expected)
    out.sum().backward()
    assert x.grad.shape == shape


@pytest.mark.parametrize("shape, r", [((1, 8, 2, 3), 2), ((9, 2, 1), 3), ((2, 1, 4, 1, 2), 2)])
def test_pixel_shuffle_gradcheck(shape, r):
    check_gradients(lambda t: F.pixel_shuffle(t, r), [random_array(shape, seed=3)])
    unshuffled = (*shape[:-3], shape[-3] // (r * r), shape[-2] * r, shape[-1] * r)
    check_gradients(lambda t: F.pixel_unshuffle(t, r), [random_array(unshuffled, seed=4)])


@pytest.mark.parametrize(
    "call",
    [
        lambda F_, T: F_.pixel_shuffle(T.ones(8, 2), 2),
        lambda F_, T: F_.pixel_shuffle(T.ones(1, 6, 2, 2), 2),
        lambda F_, T: F_.pixel_shuffle(T.ones(1, 4, 2, 2), 0),
        lambda F_, T: F_.pixel_shuffle(T.ones(1, 4, 2, 2), -1),
        lambda F_, T: F_.pixel_shuffle(T.ones(1, 4, 2, 2), 1.5),
        lambda F_, T: F_.pixel_shuffle(T.ones(1, 4, 2, 2), True),
        lambda F_, T: F_.pixel_shuffle(T.ones(4, 4), 0),
        lambda F_, T: F_.pixel_unshuffle(T.ones(1, 4, 3, 4), 2),
        lambda F_, T: F_.pixel_unshuffle(T.ones(1, 4, 4, 3), 2),
        lambda F_, T: F_.pixel_unshuffle(T.ones(1, 4, 3, 3), 2),
        lambda F_, T: F_.pixel_unshuffle(T.ones(4, 4), 2),
        lambda F_, T: F_.pixel_unshuffle(T.ones(1, 4, 4, 4), 0),
        lambda F_, T: F_.pixel_unshuffle(T.ones(1, 4, 4, 4), 2.0),
    ],
)
def test_pixel_shuffle_errors_are_torchs(call):
    same_error(lambda: call(F, jaring), lambda: call(torch.nn.functional, torch))


def test_pixel_shuffle_layers_repr_and_refuse_bad_factors_early():
    assert repr(nn.PixelShuffle(2)) == repr(torch.nn.PixelShuffle(2))
    assert repr(nn.PixelUnshuffle(3)) == repr(torch.nn.PixelUnshuffle(3))
    with pytest.raises(RuntimeError, match="expects a positive upscale_factor, but got 0"):
        nn.PixelShuffle(0)
    with pytest.raises(TypeError, match="must be int, not float"):
        nn.PixelUnshuffle(2.0)


def test_a_sub_pixel_convolution_model_matches_torch():
    ours = nn.Sequential(
        nn.Conv2d(3, 12, 3, padding=1), nn.PixelShuffle(2), nn.PixelUnshuffle(2), nn.PixelShuffle(2)
    )
    theirs = torch.nn.Sequential(
        torch.nn.Conv2d(3, 12, 3, padding=1),
        torch.nn.PixelShuffle(2),
        torch.nn.PixelUnshuffle(2),
        torch.nn.PixelShuffle(2),
    )
    compare_module_with_torch(ours, theirs, random_array((2, 3, 5, 4), seed=5), rtol=1e-4, atol=1e-5)


# ----- Unflatten --------------------------------------------------------------------------------
UNFLATTEN = [  # (input shape, dim, sizes)
    ((3, 10), 1, (2, 5)),
    ((3, 10), -1, (2, -1)),
    ((3, 10), 1, [-1, 5]),
    ((12,), 0, (3, 2, 2)),
    ((2, 6, 4), 1, (1, 6, 1)),
    ((2, 6, 4), -2, (-1,)),
    ((2, 6, 4), -3, (2, 1)),
    ((2, 0), 1, (0, 5)),
    ((2, 0), 1, (-1, 5)),
    ((4, 1), 1, (1, 1, 1)),
]


@pytest.mark.parametrize("shape, dim, sizes", UNFLATTEN)
def test_unflatten_matches_torch(shape, dim, sizes):
    x = random_array(shape, seed=6)
    compare_with_torch(
        lambda t: nn.Unflatten(dim, sizes)(t), lambda t: torch.nn.Unflatten(dim, sizes)(t), [x]
    )
    compare_with_torch(lambda t: F.unflatten(t, dim, sizes), lambda t: torch.unflatten(t, dim, sizes), [x])


def test_unflatten_gradcheck_and_flatten_inverts_it():
    check_gradients(lambda t: nn.Unflatten(-1, (3, -1))(t), [random_array((2, 12), seed=7)])
    x = jaring.tensor(random_array((2, 3, 4), seed=8))
    np.testing.assert_array_equal(nn.Flatten()(nn.Unflatten(1, (3, 1))(x)).numpy(), nn.Flatten()(x).numpy())


@pytest.mark.parametrize(
    "call",
    [
        lambda nn_, T: nn_.Unflatten(1, (2, 5))(T.ones(3, 11)),
        lambda nn_, T: nn_.Unflatten(1, (3, -1))(T.ones(2, 4)),
        lambda nn_, T: nn_.Unflatten(1, (0, -1))(T.ones(2, 4)),
        lambda nn_, T: nn_.Unflatten(3, (2,))(T.ones(2, 4)),
        lambda nn_, T: nn_.Unflatten(-3, (2,))(T.ones(2, 4)),
        lambda nn_, T: nn_.Unflatten(1, 5),
        lambda nn_, T: nn_.Unflatten(1, (2.0, 5)),
        lambda nn_, T: nn_.Unflatten(1, (2, "a")),
        lambda nn_, T: nn_.Unflatten(1, "ab"),
    ],
)
def test_unflatten_errors_are_torchs(call):
    same_error(lambda: call(nn, jaring), lambda: call(torch.nn, torch))


@pytest.mark.parametrize(
    "sizes, shape, words",
    [
        ((-1, -1), (2, 4), "only one dimension can be inferred"),
        ((0, -1), (2, 0), "the unspecified dimension size -1 can be any value and is ambiguous"),
        ((-2, 2), (2, 4), "invalid shape dimension -2"),
        ((), (2, 4), "sizes must be non-empty"),
    ],
)
def test_unflatten_errors_torch_words_with_a_traceback_are_the_same_kind(sizes, shape, words):
    """torch appends a C++ traceback to these; the type and the words are the same."""
    with pytest.raises(RuntimeError, match=words):
        torch.nn.Unflatten(1, sizes)(torch.ones(shape))
    with pytest.raises(RuntimeError, match=words):
        nn.Unflatten(1, sizes)(jaring.ones(*shape))


def test_unflatten_of_a_0d_tensor_is_refused_as_torch():
    with pytest.raises(RuntimeError, match="Dimension specified as 0 but tensor has no dimensions"):
        torch.nn.Unflatten(0, (1,))(torch.ones(()))
    with pytest.raises(RuntimeError, match="Dimension specified as 0 but tensor has no dimensions"):
        nn.Unflatten(0, (1,))(jaring.ones(()))


def test_unflatten_repr_and_dim_type():
    for dim, sizes in [(1, (2, 5)), (-1, [2, -1]), (0, (3,))]:
        assert repr(nn.Unflatten(dim, sizes)) == repr(torch.nn.Unflatten(dim, sizes))
    with pytest.raises(TypeError, match="dim must be an integer"):
        nn.Unflatten("a", (2, 5))  # torch accepts it and fails at the first call


def test_the_shape_layers_save_and_load(tmp_path):
    model = nn.Sequential(nn.Unflatten(1, [4, -1, 3]), nn.PixelShuffle(2), nn.PixelUnshuffle(2))
    again = load(save(model, tmp_path / "shapes"))
    assert repr(again) == repr(model) and again[0].unflattened_size == [4, -1, 3]
    x = jaring.tensor(random_array((2, 24), seed=9))
    np.testing.assert_array_equal(again(x).numpy(), model(x).numpy())
    assert model(x).shape == (2, 4, 2, 3)
