#!/usr/bin/env bash
# The second command: set up everything and run every check and the whole test suite.
# DATABASE_URL chooses the database (SQLite by default; .ci/run also runs it on PostgreSQL).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SETUP_BROWSER=1 bash scripts/setup.sh
export DJANGO_SETTINGS_MODULE=lms.settings.test
PY=.venv/bin/python

echo "== lint (ruff)"
$PY -m ruff check .
$PY -m ruff format --check .
echo "== manage.py check"
$PY manage.py check
echo "== migrations are complete"
$PY manage.py makemigrations --check --dry-run
echo "== tests on ${DATABASE_URL:-SQLite}"
$PY -m pytest -n "${PYTEST_WORKERS:-2}" --dist load -q "$@"
