"""jaring/ops/geometry.py: TensorFlow's "same" padding, pairs, padding specs and window checks."""

import pytest

from jaring.ops.geometry import check_window, pair, resolve_padding, same_padding


@pytest.mark.parametrize("size,kernel,stride", [(7, 2, 2), (8, 3, 2), (5, 4, 3), (6, 1, 2), (9, 6, 2)])
def test_same_padding_gives_ceil_size_over_stride_with_the_odd_pixel_last(size, kernel, stride):
    top, bottom = same_padding(size, kernel, stride, 1)
    assert bottom - top in (0, 1)
    assert (size + top + bottom - kernel) // stride + 1 == -(-size // stride)


def test_pairs_and_padding_specs():
    assert pair(3, "kernel_size") == (3, 3) and pair((2, 4), "kernel_size") == (2, 4)
    with pytest.raises(ValueError, match="kernel_size must be at least 1"):
        pair(0, "kernel_size")
    assert pair([0, 2], "padding", minimum=0) == (0, 2)
    for bad, error in ((True, TypeError), ((1, 2, 3), ValueError), ("3", TypeError), ((1.5, 2), ValueError),
                       (None, TypeError)):  # fmt: skip
        with pytest.raises(error, match=rf"strides must be an int or a pair of ints, got {bad!r}"[:40]):
            pair(bad, "strides")


# every former pair helper now reads through pair(): the layer, the Keras reader, the torch converter
def test_former_pair_callers_name_the_argument_and_the_value():
    from jaring import nn
    from jaring.io.keras.archive import KerasFormatError, KerasLayer
    from jaring.io.keras.builders import _pair

    with pytest.raises(ValueError, match=r"Conv2D strides must be at least 1, got \(1, 0\)"):
        nn.Conv2D(2, 3, strides=(1, 0))
    with pytest.raises(TypeError, match=r"MaxPool2D pool_size must be an int or a pair of ints, got 'a'"):
        nn.MaxPool2D("a")
    layer = KerasLayer("conv", "Conv2D", {"kernel_size": [3, 0]})
    with pytest.raises(
        KerasFormatError, match=r"layer 'conv' \(Conv2D\): kernel_size must be at least 1, got \[3, 0\]"
    ):
        _pair(layer, "kernel_size")
    assert resolve_padding("valid", (3, 3), (1, 1), (1, 1), (8, 8)) == (0, 0, 0, 0)
    assert resolve_padding(1, (3, 3), (1, 1), (1, 1), (8, 8)) == (1, 1, 1, 1)
    assert resolve_padding("same", (2, 2), (1, 1), (1, 1), (8, 8)) == (0, 1, 0, 1)
    with pytest.raises(ValueError, match="padding must be 'valid', 'same'"):
        resolve_padding("full", (3, 3), (1, 1), (1, 1), (8, 8))


def test_a_window_larger_than_the_padded_input_is_named():
    with pytest.raises(ValueError, match=r"conv: the window 5x5 is larger than the padded input 4x4"):
        check_window("conv", (1, 1, 4, 4), (5, 5), (0, 0, 0, 0))
