"""The guide pages stay true: every `jaring.…` name in docs/from_pytorch.md and docs/from_keras.md
exists, the front page's links into docs/ resolve, and every tutorial is in the site's navigation."""

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDES = [ROOT / "docs" / "from_pytorch.md", ROOT / "docs" / "from_keras.md"]
NAME = re.compile(r"`(jaring(?:\.\w+)+)(?:\(|`)")


def resolve(dotted: str) -> object:
    """The object a dotted name points to: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(dotted)


@pytest.mark.parametrize("page", GUIDES, ids=[p.name for p in GUIDES])
def test_every_jaring_name_on_the_guide_pages_exists(page: Path):
    names = sorted(set(NAME.findall(page.read_text(encoding="utf-8"))))
    assert len(names) > 20
    missing = []
    for name in names:
        try:
            resolve(name)
        except (AttributeError, ModuleNotFoundError):
            missing.append(name)
    assert not missing, f"{page.name} names what jaring does not have: {missing}"


def test_the_front_pages_links_into_docs_resolve():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = {t.split("#")[0] for t in re.findall(r"\]\((docs/[^)\s]+)\)", readme)}
    assert targets and not [t for t in targets if not (ROOT / t).exists()]


def test_every_tutorial_is_in_the_sites_navigation():
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    notebooks = sorted(
        p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs" / "tutorials").glob("*.ipynb")
    )
    assert len(notebooks) >= 10 and [n for n in notebooks if n not in nav] == []
