"""Hostile and damaged Keras files, built by hand with zipfile and h5py (Keras is not needed): each is
refused with a jaring.FileFormatError naming the file, before anything large is allocated."""

import io
import json
import zipfile

import numpy as np
import pytest

import jaring
from jaring.io import KerasFormatError, load_keras
from tests.robustness.helpers import assert_clear_error, peak_memory_below

h5py = pytest.importorskip("h5py")

SMALL = 8 * 2**20  # peak bytes a refused file may cost


def dense(name: str, units: object, input_shape: list | None = None) -> dict:
    spec = {"class_name": "Dense", "module": "keras.layers", "config": {"name": name, "units": units}}
    if input_shape is not None:
        spec["build_config"] = {"input_shape": input_shape}
    return spec


def conv(name: str, filters: object, kernel_size: list = (3, 3)) -> dict:
    config = {"name": name, "filters": filters, "kernel_size": list(kernel_size), "strides": [1, 1]}
    config.update(dilation_rate=[1, 1], padding="valid", data_format="channels_last")
    return {"class_name": "Conv2D", "module": "keras.layers", "config": config}


def model_config(layers: list, batch_shape: list) -> dict:
    inputs = {"class_name": "InputLayer", "config": {"name": "input", "batch_shape": batch_shape}}
    return {"class_name": "Sequential", "config": {"name": "model", "layers": [inputs, *layers]}}


def weights_h5(fill) -> bytes:
    """An HDF5 file in memory whose `layers` group `fill(group)` populates."""
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        fill(f.create_group("layers"))
    return buffer.getvalue()


def put(group, layer: str, *arrays) -> None:
    """Write `arrays` as layers/<layer>/vars/0, 1, ...: an ndarray, or (shape, dtype[, options])
    to declare a dataset with nothing (or only fill values) written."""
    holder = group.create_group(layer).create_group("vars")
    for i, array in enumerate(arrays):
        if isinstance(array, np.ndarray):
            holder.create_dataset(str(i), data=array)
        else:
            shape, dtype, *options = array
            holder.create_dataset(str(i), shape=shape, dtype=dtype, **(options[0] if options else {}))


def keras_file(path, config: dict | str, fill) -> str:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", config if isinstance(config, str) else json.dumps(config))
        archive.writestr("model.weights.h5", weights_h5(fill))
    return str(path)


def zeros(*shape: int) -> np.ndarray:
    return np.zeros(shape, "float32")


def refused(path: str, pattern: str, model=None) -> KerasFormatError:
    with peak_memory_below(SMALL):
        error = assert_clear_error(lambda: load_keras(path, model=model), pattern, (jaring.FileFormatError,))
    assert isinstance(error, KerasFormatError) and error.path == path and path in str(error)
    return error


def test_keras_errors_are_file_format_errors_and_value_errors():
    assert issubclass(KerasFormatError, jaring.FileFormatError) and issubclass(KerasFormatError, ValueError)


def test_a_well_formed_hand_built_file_loads(tmp_path):
    kernel = np.arange(12, dtype="float32").reshape(4, 3)
    config = model_config([dense("dense", 3, [None, 4])], [None, 4])
    model = load_keras(keras_file(tmp_path / "ok.keras", config, lambda g: put(g, "dense", kernel, zeros(3))))
    with jaring.no_grad():
        out = model(jaring.tensor(np.eye(4, dtype="float32"))).numpy()
    np.testing.assert_array_equal(out, kernel)


@pytest.mark.parametrize("units", [10**12, 10**6, 2, 0, -3, "many", None, 3.5])
def test_dense_units_the_kernel_does_not_hold(tmp_path, units):
    config = model_config([dense("dense", units)], [None, 4])
    path = keras_file(tmp_path / "units.keras", config, lambda g: put(g, "dense", zeros(4, 3), zeros(3)))
    refused(path, r"layer 'dense'.*(kernel has shape \(4, 3\)|units must be a positive int)")


@pytest.mark.parametrize("filters", [10**11, 5, 0, "x"])
def test_conv_filters_the_kernel_does_not_hold(tmp_path, filters):
    config = model_config([conv("conv2d", filters)], [None, 8, 8, 1])
    fill = lambda g: put(g, "conv2d", zeros(3, 3, 1, 2), zeros(2))  # noqa: E731
    refused(keras_file(tmp_path / "filters.keras", config, fill), r"layer 'conv2d'.*(shape|filters)")


def test_conv_kernel_size_the_kernel_does_not_hold(tmp_path):
    config = model_config([conv("conv2d", 2, (5, 5))], [None, 8, 8, 1])
    fill = lambda g: put(g, "conv2d", zeros(3, 3, 1, 2), zeros(2))  # noqa: E731
    refused(
        keras_file(tmp_path / "k.keras", config, fill), r"kernel has shape \(3, 3, 1, 2\).*\(5, 5, 1, 2\)"
    )


