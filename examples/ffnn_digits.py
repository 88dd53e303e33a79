"""A feed-forward network on scikit-learn's 8x8 digits: build, train, evaluate, inspect, save, load.

python examples/ffnn_digits.py
"""

import numpy as np

from jaring.data.datasets import load_digits, train_test_split
from jaring.models import FFNN
from jaring.training import EarlyStopping, confusion_matrix, macro_f1

x, y = load_digits()
x_train, x_test, y_train, y_test = train_test_split(x / 16, y, test_size=0.2, seed=0, stratify=True)

model = FFNN(
    layer_sizes=[64, 64, 32, 10],
    activations=["relu", "relu", "softmax"],
    loss="cce",
    weight_init="he",
    seed=0,
    l2=1e-4,
)
history = model.fit(
    x_train, y_train, batch_size=32, lr=0.05, epochs=40, optimizer="sgd",
    validation_data=(x_test, y_test), metrics=["accuracy"], verbose=1,
    callbacks=[EarlyStopping(patience=5, restore_best_weights=True)],
)  # fmt: skip

predicted = model.predict_classes(x_test)
print(f"test accuracy {np.mean(predicted == y_test):.4f}, macro-F1 {macro_f1(y_test, predicted):.4f}")
print(confusion_matrix(y_test, predicted))

# Every layer's weights and, after training, the gradients of the last batch.
for i in range(len(model.layers)):
    w, g = model.weights(i)["weight"], model.gradients(i)["weight"]
    print(f"layer {i}: weight {w.shape}, |w| mean {np.abs(w).mean():.4f}, |grad| mean {np.abs(g).mean():.2e}")

path = model.save("runs/ffnn_digits.jaring")
restored = FFNN.load(path)
assert np.array_equal(restored.predict(x_test), model.predict(x_test))
print(f"saved and reloaded {path}; {len(history)} epochs in the history")
