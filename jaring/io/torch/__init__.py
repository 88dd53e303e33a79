"""Move models between jaring and PyTorch with the same outputs: `from_torch` and `to_torch`.

model = jaring.io.from_torch(torch_sequential)        # rebuild a torch.nn.Sequential in jaring
jaring.io.from_torch(state_dict, model=my_model)       # or copy a state_dict into a jaring model
torch_model = jaring.io.to_torch(model)                # and back: a torch.nn.Sequential

torch is optional: it is imported on first use, with a clear error when it is missing.
Both directions know Linear/Dense, Conv2D, BatchNorm2D, max/average pooling, global pooling,
Flatten, Dropout, Embedding, SimpleRNN (torch RNN), LSTM, GRU, Bidirectional and the
activations. Recurrent layers: jaring's return only the final hidden state unless
return_sequences=True, torch's return (output, h_n); `to_torch` wraps each in a
`RecurrentLayer` that returns what the jaring layer returns. jaring's single recurrent
bias is torch's bias_ih + bias_hh. A channels-last jaring model gets `Permute` layers
around its image layers, so the torch model takes the same NHWC input and flattens in the
same order.
"""

from jaring.io.torch.adapters import TorchConversionError
from jaring.io.torch.adapters import __getattr__ as __getattr__  # RecurrentLayer, Permute, SamePadding
from jaring.io.torch.jaring_to_torch import to_torch
from jaring.io.torch.torch_to_jaring import from_torch, load_torch_state

__all__ = ["TorchConversionError", "from_torch", "load_torch_state", "to_torch"]
