"""Keras -> jaring parity: train small Keras models, load them with jaring.io.load_keras, compare.

    JARING_DATA=/path/to/datasets python experiments/keras_parity.py [--epochs-scale 1.0]

Keras runs on its PyTorch backend. NusaX-Senti (Indonesian): SimpleRNN, LSTM and
bidirectional LSTM classifiers over the same token ids (jaring's TextVectorizer feeds both).
Fashion-MNIST: the default CNN on a training subset. Each model is saved as .keras, loaded
into jaring from the file alone, and both predict the test set. Prints a Markdown table:
macro-F1 of Keras and of jaring (they must be equal) and the largest absolute difference in
predicted probabilities. Not a test: it needs the real datasets and takes a few minutes.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402

import jaring  # noqa: E402
from jaring.data.datasets import load_fashion_mnist, load_nusax_sentiment  # noqa: E402
from jaring.data.text import TextVectorizer  # noqa: E402
from jaring.io import load_keras  # noqa: E402

SEQUENCE_LENGTH, VOCABULARY = 64, 5000


def text_model(kind: str, vocab: int) -> keras.Model:
    cell = layers.SimpleRNN(64) if kind == "SimpleRNN" else layers.LSTM(64)
    return keras.Sequential(
        [
            keras.Input((SEQUENCE_LENGTH,), dtype="int32"),
            layers.Embedding(vocab, 64, mask_zero=True),
            layers.Bidirectional(cell) if kind == "Bi-LSTM" else cell,
            layers.Dropout(0.5),
            layers.Dense(3, activation="softmax"),
        ]
    )


def cnn() -> keras.Model:
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    )


def jaring_probabilities(model: jaring.nn.Module, x: np.ndarray, batch: int = 500) -> np.ndarray:
    with jaring.no_grad():
        return np.concatenate(
            [model(jaring.tensor(x[i : i + batch])).numpy() for i in range(0, len(x), batch)]
        )


def compare(name: str, model: keras.Model, train: tuple, test: tuple, epochs: int, folder: str) -> str:
    start = time.perf_counter()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(*train, epochs=epochs, batch_size=32, verbose=0)
    path = os.path.join(folder, f"{name.replace(' ', '_')}.keras")
    model.save(path)
    keras_probs = model.predict(test[0], batch_size=500, verbose=0)
    ours = load_keras(path)
    jaring_probs = jaring_probabilities(ours, test[0])
    f1_keras = f1_score(test[1], keras_probs.argmax(1), average="macro")
    f1_jaring = f1_score(test[1], jaring_probs.argmax(1), average="macro")
    same = int((keras_probs.argmax(1) == jaring_probs.argmax(1)).sum())
    diff = float(np.abs(keras_probs - jaring_probs).max())
    seconds = time.perf_counter() - start
    return (
        f"| {name} | {f1_keras:.4f} | {f1_jaring:.4f} | {'yes' if f1_keras == f1_jaring else 'NO'} "
        f"| {same}/{len(test[1])} | {diff:.2e} | {seconds:.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs-scale", type=float, default=1.0, help="multiply every epoch count")
    parser.add_argument("--cnn-train", type=int, default=10000, help="Fashion-MNIST training images used")
    args = parser.parse_args()
    keras.utils.set_random_seed(0)

    def epochs(n: int) -> int:
        return max(1, round(n * args.epochs_scale))

    (train_texts, train_y), _, (test_texts, test_y) = load_nusax_sentiment()
    vectorizer = TextVectorizer(max_tokens=VOCABULARY, output_sequence_length=SEQUENCE_LENGTH)
    vectorizer.adapt(train_texts)
    train_ids, test_ids = vectorizer(train_texts), vectorizer(test_texts)
    vocab = vectorizer.vocabulary_size()
    (x_train, y_train), (x_test, y_test) = load_fashion_mnist()
    x_train, y_train = x_train[: args.cnn_train, :, :, None], y_train[: args.cnn_train]
    x_test = x_test[:, :, :, None]

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for kind in ("SimpleRNN", "LSTM", "Bi-LSTM"):
            model = text_model(kind, vocab)
            rows.append(
                compare(f"NusaX {kind}", model, (train_ids, train_y), (test_ids, test_y), epochs(10), folder)
            )
            print(rows[-1], flush=True)
        rows.append(
            compare("Fashion-MNIST CNN", cnn(), (x_train, y_train), (x_test, y_test), epochs(2), folder)
        )
    print()
    print("| model | macro-F1 Keras | macro-F1 jaring | equal | same predictions | max abs diff prob | s |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
