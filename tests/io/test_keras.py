"""load_keras: Keras 3 models (run on Keras's PyTorch backend) and the same models loaded into jaring
give the same outputs; damaged, mismatched and hostile files fail with errors naming the layer."""

import json
import os
import subprocess
import sys
import zipfile

import numpy as np
import pytest

import jaring
from jaring import nn
from jaring.io import KerasFormatError, load_keras


class _ImportedOnUse:
    """A module imported on first attribute access, skipping the test when it is not installed.

    Importing Keras (with torch._dynamo behind its torch backend) takes seconds; importing it at
    collection made every run of the suite pay that, even `make test-fast`, which skips these tests.
    """

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str):
        os.environ.setdefault("KERAS_BACKEND", "torch")
        pytest.importorskip("h5py")
        return getattr(pytest.importorskip(self._name), attribute)


keras = _ImportedOnUse("keras")
layers = _ImportedOnUse("keras.layers")

ATOL = 1e-5
pytestmark = [
    # Keras's torch backend converts tensors in a way NumPy 2 deprecates; not ours to fix.
    pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning"),
    # Each test builds and runs Keras models, after a Keras import of several seconds: the full
    # suite runs them, the fast tier does not (tests/robustness/test_keras_files.py covers hostile
    # archives there without Keras).
    pytest.mark.slow,
]


def randomize(model: "keras.Model", seed: int = 0) -> "keras.Model":
    """Random weights everywhere (biases too, so their mapping is tested); variances stay positive."""
    rng = np.random.default_rng(seed)
    for weight in model.weights:
        values = rng.normal(0.0, 0.4, weight.shape).astype("float32")
        if "variance" in weight.path:
            values = np.abs(values) + 0.5
        weight.assign(values)
    return model


def keras_predict(model: "keras.Model", x: np.ndarray) -> np.ndarray:
    return keras.ops.convert_to_numpy(model(x, training=False))


def jaring_predict(model: nn.Module, x: np.ndarray) -> np.ndarray:
    with jaring.no_grad():
        return model(jaring.tensor(x)).numpy()


def check_parity(model: "keras.Model", x: np.ndarray, tmp_path) -> nn.Module:
    """Save as .keras and .weights.h5; both load into jaring and predict what Keras predicts."""
    expected = keras_predict(model, x)
    model.save(tmp_path / "model.keras")
    model.save_weights(tmp_path / "model.weights.h5")
    rebuilt = load_keras(tmp_path / "model.keras")
    assert not rebuilt.training
    np.testing.assert_allclose(jaring_predict(rebuilt, x), expected, atol=ATOL, rtol=0)
    fresh = load_keras(tmp_path / "model.keras")
    for p in fresh.parameters():
        p.data[...] = 0
    load_keras(tmp_path / "model.weights.h5", model=fresh)
    np.testing.assert_allclose(jaring_predict(fresh, x), expected, atol=ATOL, rtol=0)
    return rebuilt


