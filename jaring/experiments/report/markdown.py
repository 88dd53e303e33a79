"""report.md: the report's blocks as GitHub-flavoured Markdown, images linked by paths relative to DIR."""

from __future__ import annotations

import os
from pathlib import Path

from jaring.experiments.report.document import Block, Document, Image, Table, Text


def _cell(text: str) -> str:
    """A table cell: pipes escaped and line breaks flattened, so one row stays one line."""
    return text.replace("|", "\\|").replace("\n", " ")


def _table(table: Table) -> str:
    lines = []
    if table.caption:
        lines += [f"*{table.caption}*", ""]
    align = ["---:" if i in table.numeric else ":---" for i in range(len(table.columns))]
    lines.append("| " + " | ".join(_cell(c) for c in table.columns) + " |")
    lines.append("| " + " | ".join(align) + " |")
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    return "\n".join(lines)


def _block(block: Block, root: Path) -> str:
    if isinstance(block, Text):
        return f"> {block.text}" if block.note else block.text
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Image):
        relative = Path(os.path.relpath(block.path, root)).as_posix()
        picture = f"![{block.alt}]({relative})"
        return f"{picture}\n\n*{block.caption}*" if block.caption else picture
    raise TypeError(f"report.md: cannot render a {type(block).__name__}")


def render_markdown(document: Document, root: Path) -> str:
    """The whole report as Markdown; image links are relative to `root` (the study folder)."""
    parts = [f"# {document.title}", *(_block(b, root) for b in document.intro)]
    for section in document.sections:
        parts.append(f"## {section.title}")
        parts += [_block(b, root) for b in section.blocks]
    return "\n\n".join(parts) + "\n"
