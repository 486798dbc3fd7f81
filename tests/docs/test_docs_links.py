"""The repository stands on its own: every relative link of README.md and docs/ resolves."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
CODE = re.compile(r"```.*?```", re.S)


def _anchors(path: Path) -> set[str]:
    anchors = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return anchors


def _links():
    for document in DOCUMENTS:
        text = CODE.sub("", document.read_text(encoding="utf-8"))
        for target in LINK.findall(text):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue
            yield document, target


def test_every_relative_link_resolves():
    broken = []
    for document, target in _links():
        path, _, anchor = target.partition("#")
        resolved = (document.parent / path).resolve()
        if not resolved.exists() or ROOT not in resolved.parents:
            broken.append(f"{document.relative_to(ROOT)}: {target}")
        elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
            broken.append(f"{document.relative_to(ROOT)}: {target} (no such heading)")
    assert broken == []


def test_no_document_points_outside_the_repository():
    outside = []
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        for name in re.findall(r"\.\./shared/\S+|\bDESIGN\.md\b|\bSTYLE\.md\b", text):
            outside.append(f"{document.relative_to(ROOT)}: {name}")
    assert outside == []


def test_documents_named_in_code_quotes_exist():
    # `docs/xapi.md`, `bench/reports.py`: paths quoted as code must exist too.
    missing = []
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        for name in re.findall(
            r"`((?:docs|bench|scripts|deploy)/[\w./-]+\.(?:md|py|sh|conf))`", text
        ):
            if not (ROOT / name).exists():
                missing.append(f"{document.relative_to(ROOT)}: {name}")
    assert missing == []
