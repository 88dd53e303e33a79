"""Suite-wide setup: report how many op-and-shape cases were checked against PyTorch."""

from tests.oracle import CASES


def pytest_terminal_summary(terminalreporter):  # noqa: D103
    if CASES["torch"] or CASES["gradcheck"]:
        terminalreporter.write_line(
            f"jaring vs PyTorch: {CASES['torch']} op-and-shape cases compared; "
            f"{CASES['gradcheck']} float64 gradchecks"
        )
