"""jaring to PyTorch: a torch.nn.Sequential that computes what the jaring model computes."""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import nn
from jaring.io.torch.adapters import TorchConversionError, import_torch, to_numpy, torch_adapters
from jaring.nn.module import Module
from jaring.nn.recurrent_torch import RNNBase


def to_torch(model: Module) -> Any:
    """A torch.nn.Sequential (in eval mode) that computes what the jaring model computes.

    `model` is a jaring Sequential (nested ones are flattened) or a single layer (a layer with a
    torch name, such as LSTMCell or Bilinear, gives that torch module itself). The torch
    model takes the same input: a channels-last jaring CNN gets Permute layers so it takes
    NHWC images too. Raises TorchConversionError naming any layer torch cannot match.

    Examples:
        >>> import torch
        >>> import jaring
        >>> from jaring import nn
        >>> from jaring.io import to_torch
        >>> model = nn.Sequential(nn.Linear(4, 3, seed=0), nn.ReLU(), nn.Linear(3, 2, seed=1))
        >>> torch_model = to_torch(model)
        >>> expected = torch.from_numpy(model(jaring.ones(1, 4)).numpy())
        >>> type(torch_model).__name__, torch.allclose(torch_model(torch.ones(1, 4)), expected)
        ('Sequential', True)
    """
    torch = import_torch()
    if not model.built:
        layer = model.unbuilt_layers()[0]
        raise TorchConversionError(
            f"{type(layer).__name__} has no weights yet because its input size is unknown: call "
            "model.build(input_shape) (or run one batch through the model) before to_torch"
        )
    built: list = []
    permuted = False  # True while torch holds NCHW where the jaring model holds NHWC
    adapters = torch_adapters()
    for name, layer in _flat_jaring(model):
        image = isinstance(layer, (nn.Conv2D, nn.MaxPool2D, nn.AvgPool2D, nn.BatchNorm2D, *_GLOBAL))
        last = image and getattr(layer, "data_format", "channels_first") == "channels_last"
        any_layout = isinstance(layer, (nn.Dropout, *_ELEMENTWISE))
        if last and not permuted:
            built.append(adapters["Permute"]((0, 3, 1, 2)))
        elif permuted and not last and not any_layout:
            built.append(adapters["Permute"]((0, 2, 3, 1)))
        # global pooling returns (N, C) in both frameworks
        permuted = not isinstance(layer, _GLOBAL) and (last or (permuted and any_layout))
        built += _to_modules(torch, name, layer)
    if permuted:
        built.append(adapters["Permute"]((0, 2, 3, 1)))
    if isinstance(model, _TORCH_STYLE) and len(built) == 1:
        return built[0].eval()  # a torch-named layer on its own (LSTMCell, Bilinear) stays one
    return torch.nn.Sequential(*built).eval()


_GLOBAL = (nn.GlobalAvgPool2D, nn.GlobalMaxPool2D)


_TORCH_STYLE = (
    nn.Conv1d, nn.Conv2d, nn.ConvTranspose2d, nn.BatchNorm1d, nn.BatchNorm2d, nn.MaxPool2d, nn.AvgPool2d,
    nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d, nn.GroupNorm, nn.InstanceNorm1d, nn.InstanceNorm2d,
    nn.InstanceNorm3d, nn.Dropout1d, nn.Dropout2d, nn.Dropout3d, nn.AlphaDropout, nn.FeatureAlphaDropout,
    nn.PReLU, nn.Threshold, nn.GLU, nn.Tanhshrink, nn.Hardshrink, nn.Softshrink, nn.PixelShuffle,
    nn.PixelUnshuffle, nn.Unflatten, nn.Bilinear, nn.RNNCell, nn.LSTMCell, nn.GRUCell,
    RNNBase,  # nn.RNN, and nn.LSTM / nn.GRU built with torch's arguments
)  # fmt: skip


