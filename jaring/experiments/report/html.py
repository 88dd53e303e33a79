"""report.html: one self-contained page, readable offline and mailable as a single file.

Every picture is inlined as a base64 data URI and the style sheet is inline; the page has no
script, no web font and no link that a browser would load, so opening it makes no request at all.
"""

from __future__ import annotations

import base64
import re
from html import escape

from jaring.experiments.report.document import Block, Document, Image, Table, Text

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       max-width: 1200px; margin: 2rem auto; padding: 0 1.5rem; color: #1b1f24; line-height: 1.5; }
h1 { font-size: 1.7rem; border-bottom: 2px solid #d0d7de; padding-bottom: .3rem; }
h2 { font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; }
nav ol { columns: 2; margin: .5rem 0 1rem; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; background: #f3f4f6; padding: 0 .25rem;
       border-radius: 3px; font-size: .92em; }
.note { background: #fff8e1; border-left: 4px solid #f0b400; padding: .6rem .9rem; border-radius: 3px; }
.scroll { overflow-x: auto; margin: .8rem 0 1.2rem; }
table { border-collapse: collapse; font-size: .92rem; }
caption { caption-side: top; text-align: left; font-style: italic; color: #57606a; padding-bottom: .3rem; }
th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; vertical-align: top; }
th { background: #f6f8fa; text-align: left; position: sticky; top: 0; }
tbody tr:nth-child(even) { background: #fafbfc; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 1rem 0 1.6rem; }
figure img { max-width: 100%; height: auto; border: 1px solid #eaeef2; }
figcaption { color: #57606a; font-size: .9rem; margin-top: .3rem; }
"""


def _inline(text: str) -> str:
    """Escaped text with `code` spans."""
    parts = re.split(r"`([^`]*)`", text)
    return "".join(escape(p) if i % 2 == 0 else f"<code>{escape(p)}</code>" for i, p in enumerate(parts))


def _table(table: Table) -> str:
    head = "".join(f"<th>{_inline(c)}</th>" for c in table.columns)
    body = []
    for row in table.rows:
        cells = "".join(
            f'<td class="num">{_inline(c)}</td>' if i in table.numeric else f"<td>{_inline(c)}</td>"
            for i, c in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    caption = f"<caption>{_inline(table.caption)}</caption>" if table.caption else ""
    return (
        f'<div class="scroll"><table>{caption}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _image(image: Image) -> str:
    data = base64.b64encode(image.path.read_bytes()).decode("ascii")
    caption = f"<figcaption>{_inline(image.caption)}</figcaption>" if image.caption else ""
    return f'<figure><img src="data:image/png;base64,{data}" alt="{escape(image.alt)}">{caption}</figure>'


def _block(block: Block) -> str:
    if isinstance(block, Text):
        return f'<p class="note">{_inline(block.text)}</p>' if block.note else f"<p>{_inline(block.text)}</p>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Image):
        return _image(block)
    raise TypeError(f"report.html: cannot render a {type(block).__name__}")


def render_html(document: Document) -> str:
    """The whole report as one HTML page with its images inlined."""
    anchors = [f"s{i}" for i in range(len(document.sections))]
    toc = "".join(
        f'<li><a href="#{a}">{_inline(s.title)}</a></li>' for a, s in zip(anchors, document.sections)
    )
    body = [f"<h1>{_inline(document.title)}</h1>", *(_block(b) for b in document.intro)]
    if len(document.sections) > 1:
        body.append(f"<nav><ol>{toc}</ol></nav>")
    for anchor, section in zip(anchors, document.sections):
        body.append(f'<section id="{anchor}"><h2>{_inline(section.title)}</h2>')
        body += [_block(b) for b in section.blocks]
        body.append("</section>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(document.title)}</title><style>{_STYLE}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
