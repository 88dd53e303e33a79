"""Layers and models: `import jaring.nn as nn`, then nn.Sequential(nn.Linear(784, 128), nn.ReLU(), ...)."""

from jaring.nn import functional, init, utils
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
from jaring.nn.batchnorm import BatchNorm2D
from jaring.nn.conv import Conv2D
from jaring.nn.dropout import Dropout
from jaring.nn.embedding import Embedding, MaskedTensor
from jaring.nn.linear import Dense, Linear
from jaring.nn.loss import (
    LOSSES,
    BCELoss,
    BCEWithLogitsLoss,
    CategoricalCrossEntropy,
    CrossEntropyLoss,
    HuberLoss,
    L1Loss,
    LossFunction,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
    get_loss,
)
from jaring.nn.loss_more import (
    CosineEmbeddingLoss,
    GaussianNLLLoss,
    HingeEmbeddingLoss,
    KLDivLoss,
    MarginRankingLoss,
    MultiLabelMarginLoss,
    MultiLabelSoftMarginLoss,
    MultiMarginLoss,
    PoissonNLLLoss,
    SoftMarginLoss,
    TripletMarginLoss,
)
from jaring.nn.loss_ctc import CTCLoss
from jaring.nn.distance import CosineSimilarity, PairwiseDistance
from jaring.nn.container import ModuleList, Sequential
from jaring.nn.module import IncompatibleKeys, Module, Parameter, module_class
from jaring.nn.norm import LayerNorm, RMSNorm
from jaring.nn.pooling import (
    AveragePooling2D,
    AvgPool2D,
    GlobalAveragePooling2D,
    GlobalAvgPool2D,
    GlobalMaxPool2D,
    GlobalMaxPooling2D,
    MaxPool2D,
    MaxPooling2D,
)
from jaring.nn.bidirectional import Bidirectional
from jaring.nn.recurrent import GRU, LSTM, SimpleRNN
from jaring.nn.reshape import Flatten

# ----- semantics (issue 13): more activation layers -------------------------------------------
from jaring.nn.activation_more import (
    CELU,
    SELU,
    Hardsigmoid,
    Hardswish,
    Hardtanh,
    LogSigmoid,
    Mish,
    ReLU6,
    Softmin,
    Softsign,
)

# nn ops (issue 13): convolution, pooling options, padding modes, resizing, loss options, attention
from jaring.nn.conv_torch import Conv1d, Conv2d, ConvTranspose2d
from jaring.nn.pooling_torch import AdaptiveAvgPool2d, AdaptiveMaxPool2d, AvgPool2d, MaxPool2d, MaxUnpool2d
from jaring.nn.batchnorm_torch import BatchNorm1d, BatchNorm2d
from jaring.nn.padding import (
    CircularPad1d,
    CircularPad2d,
    ConstantPad1d,
    ConstantPad2d,
    ReflectionPad1d,
    ReflectionPad2d,
    ReplicationPad1d,
    ReplicationPad2d,
    ZeroPad2d,
)
from jaring.nn.lazy import (
    LazyBatchNorm1d,
    LazyBatchNorm2d,
    LazyConv1d,
    LazyConv2d,
    LazyLinear,
    UninitializedBuffer,
    UninitializedParameter,
)
from jaring.nn.upsample import Upsample, UpsamplingBilinear2d, UpsamplingNearest2d
from jaring.nn.attention import MultiheadAttention
from jaring.nn.container_dict import ModuleDict, ParameterDict
from jaring.nn.container_params import ParameterList
from jaring.nn.reshape_torch import PixelShuffle, PixelUnshuffle, Unflatten
from jaring.nn.bilinear import Bilinear
from jaring.nn.group_norm import GroupNorm
from jaring.nn.instance_norm import InstanceNorm1d, InstanceNorm2d, InstanceNorm3d
from jaring.nn.dropout_channel import AlphaDropout, Dropout1d, Dropout2d, Dropout3d, FeatureAlphaDropout
from jaring.nn.activation_param import GLU, Hardshrink, PReLU, Softshrink, Tanhshrink, Threshold
from jaring.nn.recurrent_cells import GRUCell, LSTMCell, RNNCell
from jaring.nn.transformer import Transformer
from jaring.nn.transformer_decoder import TransformerDecoder, TransformerDecoderLayer
from jaring.nn.transformer_encoder import TransformerEncoder, TransformerEncoderLayer
from jaring.nn.recurrent_torch import RNN  # nn.LSTM / nn.GRU with torch's arguments build its LSTM / GRU
from jaring.nn.embedding_bag import EmbeddingBag
from jaring.nn.pooling1d import AdaptiveAvgPool1d, AdaptiveMaxPool1d, AvgPool1d, MaxPool1d
from jaring.nn.unfold import Fold, Unfold
from jaring.nn.misc_torch import ChannelShuffle, LocalResponseNorm, RReLU, Softmax2d

