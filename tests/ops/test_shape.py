"""Shape ops: values and gradients against PyTorch, gradcheck in float64, and clear errors."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis.extra import numpy as hnp

import jaring
import jaring.functional as F
from tests.oracle import (
    FAST,
    broadcast_pairs,
    check_gradients,
    compare_with_torch,
    nonscalar_shapes,
    random_array,
    shapes,
    st,
)

# ----- reshape, transpose, broadcast, squeeze ----------------------------------------------


@FAST
@given(shape=shapes, data=st.data())
def test_reshape_matches_torch(shape, data):
    a = random_array(shape, seed=1)
    target = data.draw(st.permutations(shape)) if shape else ()
    compare_with_torch(lambda x: F.reshape(x, target), lambda x: x.reshape(target), [a])
    compare_with_torch(lambda x: x.reshape(-1), lambda x: x.reshape(-1), [a])
    compare_with_torch(lambda x: x.view(1, *shape[:-1], -1), lambda x: x.view(1, *shape[:-1], -1), [a])


@FAST
@given(shape=shapes, data=st.data())
def test_permute_and_transpose_match_torch(shape, data):
    a = random_array(shape, seed=2)
    perm = tuple(data.draw(st.permutations(range(len(shape)))))
    signed = tuple(p - len(shape) if i % 2 else p for i, p in enumerate(perm))
    compare_with_torch(lambda x: F.permute(x, *signed), lambda x: x.permute(perm), [a])
    compare_with_torch(lambda x: x.transpose(perm), lambda x: x.permute(perm), [a])
    reverse = tuple(range(len(shape) - 1, -1, -1))
    compare_with_torch(lambda x: x.T, lambda x: x.permute(reverse), [a])
    if shape:
        i, j = data.draw(st.integers(-len(shape), len(shape) - 1)), data.draw(st.integers(0, len(shape) - 1))
        compare_with_torch(lambda x: x.transpose(i, j), lambda x: x.transpose(i, j), [a])
        compare_with_torch(lambda x: F.swapaxes(x, i, j), lambda x: torch.swapaxes(x, i, j), [a])


def test_two_int_transpose_swaps_like_pytorch_even_in_2d():
    x = jaring.tensor(random_array((2, 3)))
    assert x.transpose(0, 1).shape == (3, 2)
    assert x.transpose((0, 1)).shape == (2, 3)  # one tuple is a NumPy permutation


@FAST
@given(pair=broadcast_pairs)
def test_broadcast_to_matches_torch(pair):
    a = random_array(pair.input_shapes[0], seed=3)
    target = pair.result_shape
    compare_with_torch(lambda x: F.broadcast_to(x, target), lambda x: torch.broadcast_to(x, target), [a])


@FAST
@given(shape=hnp.array_shapes(min_dims=0, max_dims=4, min_side=1, max_side=2), data=st.data())
def test_squeeze_unsqueeze_match_torch(shape, data):
    a = random_array(shape, seed=4)
    compare_with_torch(F.squeeze, torch.squeeze, [a])
    ones = [i for i, n in enumerate(shape) if n == 1]
    if ones:
        axes = tuple(data.draw(st.lists(st.sampled_from(ones), min_size=1, unique=True)))
        compare_with_torch(lambda x: x.squeeze(axes), lambda x: x.squeeze(axes), [a])
        compare_with_torch(lambda x: F.squeeze(x, dim=axes[0]), lambda x: x.squeeze(axes[0]), [a])
    axis = data.draw(st.integers(-len(shape) - 1, len(shape)))
    compare_with_torch(lambda x: x.unsqueeze(axis), lambda x: x.unsqueeze(axis), [a])
    compare_with_torch(lambda x: F.unsqueeze(x, dim=axis), lambda x: x.unsqueeze(axis), [a])


@FAST
@given(shape=shapes, data=st.data())
def test_flatten_matches_torch(shape, data):
    a = random_array(shape, seed=5)
    n = max(len(shape), 1)
    start = data.draw(st.integers(-n, n - 1))
    end = data.draw(st.integers(start % n, n - 1))
    compare_with_torch(lambda x: x.flatten(start, end), lambda x: x.flatten(start, end), [a])
    compare_with_torch(F.flatten, torch.flatten, [a])


# ----- indexing ----------------------------------------------------------------------------


# ----- concat, stack, split, pad -----------------------------------------------------------


@FAST
@given(shape=nonscalar_shapes, data=st.data())
def test_concat_and_stack_match_torch(shape, data):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    sizes = data.draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    arrays = []
    for i, n in enumerate(sizes):
        s = list(shape)
        s[axis] = n
        arrays.append(random_array(s, seed=10 + i))
    compare_with_torch(lambda *xs: F.concat(xs, axis), lambda *xs: torch.cat(xs, axis), arrays)
    compare_with_torch(lambda *xs: F.cat(list(xs), dim=axis), lambda *xs: torch.cat(xs, dim=axis), arrays)
    same = [random_array(shape, seed=20 + i) for i in range(len(sizes))]
    new_axis = data.draw(st.integers(-len(shape) - 1, len(shape)))
    compare_with_torch(lambda *xs: F.stack(xs, dim=new_axis), lambda *xs: torch.stack(xs, new_axis), same)


def test_stack_of_scalars_and_mixed_dtypes():
    compare_with_torch(
        lambda *xs: F.stack(xs), lambda *xs: torch.stack(xs), [random_array((), seed=i) for i in range(3)]
    )
    x32 = jaring.tensor([1.0, 2.0], requires_grad=True)
    x64 = jaring.tensor(np.array([3.0]), requires_grad=True)
    out = F.concat([x32, x64])
    assert out.dtype == np.float64
    (out * 2).sum().backward()
    assert x32.grad.dtype == np.float32 and x64.grad.dtype == np.float64


def test_scalar_edge_cases_follow_torch():
    a = random_array((), seed=15)
    compare_with_torch(lambda x: F.pad(x, 2), lambda x: x * 1, [a])
    compare_with_torch(lambda x: F.squeeze(x, 0), lambda x: x.squeeze(0), [a])
    compare_with_torch(lambda x: F.broadcast_to(x, (2, 3)), lambda x: x.expand(2, 3), [a])
    compare_with_torch(lambda x: x.reshape(1, 1), lambda x: x.reshape(1, 1), [a])


@FAST
@given(shape=nonscalar_shapes, data=st.data())
def test_split_matches_torch(shape, data):
    a = random_array(shape, seed=11)
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    length = shape[axis]
    chunk = data.draw(st.integers(1, length + 1))
    compare_with_torch(lambda x: F.split(x, chunk, axis), lambda x: torch.split(x, chunk, axis), [a])
    cuts = sorted(data.draw(st.lists(st.integers(0, length), max_size=3)))
    sections = np.diff([0, *cuts, length]).tolist()
    compare_with_torch(
        lambda x: F.split(x, sections, dim=axis), lambda x: torch.split(x, sections, axis), [a]
    )


def test_split_pieces_used_partly_still_get_gradients():
    x = jaring.tensor(random_array((5, 2)), requires_grad=True)
    first, _, last = F.split(x, 2)
    (first.sum() + 2 * last.sum()).backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[1, 1], [1, 1], [0, 0], [0, 0], [2, 2]])


def _torch_pad(pairs):
    """NumPy's per-axis (before, after) pairs as PyTorch's flat list, last axis first."""
    return [w for pair in reversed(pairs) for w in pair]


@FAST
@given(shape=nonscalar_shapes, data=st.data())
def test_pad_matches_torch(shape, data):
    a = random_array(shape, seed=12)
    pairs = [tuple(data.draw(st.lists(st.integers(0, 2), min_size=2, max_size=2))) for _ in shape]
    value = data.draw(st.sampled_from([0.0, -1.5]))
    flat = _torch_pad(pairs)
    compare_with_torch(
        lambda x: F.pad(x, pairs, value=value), lambda x: torch.nn.functional.pad(x, flat, value=value), [a]
    )
    compare_with_torch(
        lambda x: F.pad(x, 1), lambda x: torch.nn.functional.pad(x, [1] * (2 * len(shape))), [a]
    )
    compare_with_torch(
        lambda x: F.pad(x, (0, 2)), lambda x: torch.nn.functional.pad(x, [0, 2] * len(shape)), [a]
    )


@pytest.mark.parametrize(
    "fn",
    [
        lambda t: F.concat([t, t * 2], axis=1).reshape(-1, 2),
        lambda t: F.stack([t, t.T.T], axis=1).sum(axis=0),
        lambda t: F.split(t, [1, 2], axis=1)[1] * F.split(t, 2, dim=1)[0][:, :1],
        lambda t: F.pad(t, ((1, 0), (0, 2)), value=3.0) ** 2,
        lambda t: (F.broadcast_to(t[:, None], (2, 4, 3)) * F.unsqueeze(t, 0).squeeze()[:, None]).flatten(1),
        lambda t: t.permute(1, 0).swapaxes(0, 1),
    ],
)
def test_gradcheck_float64(fn):
    check_gradients(fn, [random_array((2, 3), seed=13)])


# ----- errors speak the user's language ----------------------------------------------------


def test_bad_shapes_are_named_in_errors():
    x = jaring.ones(2, 3)
    with pytest.raises(ValueError, match=r"shape \(2, 3\).*\(4, 2\)"):
        x.reshape(4, 2)
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4, -1\)"):
        x.reshape(4, -1)
    with pytest.raises(ValueError, match="at most one may be -1"):
        x.reshape(-1, -1)
    with pytest.raises(TypeError, match="needs a target shape"):
        x.reshape()
    with pytest.raises(ValueError, match=r"shape \(2, 3\) to shape \(2, 4\)"):
        x.broadcast_to((2, 4))
    with pytest.raises(ValueError, match=r"shape \(2, 3\) to shape \(3,\)"):
        F.broadcast_to(x, 3)
    assert x.squeeze(1).shape == (2, 3)  # as in torch: a named axis of size 3 stays
    with pytest.raises(ValueError, match=r"axis 1.*got \(2, 3\), \(2, 3, 1\)"):
        F.concat([x, jaring.ones(2, 3, 1)], axis=1)
    with pytest.raises(ValueError, match=r"axis 0.*got \(2, 3\), \(2, 4\)"):
        F.cat([x, jaring.ones(2, 4)])
    with pytest.raises(ValueError, match=r"same shape, got \(2, 3\), \(3, 2\)"):
        F.stack([x, jaring.ones(3, 2)])


def test_bad_arguments_raise_early():
    x = jaring.ones(2, 3)
    with pytest.raises(ValueError, match=r"sizes \[1, 1, 2\] must .* summing to 3"):
        F.split(x, [1, 1, 2], dim=1)
    with pytest.raises(ValueError, match=r"summing to 3"):
        F.split(x, [1, 1], axis=1)
    with pytest.raises(ValueError, match="positive"):
        F.split(x, 0)
    with pytest.raises(ValueError, match=r"not a permutation of the 2 axes"):
        x.permute(0, 0)
    with pytest.raises(
        ValueError,
        match=r"unsqueeze: axis=3 is out of range for a new axis of a tensor with 2 dimensions \(allowed",
    ):
        x.unsqueeze(3)
    with pytest.raises(ValueError, match=r"start_dim 1 comes after end_dim 0"):
        x.flatten(1, 0)
    with pytest.raises(ValueError, match="PyTorch's last-axis-first"):
        F.pad(x, (1, 1, 2, 2, 3, 3))  # three axes' widths for a 2-d tensor
    with pytest.raises(ValueError, match=">= 0"):
        F.pad(x, -1)
    with pytest.raises(ValueError, match="0-d tensors cannot be concatenated"):
        F.concat([jaring.tensor(1.0), jaring.tensor(2.0)])
    with pytest.raises(TypeError, match="list or tuple of tensors"):
        F.stack(x)
    with pytest.raises(TypeError, match="pass either axis= or dim="):
        F.concat([x, x], axis=1, dim=0)


def test_shape_and_softmax_methods_take_torchs_dim_keyword():
    a = random_array((2, 1, 3), seed=43)
    t = torch.tensor(a)
    for ours, theirs in (
        (lambda x: x.unsqueeze(dim=0), lambda x: x.unsqueeze(dim=0)),
        (lambda x: x.squeeze(dim=1), lambda x: x.squeeze(dim=1)),
        (lambda x: x.squeeze(dim=2), lambda x: x.squeeze(dim=2)),  # size 3: left alone by both
        (lambda x: x.softmax(dim=0), lambda x: x.softmax(dim=0)),
        (lambda x: x.log_softmax(dim=-1), lambda x: x.log_softmax(dim=-1)),
    ):
        compare_with_torch(ours, theirs, [a])
    assert jaring.tensor(a).softmax().shape == tuple(t.softmax(-1).shape)  # the last axis by default
