"""Fill the empty translations of a .po catalogue from a JSON file.

Usage: python scripts/po_fill.py locale/fr/LC_MESSAGES/django.po translations.json
where translations.json maps each English msgid to its French text (a list of two for plurals).
Prints the msgids still without a translation.
"""

import json
import sys


def _unquote(lines: list[str]) -> str:
    return "".join(json.loads(line) for line in lines if line.startswith('"'))


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _continuation(lines: list[str], start: int) -> int:
    end = start + 1
    while end < len(lines) and lines[end].startswith('"'):
        end += 1
    return end


def fill_block(block: str, translations: dict, missing: list[str]) -> str:
    lines = block.split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("msgid ")]
    if not starts:
        return block
    start = starts[0]
    end = _continuation(lines, start)
    msgid = _unquote([lines[start][6:], *lines[start + 1 : end]])
    if not msgid:
        return block
    head, rest = lines[:end], lines[end:]
    # makemessages' fuzzy guesses are often another string's translation: never keep one.
    fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines[:start])
    plural = bool(rest) and rest[0].startswith("msgid_plural")
    if plural:
        plural_end = _continuation(rest, 0)
        head, rest = head + rest[:plural_end], rest[plural_end:]
        empty = all(line.endswith('""') for line in rest if line.startswith("msgstr["))
    else:
        empty = not _unquote([rest[0][7:], *rest[1:]]) if rest else True
    if not empty and not fuzzy:
        return block
    text = translations.get(msgid)
    if text is None:
        missing.append(msgid)
        return block
    head = [line for line in head if not (line.startswith("#,") and "fuzzy" in line)]
    if plural:
        return "\n".join([*head, f"msgstr[0] {_quote(text[0])}", f"msgstr[1] {_quote(text[1])}"])
    return "\n".join([*head, f"msgstr {_quote(text)}"])


def main(po_path: str, json_path: str) -> None:
    with open(json_path, encoding="utf-8") as handle:
        translations = json.load(handle)
    with open(po_path, encoding="utf-8") as handle:
        blocks = handle.read().split("\n\n")
    missing: list[str] = []
    filled = [fill_block(block, translations, missing) for block in blocks]
    with open(po_path, "w", encoding="utf-8") as handle:
        handle.write("\n\n".join(filled))
    print(json.dumps(missing, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
