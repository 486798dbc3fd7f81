#!/usr/bin/env bash
# Shared set-up for the two commands in README.md: a virtual environment with the locked
# dependencies, system packages the platform needs, and compiled translation catalogues.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3}
"$PYTHON" - <<'PY' || { echo "Python 3.11 or newer is required (found $("$PYTHON" --version 2>&1))." >&2; exit 1; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY

apt_install() {
  # Installs Debian packages when they are missing; root or sudo is needed for that.
  local missing=()
  for spec in "$@"; do
    local cmd=${spec%%:*} pkg=${spec##*:}
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing system packages: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "Please install: ${missing[*]} (as root)." >&2; exit 1; }
    sudo="sudo"
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

apt_install msgfmt:gettext
[ "${SETUP_BROWSER:-0}" = "1" ] && apt_install chromium:chromium

if [ ! -x .venv/bin/python ]; then
  echo "Creating the virtual environment in .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.setup-stamp
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Installing dependencies from requirements.lock"
  # Some machines list local package folders that do not exist; pip's notes about them are noise.
  if ! .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock 2>&1 \
    | { grep -v "is ignored: it is neither a file nor a directory" || true; }; then
    echo "Installing the dependencies failed (see above)." >&2
    exit 1
  fi
  echo "$want" > "$stamp"
fi

.venv/bin/python manage.py compilemessages --ignore=.venv --verbosity 0
