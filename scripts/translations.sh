#!/usr/bin/env bash
# Refresh the French catalogue: collect strings, fill them from locale/fr/json/*.json
# (one JSON file an app: English msgid -> French text, a list of two for plurals), compile.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=.venv/bin/python
$PY manage.py makemessages -l fr --ignore=.venv --ignore=staticfiles --ignore=tests \
  --ignore=bench --ignore=media --no-obsolete --verbosity 0
$PY - <<'PY'
import glob, json
merged = {}
for path in sorted(glob.glob("locale/fr/json/*.json")):
    with open(path, encoding="utf-8") as handle:
        merged.update(json.load(handle))
with open("/tmp/lms-translations.json", "w", encoding="utf-8") as handle:
    json.dump(merged, handle, ensure_ascii=False)
PY
echo "Strings without a French translation:"
$PY scripts/po_fill.py locale/fr/LC_MESSAGES/django.po /tmp/lms-translations.json
$PY manage.py compilemessages --ignore=.venv --verbosity 0
