"""jaring/viz/figure.py: headless Figures that save themselves, and panel grids."""

from matplotlib.figure import Figure

from jaring.viz.figure import finish, grid, new_figure
from tests.viz.pictures import assert_drawn_png


def test_a_new_figure_saves_itself_into_new_folders(tmp_path):
    fig = new_figure(3, 2)
    assert isinstance(fig, Figure) and tuple(fig.get_size_inches()) == (3, 2)
    fig.add_subplot().plot([0, 1], [1, 0])
    assert finish(fig, tmp_path / "a" / "b.png") is fig
    assert_drawn_png(tmp_path / "a" / "b.png")
    assert finish(new_figure(1, 1), None) is not None  # no path: nothing written


def test_grid_is_at_most_columns_wide():
    assert grid(1) == (1, 1) and grid(3) == (1, 3) and grid(4) == (2, 3) and grid(7, columns=2) == (4, 2)


def test_a_new_figure_shows_itself_inline_as_png():
    fig = new_figure(2, 1)
    fig.add_subplot().plot([0, 1], [1, 0])
    png = fig._repr_png_()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000
