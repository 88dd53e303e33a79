"""mkdocs hook: the front page is the README and the studies page lists every published study,
so neither drifts from what it shows.

The README links into the site with paths from the repository root (`docs/guide/nn.md`), which
is what GitHub renders; on the site those pages sit at the root of docs/, so the hook drops the
`docs/` prefix from the front page's links.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.structure.files import File, Files

DOCS = Path(__file__).resolve().parent
README = DOCS.parent / "README.md"
_DOCS_LINK = re.compile(r"\]\(docs/")


def front_page(readme: str) -> str:
    """The README with its links into docs/ made relative to the site's root."""
    return _DOCS_LINK.sub("](", readme)


def studies_page(docs: Path = DOCS) -> str:
    """A page linking every study report under docs/studies/, grouped by report, titled by its heading."""
    lines = ["# Studies", "",
             "Every study of the reports jaring follows, at full size: what was run, the results beside",
             "the published numbers, curves and distributions. Each was written by `jaring study run` and",
             "copied here by `python -m jaring.experiments.publish`; the Studies section of the front page",
             "says how to run and read one."]  # fmt: skip
    for group in sorted(p for p in (docs / "studies").iterdir() if p.is_dir()):
        lines += ["", f"## Report {group.name}", ""]
        for report in sorted(group.glob("*/report.md")):
            title = report.read_text(encoding="utf-8").partition("\n")[0].lstrip("# ").strip()
            lines.append(f"- [{title}]({group.name}/{report.parent.name}/report.md)")
    return "\n".join(lines) + "\n"


def on_files(files: Files, config) -> Files:
    """Add the generated pages: the front page (docs/ holds no index.md) and the studies index."""
    files.append(File.generated(config, "index.md", content=front_page(README.read_text(encoding="utf-8"))))
    files.append(File.generated(config, "studies/index.md", content=studies_page()))
    return files
