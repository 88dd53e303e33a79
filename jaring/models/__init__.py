"""Ready models that users ask for by name: FFNN (more, such as CNN and RNN classifiers, join here)."""

from jaring.models.ffnn import FFNN

__all__ = ["FFNN"]