def default_cnn(side: int = 8) -> "keras.Model":
    return keras.Sequential(
        [
            keras.Input((side, side, 1)),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    )


def images(n: int, side: int, channels: int, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0, 1, (n, side, side, channels)).astype("float32")


def test_default_cnn(tmp_path):
    model = randomize(default_cnn())
    check_parity(model, images(3, 8, 1), tmp_path)


def test_default_cnn_into_a_hand_built_jaring_model(tmp_path):
    model = randomize(default_cnn(), seed=3)
    model.save_weights(tmp_path / "cnn.weights.h5")
    ours = nn.Sequential(
        nn.Conv2D(32, 3, padding="same", activation="relu"),
        nn.MaxPool2D(2),
        nn.Conv2D(64, 3, padding="same", activation="relu"),
        nn.MaxPool2D(2),
        nn.Flatten(),
        nn.Dense(64, activation="relu"),
        nn.Dense(10, activation="softmax"),
    ).build((1, 8, 8, 1))
    assert load_keras(tmp_path / "cnn.weights.h5", model=ours) is ours
    x = images(4, 8, 1)
    np.testing.assert_allclose(jaring_predict(ours, x), keras_predict(model, x), atol=ATOL, rtol=0)


@pytest.mark.parametrize("variant", ["max", "avg_global", "batchnorm"])
def test_six_conv_cnn(tmp_path, variant):
    """The seed's six-conv CNN at small width, with strides, valid padding and other pools."""
    pool = layers.AveragePooling2D if variant == "avg_global" else layers.MaxPooling2D
    norm = [layers.BatchNormalization()] if variant == "batchnorm" else []
    head = (
        [layers.GlobalAveragePooling2D()]
        if variant == "avg_global"
        else [layers.GlobalMaxPooling2D()]
        if variant == "batchnorm"
        else [layers.Flatten(), layers.Dropout(0.5)]
    )
    model = keras.Sequential(
        [
            keras.Input((16, 16, 3)),
            layers.Conv2D(4, 3, padding="same", activation="relu"),
            *norm,
            layers.Conv2D(4, 3, padding="same", activation="relu"),
            pool(2),
            layers.Conv2D(8, 3, padding="same", activation="elu"),
            layers.Conv2D(8, (3, 2), strides=(2, 1), padding="same", activation="relu"),
            pool(2, strides=1, padding="same"),
            layers.Conv2D(6, 3, activation="tanh"),
            layers.Conv2D(6, 1, use_bias=False),
            layers.Activation("relu"),
            *head,
            layers.Dense(10, activation="softmax"),
        ]
    )
    check_parity(randomize(model, seed=5), images(2, 16, 3), tmp_path)


def token_ids(n: int, time: int, vocab: int, seed: int = 2) -> np.ndarray:
    """Random ids >= 1 with trailing zero padding of different lengths (row 0 is unpadded)."""
    rng = np.random.default_rng(seed)
    ids = rng.integers(1, vocab, (n, time))
    for row, length in enumerate(rng.integers(1, time + 1, n)):
        ids[row, length if row else time :] = 0
    return ids.astype("int64")


def text_model(cell: str, depth: int, bidirectional: bool, mask_zero: bool) -> "keras.Model":
    """cell: the Keras layer's name (SimpleRNN, LSTM or GRU)."""
    recurrent = []
    for i in range(depth):
        layer = getattr(layers, cell)(6, return_sequences=i < depth - 1)
        recurrent.append(layers.Bidirectional(layer) if bidirectional else layer)
    return keras.Sequential(
        [
            keras.Input((7,), dtype="int32"),
            layers.Embedding(30, 5, mask_zero=mask_zero),
            *recurrent,
            layers.Dropout(0.3),
            layers.Dense(3, activation="softmax"),
        ]
    )


@pytest.mark.slow
@pytest.mark.parametrize("cell", ["SimpleRNN", "LSTM", "GRU"], ids=["rnn", "lstm", "gru"])
@pytest.mark.parametrize("bidirectional", [False, True], ids=["uni", "bi"])
@pytest.mark.parametrize("depth,mask_zero", [(1, False), (3, True)], ids=["1layer", "3layers-masked"])
def test_text_models(tmp_path, cell, bidirectional, depth, mask_zero):
    model = randomize(text_model(cell, depth, bidirectional, mask_zero), seed=depth)
    rebuilt = check_parity(model, token_ids(5, 7, 30), tmp_path)
    kinds = [type(m).__name__ for m in rebuilt.children()]
    assert kinds.count("Bidirectional" if bidirectional else cell) == depth


def test_functional_chain_and_bias_free_layers(tmp_path):
    inputs = keras.Input((6, 4))
    x = layers.LSTM(5, return_sequences=True, use_bias=False)(inputs)
    x = layers.GRU(3, use_bias=False)(x)
    x = layers.Dense(2, activation="leaky_relu", use_bias=False, name="out-layer")(x)
    model = randomize(keras.Model(inputs, x), seed=7)
    data = np.random.default_rng(0).normal(size=(3, 6, 4)).astype("float32")
    rebuilt = check_parity(model, data, tmp_path)
    assert isinstance(rebuilt.out_layer, nn.Dense)


def test_loaded_models_save_as_jaring_checkpoints(tmp_path):
    """The rebuilt layers keep their activations in their config, so jaring's own format restores them."""
    model = randomize(default_cnn(), seed=11)
    model.layers[-2].activation = keras.activations.leaky_relu
    model.save(tmp_path / "cnn.keras")
    ours = load_keras(tmp_path / "cnn.keras")
    jaring.io.save(ours, tmp_path / "cnn.jaring")
    x = images(2, 8, 1)
    expected = keras_predict(model, x)
    np.testing.assert_allclose(
        jaring_predict(jaring.io.load(tmp_path / "cnn.jaring"), x), expected, atol=ATOL
    )


# ----- bad files ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_cnn_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small_cnn")
    model = keras.Sequential(
        [keras.Input((6, 6, 2)), layers.Conv2D(3, 3, activation="relu"), layers.Flatten(), layers.Dense(4)]
    )
    model.save(folder / "m.keras")
    model.save_weights(folder / "m.weights.h5")
    return folder


def edited(source, target, edit) -> str:
    """A copy of the .keras archive `source` whose config.json has been changed by `edit`."""
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    config = json.loads(members["config.json"])
    edit(config)
    members["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target


def test_missing_layer_in_the_file(small_cnn_files):
    ours = nn.Sequential(
        nn.Conv2D(3, 3, input_dim=2), nn.Flatten(), nn.Dense(4, input_dim=48), nn.Dense(2, input_dim=4)
    )
    with pytest.raises(KerasFormatError, match=r"no weights for the model's layer '3' \(Dense.*dense_1"):
        load_keras(small_cnn_files / "m.weights.h5", model=ours)


def test_layer_missing_in_the_model(small_cnn_files):
    ours = nn.Sequential(nn.Conv2D(3, 3, input_dim=2), nn.Flatten())
    with pytest.raises(KerasFormatError, match="weights for layer.*dense.*jaring model does not have"):
        load_keras(small_cnn_files / "m.weights.h5", model=ours)


def test_shape_mismatch_names_the_layer_and_both_shapes(small_cnn_files):
    ours = nn.Sequential(nn.Conv2D(3, 3, input_dim=2), nn.Flatten(), nn.Dense(5, input_dim=48))
    before = ours.state_dict()
    with pytest.raises(KerasFormatError, match=r"layer '2'.*Dense.*expects \(5, 48\).*holds \(4, 48\)"):
        load_keras(small_cnn_files / "m.weights.h5", model=ours)
    for name, value in ours.state_dict().items():
        np.testing.assert_array_equal(value, before[name])


def test_unbuilt_model_is_built_from_the_archives_input_shape(small_cnn_files):
    ours = nn.Sequential(nn.Conv2D(3, 3, activation="relu"), nn.Flatten(), nn.Dense(4))
    load_keras(small_cnn_files / "m.keras", model=ours)
    assert ours[0].weight.shape == (3, 2, 3, 3)
    expected = load_keras(small_cnn_files / "m.keras")
    x = images(2, 6, 2)
    np.testing.assert_allclose(jaring_predict(ours, x), jaring_predict(expected, x), atol=ATOL, rtol=0)


def test_links_to_other_files_are_refused(small_cnn_files, tmp_path):
    import h5py

    path = tmp_path / "linked.weights.h5"
    path.write_bytes((small_cnn_files / "m.weights.h5").read_bytes())
    with h5py.File(path, "a") as f:
        del f["layers/dense"]
        f["layers/dense"] = h5py.ExternalLink(str(small_cnn_files / "m.weights.h5"), "/layers/dense")
    ours = nn.Sequential(nn.Conv2D(3, 3, input_dim=2), nn.Flatten(), nn.Dense(4, input_dim=48))
    with pytest.raises(KerasFormatError, match="'dense' is a ExternalLink; only plain HDF5 data"):
        load_keras(path, model=ours)


def test_weights_only_file_needs_a_model(small_cnn_files):
    with pytest.raises(KerasFormatError, match="weights only.*model="):
        load_keras(small_cnn_files / "m.weights.h5")


def test_unsupported_layer_type(small_cnn_files, tmp_path):
    def swap(config):
        config["config"]["layers"][1]["class_name"] = "Conv3D"

    with pytest.raises(
        KerasFormatError, match=r"'conv2d(_\d+)?'.*unsupported type 'Conv3D'.*supported: .*Dense"
    ):
        load_keras(edited(small_cnn_files / "m.keras", tmp_path / "x.keras", swap))


@pytest.mark.parametrize("name", ["m.keras", "m.weights.h5"])
def test_truncated_files(small_cnn_files, tmp_path, name):
    data = (small_cnn_files / name).read_bytes()
    (tmp_path / name).write_bytes(data[: len(data) // 2])
    with pytest.raises(KerasFormatError, match="truncated or damaged"):
        load_keras(tmp_path / name)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no Keras file"):
        load_keras(tmp_path / "nothing.keras")


@pytest.fixture
def no_execution(monkeypatch):
    """Any attempt to run a shell command or evaluate code fails the test."""

    def forbidden(*args, **kwargs):
        raise AssertionError("load_keras tried to execute something")

    monkeypatch.setattr(os, "system", forbidden)
    monkeypatch.setattr("builtins.eval", forbidden)
    monkeypatch.setattr("builtins.exec", forbidden)


HOSTILE = {
    "lambda": (
        {
            "module": "keras.layers",
            "class_name": "Lambda",
            "config": {"name": "sneaky", "function": "b64code"},
        },
        "'sneaky' is a Lambda layer.*never runs code",
    ),
    "os.system": (
        {"module": "os", "class_name": "system", "config": {"name": "evil", "command": "touch pwned"}},
        "'evil'.*custom or unknown type 'os.system'",
    ),
    "custom": (
        {"module": None, "class_name": "Dense", "registered_name": "my>Dense", "config": {"name": "mine"}},
        "'mine'.*custom or unknown type",
    ),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_layers_are_refused(small_cnn_files, tmp_path, no_execution, kind):
    spec, message = HOSTILE[kind]

    def insert(config):
        config["config"]["layers"].insert(2, spec)

    with pytest.raises(KerasFormatError, match=message):
        load_keras(edited(small_cnn_files / "m.keras", tmp_path / "x.keras", insert))


def test_hostile_activation_is_refused(small_cnn_files, tmp_path, no_execution):
    def poison(config):
        config["config"]["layers"][-1]["config"]["activation"] = {"module": "os", "class_name": "system"}

    with pytest.raises(KerasFormatError, match=r"'dense(_\d+)?'.*activation.*not supported"):
        load_keras(edited(small_cnn_files / "m.keras", tmp_path / "x.keras", poison))


def test_unsupported_option_names_the_layer(small_cnn_files, tmp_path):
    def channels_first(config):
        config["config"]["layers"][1]["config"]["data_format"] = "channels_first"

    with pytest.raises(KerasFormatError, match=r"'conv2d(_\d+)?'.*data_format='channels_first'"):
        load_keras(edited(small_cnn_files / "m.keras", tmp_path / "x.keras", channels_first))


@pytest.mark.slow
def test_loading_needs_neither_keras_nor_torch(small_cnn_files):
    """A fresh interpreter loads the file with jaring and h5py alone: Keras and torch stay unimported."""
    code = (
        "import sys, jaring.io\n"
        f"jaring.io.load_keras({str(small_cnn_files / 'm.keras')!r})\n"
        "print(sorted(m for m in ('keras', 'torch', 'tensorflow') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
