"""Ready models that users ask for by name: FFNN, CNN and TextClassifier (recurrent text classifiers)."""

from jaring.models.cnn import CNN
from jaring.models.ffnn import FFNN
from jaring.models.text import TextClassifier

__all__ = ["CNN", "FFNN", "TextClassifier"]