@pytest.mark.parametrize(
    "declared, pattern",
    [
        (((10**6, 10**6), "float32"), r"declares shape \(1000000, 1000000\).*more than the limit"),
        (((10**6, 10**6), "float32", {"chunks": (100, 100), "compression": "gzip"}), "more than the limit"),
        (((10**4, 10**4), "float32"), r"stores only 0 bytes"),
        (((10**4, 10**4), "float32", {"chunks": (100, 100)}), r"stores only 0 bytes"),
        (((10**4, 10**4), "float32", {"chunks": (100, 100), "fillvalue": 1.0}), r"stores only 0 bytes"),
        (((4, 3), h5py.string_dtype()), r"weights must be numbers"),
        (((4, 3), np.dtype([("a", "f4"), ("b", "f4")])), r"weights must be numbers"),
    ],
)
def test_declared_datasets_the_file_does_not_back(tmp_path, declared, pattern):
    units = declared[0][-1]
    config = model_config([dense("dense", units)], [None, declared[0][0]])
    path = keras_file(tmp_path / "big.keras", config, lambda g: put(g, "dense", declared, zeros(units)))
    refused(path, r"layer 'dense'.*weight 0 .*" + pattern)


def test_declared_kernel_refused_in_a_weights_only_file_too(tmp_path):
    path = str(tmp_path / "big.weights.h5")
    with h5py.File(path, "w") as f:
        put(f.create_group("layers"), "dense", ((10**4, 10**4), "float32"), zeros(10**4))
    refused(
        path,
        r"weight 0 declares shape \(10000, 10000\).*stores only 0 bytes",
        model=jaring.nn.Dense(4, input_dim=10**4),
    )


def test_kernel_that_contradicts_the_input_shape(tmp_path):
    config = model_config([dense("dense", 3)], [None, 4])
    path = keras_file(tmp_path / "in.keras", config, lambda g: put(g, "dense", zeros(5, 3), zeros(3)))
    refused(path, r"layer 'dense'.*kernel has shape \(5, 3\).*need \(4, 3\)")


def test_kernel_that_contradicts_its_own_build_config(tmp_path):
    config = model_config([dense("dense", 3, [None, 5])], [None, 4])
    path = keras_file(tmp_path / "bc.keras", config, lambda g: put(g, "dense", zeros(5, 3), zeros(3)))
    refused(path, r"build_config says its input has 5 features.*give it 4")


def test_kernel_that_contradicts_the_previous_layer(tmp_path):
    config = model_config([dense("dense", 3), dense("dense_1", 2)], [None, 4])

    def fill(group):
        put(group, "dense", zeros(4, 3), zeros(3))
        put(group, "dense_1", zeros(7, 2), zeros(2))

    refused(keras_file(tmp_path / "chain.keras", config, fill), r"'dense_1'.*\(7, 2\).*need \(3, 2\)")


def test_flatten_after_conv_must_match_the_dense_kernel(tmp_path):
    flatten = {"class_name": "Flatten", "config": {"name": "flatten", "data_format": "channels_last"}}
    config = model_config([conv("conv2d", 2), flatten, dense("dense", 4)], [None, 6, 6, 1])

    def fill(group):
        put(group, "conv2d", zeros(3, 3, 1, 2), zeros(2))
        put(group, "dense", zeros(50, 4), zeros(4))  # 4 * 4 * 2 = 32 features reach it

    refused(keras_file(tmp_path / "flat.keras", config, fill), r"'dense'.*\(50, 4\).*need \(32, 4\)")


def test_bias_that_contradicts_the_units(tmp_path):
    config = model_config([dense("dense", 3)], [None, 4])
    path = keras_file(tmp_path / "bias.keras", config, lambda g: put(g, "dense", zeros(4, 3), zeros(9)))
    refused(path, r"'dense'.*bias has shape \(9,\).*need \(3\)")


@pytest.mark.parametrize("depth", [100, 10_000, 200_000])
def test_deeply_nested_config(tmp_path, depth):
    nested = "[" * depth + "]" * depth
    config = '{"class_name": "Sequential", "config": {"layers": [], "junk": ' + nested + "}}"
    path = keras_file(tmp_path / "deep.keras", config, lambda g: None)
    refused(path, r"config.json nests (more|deeper) than")


def test_weights_member_that_inflates_past_the_limit(tmp_path):
    path = str(tmp_path / "bomb.keras")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config.json", json.dumps(model_config([], [None, 4])))
        archive.writestr("model.weights.h5", b"\0" * (64 * 2**20))
    refused(path, r"model.weights.h5 would inflate .* times")
    with pytest.raises(KerasFormatError, match="more than the limit of 1,000"):
        load_keras(path, max_bytes=1000)


def test_messages_from_inside_the_config_name_the_file(tmp_path):
    config = model_config([{"class_name": "Lambda", "config": {"name": "code"}}], [None, 4])
    path = keras_file(tmp_path / "lambda.keras", config, lambda g: None)
    refused(path, r"lambda.keras: layer 'code' is a Lambda layer")
