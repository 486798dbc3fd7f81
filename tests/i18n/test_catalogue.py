"""The French catalogue is complete, and every string the code shows can reach it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
SOURCE_DIRS = ("lms", "courses", "trainees")
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "pgettext", "ngettext", "ngettext_lazy"}


def _entries() -> list[dict]:
    entries, current, key = [], None, None
    for line in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current and current.get("msgid"):
                entries.append(current)
            current, key = None, None
            continue
        current = current or {"flags": "", "msgid": "", "msgstr": []}
        if line.startswith("#,"):
            current["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural "):
            key = "plural"
        elif line.startswith("msgid "):
            key = "msgid"
            current["msgid"] = ast.literal_eval(line[6:])
        elif line.startswith("msgstr"):
            key = "msgstr"
            current["msgstr"].append(ast.literal_eval(line.split(" ", 1)[1]))
        elif line.startswith('"'):
            if key == "msgid":
                current["msgid"] += ast.literal_eval(line)
            elif key == "msgstr":
                current["msgstr"][-1] += ast.literal_eval(line)
    return entries


def test_every_french_entry_is_translated_and_none_is_fuzzy():
    entries = _entries()
    assert len(entries) > 500
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_is_not_older_than_the_source():
    mo = PO.with_suffix(".mo")
    assert mo.exists(), "run manage.py compilemessages"


def _gettext_in_fstrings(path: Path) -> list[str]:
    """xgettext cannot read a call inside an f-string: such a string never reaches the
    catalogue and stays English on French screens."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for value in ast.walk(node):
                if (
                    isinstance(value, ast.Call)
                    and isinstance(value.func, ast.Name)
                    and value.func.id in GETTEXT_NAMES
                ):
                    found.append(f"{path.relative_to(ROOT)}:{value.lineno}")
    return found


def test_no_translated_string_is_called_inside_an_f_string():
    found = []
    for directory in SOURCE_DIRS:
        for path in (ROOT / directory).rglob("*.py"):
            if "migrations" not in path.parts:
                found += _gettext_in_fstrings(path)
    assert found == []


def test_french_punctuation_has_a_narrow_no_break_space():
    """French typography: U+202F before : ; ! ? (and inside « »), never a plain space or none."""
    bad = []
    for entry in _entries():
        for text in entry["msgstr"]:
            # Placeholders, URLs and times (%(x)s, https://, 08:17) are not punctuation.
            plain = re.sub(r"%\([a-z_]+\)[sd]|https?://\S+|\d:\d|\{[^}]*\}", "", text)
            if re.search(r"[^\u202f\s][:;!?](\s|$)|[ \u00a0][:;!?]", plain):
                bad.append(text)
    assert bad == []


def test_french_typography_is_idempotent_and_leaves_times_and_urls_alone():
    from lms.core.typography import french_typography as typeset

    for text in ["Période: 2024", "« Cours »", "Vraiment ?", "Import de liste : x", "« a »!"]:
        once = typeset(text)
        assert typeset(once) == once
        assert "\u202f\u202f" not in once
    assert typeset("Période: 3 à 08:17, voir https://x.org/?a=1") == (
        "Période\u202f: 3 à 08:17, voir https://x.org/?a=1"
    )
    assert not any("\u202f\u202f" in t for e in _entries() for t in e["msgstr"])