_ELEMENTWISE = (
    nn.ReLU, nn.Tanh, nn.Sigmoid, nn.ELU, nn.LeakyReLU, nn.SiLU, nn.GELU, nn.Softplus, nn.Identity,
)  # fmt: skip


def _flat_jaring(model: Module) -> list[tuple[str, Module]]:
    if not isinstance(model, nn.Sequential):
        return [(type(model).__name__, model)]
    found = []
    for name, child in model.named_children():
        found += [
            (f"{name}.{n}" if isinstance(child, nn.Sequential) else name, m) for n, m in _flat_jaring(child)
        ]
    return found


def _to_modules(torch: Any, name: str, layer: Module) -> list:
    """torch modules computing what one jaring layer computes."""
    tnn = torch.nn
    label = f"layer {name!r} ({layer!r})"
    if isinstance(layer, _TORCH_STYLE):
        # These take torch's constructor words and keep torch's state dict, so the twin is built
        # from the layer's own configuration and takes its weights and buffers by name.
        settings = {k: v for k, v in layer.get_config().items() if k not in ("seed", "dtype")}
        twin = getattr(tnn, type(layer).__name__)(**settings)
        _set(torch, twin, dict(layer.named_parameters()), buffers=dict(layer.named_buffers()))
        return [twin]
    if isinstance(layer, (nn.Linear, nn.Dense)):
        out = tnn.Linear(layer.weight.shape[1], layer.weight.shape[0], bias=layer.bias is not None)
        _set(torch, out, {"weight": layer.weight, "bias": layer.bias})
        return [out, *_activation_to_torch(torch, name, getattr(layer, "activation", None))]
    if isinstance(layer, nn.Conv2D):
        kernel, padding, pre = layer.kernel_size, layer.padding, []
        if padding == "same":
            odd = all((d * (k - 1)) % 2 == 0 for k, d in zip(kernel, layer.dilation))
            if layer.strides == (1, 1) and odd:
                padding = tuple(d * (k - 1) // 2 for k, d in zip(kernel, layer.dilation))
            else:
                pre, padding = [torch_adapters()["SamePadding"](kernel, layer.strides, layer.dilation)], 0
        elif padding == "valid":
            padding = 0
        conv = tnn.Conv2d(
            layer.weight.shape[1] * layer.groups,
            layer.filters,
            kernel,
            layer.strides,
            padding,
            layer.dilation,
            groups=layer.groups,
            bias=layer.use_bias,
        )
        _set(torch, conv, {"weight": layer.weight, "bias": layer.bias})
        return [*pre, conv, *_activation_to_torch(torch, name, layer.activation)]
    if isinstance(layer, nn.BatchNorm2D):
        if layer.center != layer.scale:
            raise TorchConversionError(f"{name}: torch's BatchNorm2d has scale and center together (affine)")
        norm = tnn.BatchNorm2d(layer.input_dim, layer.epsilon, 1.0 - layer.momentum, layer.scale)
        _set(torch, norm, dict(layer.named_parameters()), buffers=dict(layer.named_buffers()))
        return [norm]
    if isinstance(layer, (nn.MaxPool2D, nn.AvgPool2D)):
        if layer.padding != "valid":
            raise TorchConversionError(f"{label}: torch has no 'same' pooling; only padding='valid' converts")
        kind = tnn.MaxPool2d if isinstance(layer, nn.MaxPool2D) else tnn.AvgPool2d
        return [kind(layer.pool_size, layer.strides)]
    if isinstance(layer, _GLOBAL):
        kind = tnn.AdaptiveAvgPool2d if isinstance(layer, nn.GlobalAvgPool2D) else tnn.AdaptiveMaxPool2d
        return [kind(1), tnn.Flatten()]
    if isinstance(layer, nn.Flatten):
        return [tnn.Flatten(layer.start_dim, layer.end_dim)]
    if isinstance(layer, nn.Dropout):
        return [tnn.Dropout(layer.p)]
    if isinstance(layer, nn.Embedding):
        if layer.mask_zero:
            raise TorchConversionError(
                f"{label}: torch has no masks, so mask_zero=True cannot be reproduced (set mask_zero=False "
                "if your sequences have no padding)"
            )
        emb = tnn.Embedding(layer.input_dim, layer.output_dim, padding_idx=layer.padding_idx)
        _set(torch, emb, {"weight": layer.weight})
        return [emb]
    if isinstance(layer, (nn.SimpleRNN, nn.LSTM, nn.GRU, nn.Bidirectional)):
        return [_recurrent_to_torch(torch, label, layer)]
    return _activation_to_torch(torch, name, layer)


def _activation_to_torch(torch: Any, name: str, act: Module | None) -> list:
    tnn = torch.nn
    simple = {nn.ReLU: tnn.ReLU, nn.Tanh: tnn.Tanh, nn.Sigmoid: tnn.Sigmoid, nn.SiLU: tnn.SiLU}
    if act is None or isinstance(act, nn.Identity):
        return []
    if type(act) in simple:
        return [simple[type(act)]()]
    if isinstance(act, (nn.Softmax, nn.LogSoftmax)):
        return [(tnn.Softmax if isinstance(act, nn.Softmax) else tnn.LogSoftmax)(dim=act.axis)]
    if isinstance(act, nn.GELU):
        return [tnn.GELU(approximate=act.approximate)]
    if isinstance(act, nn.ELU):
        return [tnn.ELU(act.alpha)]
    if isinstance(act, nn.LeakyReLU):
        return [tnn.LeakyReLU(act.negative_slope)]
    if isinstance(act, nn.Softplus):
        return [tnn.Softplus(act.beta, act.threshold)]
    raise TorchConversionError(f"layer {name!r} ({act!r}) has no torch equivalent that to_torch knows")


def _recurrent_to_torch(torch: Any, label: str, layer: Module) -> Any:
    bidirectional = isinstance(layer, nn.Bidirectional)
    if bidirectional and layer.merge_mode != "concat":
        raise TorchConversionError(f"{label}: torch merges the two directions only by concatenation")
    cells = [layer.forward_layer, layer.backward_layer] if bidirectional else [layer]
    first = cells[0]
    if first.go_backwards or first.return_state:
        raise TorchConversionError(f"{label}: go_backwards and return_state have no torch equivalent")
    kind = type(first).__name__
    kwargs = {"batch_first": True, "bidirectional": bidirectional}
    if kind == "SimpleRNN":
        if first.activation not in ("tanh", "relu"):
            raise TorchConversionError(f"{label}: torch's RNN has only tanh and relu activations")
        rnn = torch.nn.RNN(first.input_dim, first.units, nonlinearity=first.activation, **kwargs)
    else:
        rnn = getattr(torch.nn, kind)(first.input_dim, first.units, **kwargs)
    for cell, suffix in zip(cells, ("_l0", "_l0_reverse")):
        arrays = {"weight_ih": cell.weight_ih, "weight_hh": cell.weight_hh}
        if isinstance(cell, nn.GRU):
            arrays.update(bias_ih=cell.bias_ih, bias_hh=cell.bias_hh)
        else:  # jaring's one bias is torch's two added: put it all in bias_ih
            arrays.update(bias_ih=cell.bias, bias_hh=np.zeros(cell.bias.shape, dtype=cell.bias.dtype))
        _set(torch, rnn, {f"{k}{suffix}": v for k, v in arrays.items()})
    return torch_adapters()["RecurrentLayer"](rnn, first.return_sequences)


def _set(torch: Any, module: Any, params: dict, buffers: dict | None = None) -> None:
    """Give the torch module's parameters and buffers the jaring values, in the jaring dtype."""
    for key, value in {**params, **(buffers or {})}.items():
        if value is not None:
            getattr(module, key).data = torch.from_numpy(np.array(to_numpy(value)))
