"""See the model: network pages and drawings, weight/gradient histograms, curves, computational graphs.

Every plot_* function returns a matplotlib Figure (built without pyplot, so it works headless)
and saves it when given `path`. `network` writes a self-contained interactive HTML page;
`draw_graph` draws the ops behind a tensor with graphviz, or as SVG that jaring writes itself.
"""

from jaring.viz.activations import plot_activations
from jaring.viz.distributions import plot_gradients, plot_weights
from jaring.viz.graph import draw_graph
from jaring.viz.history import plot_history
from jaring.viz.network_html import network
from jaring.viz.network_static import plot_network

__all__ = [
    "draw_graph",
    "network",
    "plot_activations",
    "plot_gradients",
    "plot_history",
    "plot_network",
    "plot_weights",
]
