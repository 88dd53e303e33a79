"""is_floating_point, ravel, fliplr/flipud, atleast_*d, nansum/nanmean, var_mean/std_mean, isin and
tri*_indices against torch: values, and gradients where there are any."""

import numpy as np
import pytest

import jaring

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)


def _both(fn_name, data, *args, **kwargs):
    ours = getattr(jaring, fn_name)(jaring.tensor(data), *args, **kwargs)
    theirs = getattr(torch, fn_name)(torch.tensor(data), *args, **kwargs)
    return ours, theirs


@pytest.mark.parametrize("name", ["ravel", "fliplr", "flipud"])
@pytest.mark.parametrize("shape", [(2, 3), (1, 4), (3, 1, 2)])
def test_rearranging_matches_torch_with_gradients(name, shape):
    data = RNG.standard_normal(shape)
    weights = RNG.standard_normal(int(np.prod(shape)))
    results = []
    for lib in (jaring, torch):
        x = lib.tensor(data, requires_grad=True)
        out = getattr(lib, name)(x)
        (out.reshape(-1) * lib.tensor(weights)).sum().backward()
        results.append((out.detach().numpy(), x.grad.numpy()))
    np.testing.assert_array_equal(results[0][0], results[1][0])
    np.testing.assert_array_equal(results[0][1], results[1][1])


@pytest.mark.parametrize("name", ["atleast_1d", "atleast_2d", "atleast_3d"])
@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 3, 4)])
def test_atleast_shapes_match_torch(name, shape):
    ours, theirs = _both(name, RNG.standard_normal(shape))
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    pair = getattr(jaring, name)(jaring.ones(()), jaring.ones(3))
    assert [t.shape for t in pair] == [
        tuple(t.shape) for t in getattr(torch, name)(torch.ones(()), torch.ones(3))
    ]


@pytest.mark.parametrize("dim", [None, 0, 1])
@pytest.mark.parametrize("name", ["nansum", "nanmean"])
def test_nan_reductions_match_torch(name, dim):
    data = RNG.standard_normal((3, 4))
    data[0, 1] = data[2, 3] = np.nan
    data[:, 2] = np.nan  # a column of NaNs: nanmean gives NaN there, as torch
    results = []
    for lib in (jaring, torch):
        x = lib.tensor(data, requires_grad=True)
        out = getattr(lib, name)(x) if dim is None else getattr(lib, name)(x, dim)
        lib.nansum(out * 2).backward() if lib is torch else jaring.nansum(out * 2).backward()
        results.append((out.detach().numpy(), x.grad.numpy()))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-12, equal_nan=True)
    # torch's gradient in the all-NaN column of nanmean is 0/0; jaring's is 0: compare the rest
    ours, theirs = results[0][1], results[1][1]
    finite = np.isfinite(theirs)
    np.testing.assert_allclose(ours[finite], theirs[finite], rtol=1e-12)
    assert np.all(ours[~finite] == 0)


@pytest.mark.parametrize(("dim", "correction"), [(None, 1), (0, 1), (1, 0)])
@pytest.mark.parametrize("name", ["var_mean", "std_mean"])
def test_spread_and_mean_together_match_torch(name, dim, correction):
    data = RNG.standard_normal((4, 5))
    ours = getattr(jaring, name)(jaring.tensor(data), dim, correction=correction)
    theirs = getattr(torch, name)(torch.tensor(data), dim, correction=correction)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12)


def test_isin_and_is_floating_point_match_torch():
    elements, tests = np.array([[1, 2], [3, 4]]), np.array([2, 4, 9])
    for invert in (False, True):
        ours = jaring.isin(jaring.tensor(elements), jaring.tensor(tests), invert=invert)
        theirs = torch.isin(torch.tensor(elements), torch.tensor(tests), invert=invert)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    for dtype in (np.float32, np.float64, np.int64, np.bool_):
        data = np.zeros(2, dtype)
        assert jaring.is_floating_point(jaring.tensor(data)) == torch.is_floating_point(torch.tensor(data))
        assert jaring.tensor(data).is_floating_point() == torch.tensor(data).is_floating_point()


@pytest.mark.parametrize(("row", "col", "offset"), [(3, 3, 0), (4, 2, 1), (2, 5, -1), (0, 3, 0), (3, 3, 5)])
@pytest.mark.parametrize("name", ["triu_indices", "tril_indices"])
def test_triangle_indices_match_torch(name, row, col, offset):
    ours, theirs = getattr(jaring, name)(row, col, offset), getattr(torch, name)(row, col, offset)
    assert ours.dtype == np.int64
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_bad_arguments_say_why():
    with pytest.raises(ValueError, match="fliplr: Input must be >= 2-d"):
        jaring.fliplr(jaring.ones(3))
    with pytest.raises(ValueError, match="flipud: Input must be >= 1-d"):
        jaring.flipud(jaring.tensor(1.0))
    with pytest.raises(TypeError, match="floating point dtype"):
        jaring.nanmean(jaring.tensor([1, 2]))
    with pytest.raises(ValueError, match="row must be non-negative"):
        jaring.triu_indices(-1, 3)
