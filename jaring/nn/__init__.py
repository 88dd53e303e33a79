"""Layers and models: `import jaring.nn as nn`, then nn.Sequential(nn.Linear(784, 128), nn.ReLU(), ...)."""

from jaring.nn import init
from jaring.nn.activation import (
    ELU,
    GELU,
    ACTIVATIONS,
    BinaryStep,
    Identity,
    Lambda,
    LeakyReLU,
    LogSoftmax,
    ReLU,
    SiLU,
    Sigmoid,
    Softmax,
    Softplus,
    Swish,
    Tanh,
    get_activation,
)
from jaring.nn.dropout import Dropout
from jaring.nn.linear import Dense, Linear
from jaring.nn.loss import (
    LOSSES,
    BCELoss,
    BCEWithLogitsLoss,
    CategoricalCrossEntropy,
    CrossEntropyLoss,
    LossFunction,
    MSELoss,
    NLLLoss,
    get_loss,
)
from jaring.nn.module import IncompatibleKeys, Module, ModuleList, Parameter, Sequential, module_class
from jaring.nn.norm import LayerNorm, RMSNorm
