"""The code examples of the README and of the user guide (docs/guide/, the guide pages) run as written,
the ones that need no downloaded data."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted((DOCS / "guide").glob("*.md")), *sorted(DOCS.glob("*.md"))]
CODE = re.compile(r"```python\n(.*?)```", re.S)
BLOCKS = [block for page in PAGES for block in CODE.findall(page.read_text(encoding="utf-8"))]
SELF_CONTAINED = [b for b in BLOCKS if "load_mnist" not in b and "viz." not in b]


def test_readme_has_examples():
    assert len(SELF_CONTAINED) >= 3


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(SELF_CONTAINED)))
def test_readme_example_runs(index, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples may save files
    exec(compile(SELF_CONTAINED[index], f"documentation block {index}", "exec"), {})
