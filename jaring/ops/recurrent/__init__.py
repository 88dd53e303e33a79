"""Recurrent ops: a whole SimpleRNN, LSTM or GRU sequence as one op, with backprop through time inside.

`sequence` holds what the three share (the z buffer layout, step order, mask, buffer pool and
shape checks; its docstring explains the layout); `rnn`, `lstm` and `gru` hold one op each, with
its functional form.
"""

from jaring.ops.recurrent.gru import GRUFunction, gru
from jaring.ops.recurrent.lstm import LSTMFunction, lstm
from jaring.ops.recurrent.rnn import SimpleRNNFunction, simple_rnn
from jaring.ops.recurrent.sequence import ACTIVATIONS

__all__ = ["ACTIVATIONS", "GRUFunction", "LSTMFunction", "SimpleRNNFunction", "gru", "lstm", "simple_rnn"]
