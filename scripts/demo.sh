#!/usr/bin/env bash
# The first command: set up everything, load demo data, run the platform on SQLite.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
export DJANGO_SETTINGS_MODULE=lms.settings.dev
PY=.venv/bin/python
$PY manage.py migrate --noinput --verbosity 0
$PY manage.py collectstatic --noinput --verbosity 0
$PY manage.py demo_data >.demo-accounts.txt 2>demo-data.log || { cat demo-data.log >&2; exit 1; }

$PY manage.py db_worker >worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM

echo
echo "The platform runs at http://127.0.0.1:8000  (French: /fr/, English: /en/, admin: /admin/)"
cat .demo-accounts.txt
echo "Background worker: pid $worker (log: worker.log). Stop both with Ctrl+C."
echo
$PY manage.py runserver 127.0.0.1:8000