__all__ = [
    "AveragePooling2D",
    "AvgPool2D",
    "BatchNorm2D",
    "Conv2D",
    "Flatten",
    "GlobalAveragePooling2D",
    "GlobalAvgPool2D",
    "GlobalMaxPool2D",
    "GlobalMaxPooling2D",
    "MaxPool2D",
    "MaxPooling2D",
    "ACTIVATIONS",
    "BCELoss",
    "BCEWithLogitsLoss",
    "CategoricalCrossEntropy",
    "CrossEntropyLoss",
    "ELU",
    "GELU",
    "LOSSES",
    "BinaryStep",
    "Dense",
    "Dropout",
    "Bidirectional",
    "Embedding",
    "GRU",
    "LSTM",
    "MaskedTensor",
    "SimpleRNN",
    "Identity",
    "IncompatibleKeys",
    "Lambda",
    "LayerNorm",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "HuberLoss",
    "L1Loss",
    "LossFunction",
    "MSELoss",
    "Module",
    "ModuleList",
    "NLLLoss",
    "SmoothL1Loss",
    "Parameter",
    "RMSNorm",
    "ReLU",
    "Sequential",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Swish",
    "Tanh",
    "get_activation",
    "get_loss",
    "functional",
    "init",
    "utils",
    "module_class",
    # semantics (issue 13)
    "CELU",
    "SELU",
    "Hardsigmoid",
    "Hardswish",
    "Hardtanh",
    "LogSigmoid",
    "Mish",
    "ReLU6",
    "Softmin",
    "Softsign",
    # nn ops (issue 13)
    "Conv1d",
    "Conv2d",
    "ConvTranspose2d",
    "AvgPool2d",
    "MaxPool2d",
    "AdaptiveAvgPool2d",
    "AdaptiveMaxPool2d",
    "BatchNorm1d",
    "BatchNorm2d",
    "MaxUnpool2d",
    "CircularPad1d",
    "CircularPad2d",
    "ConstantPad1d",
    "ConstantPad2d",
    "ReflectionPad1d",
    "ReflectionPad2d",
    "ReplicationPad1d",
    "ReplicationPad2d",
    "ZeroPad2d",
    "Upsample",
    "UpsamplingBilinear2d",
    "UpsamplingNearest2d",
    "LazyLinear",
    "LazyConv1d",
    "LazyConv2d",
    "LazyBatchNorm1d",
    "LazyBatchNorm2d",
    "UninitializedParameter",
    "UninitializedBuffer",
    "MultiheadAttention",
    # torch's dict and parameter containers, shape layers and Bilinear
    "ModuleDict",
    "ParameterDict",
    "ParameterList",
    "Unflatten",
    "PixelShuffle",
    "PixelUnshuffle",
    "Bilinear",
    "RNNCell",
    "LSTMCell",
    "GRUCell",
    "RNN",
    # normalisation, channel dropout and the remaining torch activations
    "GroupNorm",
    "InstanceNorm1d",
    "InstanceNorm2d",
    "InstanceNorm3d",
    "Dropout1d",
    "Dropout2d",
    "Dropout3d",
    "AlphaDropout",
    "FeatureAlphaDropout",
    "PReLU",
    "Threshold",
    "GLU",
    "Tanhshrink",
    "Hardshrink",
    "Softshrink",
    # the remaining torch losses and the distance modules
    "CosineEmbeddingLoss",
    "GaussianNLLLoss",
    "HingeEmbeddingLoss",
    "KLDivLoss",
    "MarginRankingLoss",
    "MultiLabelMarginLoss",
    "MultiLabelSoftMarginLoss",
    "MultiMarginLoss",
    "PoissonNLLLoss",
    "SoftMarginLoss",
    "TripletMarginLoss",
    "CTCLoss",
    "CosineSimilarity",
    "PairwiseDistance",
    # torch's transformer layers
    "Transformer",
    "TransformerEncoder",
    "TransformerEncoderLayer",
    "TransformerDecoder",
    "TransformerDecoderLayer",
    # torch's bag-of-embeddings layer
    "EmbeddingBag",
    # 1-D pooling, im2col / col2im and four small torch layers
    "MaxPool1d",
    "AvgPool1d",
    "AdaptiveAvgPool1d",
    "AdaptiveMaxPool1d",
    "Unfold",
    "Fold",
    "LocalResponseNorm",
    "Softmax2d",
    "RReLU",
    "ChannelShuffle",
]
