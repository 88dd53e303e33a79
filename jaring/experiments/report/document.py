"""The report as plain blocks (text, note, table, image) in sections, rendered to Markdown and to HTML.

Building the content once and rendering it twice keeps report.md and report.html saying the same
thing. Text may hold `code` spans in backticks, which both renderers show as code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Text:
    """A paragraph. `note=True` marks a message about missing or partial results (shown boxed in HTML)."""

    text: str
    note: bool = False


@dataclass
class Table:
    """A table of already formatted cells; `numeric` columns are right-aligned."""

    columns: list[str]
    rows: list[list[str]]
    numeric: set[int] = field(default_factory=set)
    caption: str = ""


@dataclass
class Image:
    """A PNG under the study folder; `path` is absolute, the renderers make it relative or inline it."""

    path: Path
    alt: str
    caption: str = ""


Block = Text | Table | Image


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Document:
    title: str
    intro: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    @property
    def images(self) -> list[Image]:
        blocks = [*self.intro, *(b for s in self.sections for b in s.blocks)]
        return [b for b in blocks if isinstance(b, Image)]
