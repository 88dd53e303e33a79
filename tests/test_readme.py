"""The README's code examples run as written (the ones that need no downloaded data)."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
SELF_CONTAINED = [b for b in BLOCKS if "load_mnist" not in b and "viz." not in b]


def test_readme_has_examples():
    assert len(SELF_CONTAINED) >= 3


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(SELF_CONTAINED)))
def test_readme_example_runs(index, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples may save files
    exec(compile(SELF_CONTAINED[index], f"README block {index}", "exec"), {})
