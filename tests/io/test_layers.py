"""jaring/io/layers.py: the layers whose weights the Keras and PyTorch converters move, in order."""

from jaring import nn
from jaring.io.layers import weighted_layers


def test_weighted_layers_in_registration_order_without_looking_inside_them():
    model = nn.Sequential(
        nn.Conv2D(2, 3, input_dim=1),
        nn.ReLU(),
        nn.Sequential(nn.Flatten(), nn.Dense(4, input_dim=8)),
        nn.Bidirectional(nn.LSTM(3, input_dim=4)),
    )
    found = weighted_layers(model)
    assert [(name, type(m).__name__) for name, m in found] == [
        ("0", "Conv2D"),
        ("2.1", "Dense"),
        ("3", "Bidirectional"),
    ]
    assert weighted_layers(nn.Linear(2, 3))[0][0] == "Linear"
