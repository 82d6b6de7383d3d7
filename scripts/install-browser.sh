#!/usr/bin/env bash
# Installs what the dashboard's browser tests need: Debian's Chromium and its driver, and the Playwright
# client library (which drives /usr/bin/chromium; `playwright install` is never run: no browser downloads).
set -euo pipefail

if [ ! -x /usr/bin/chromium ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q --no-install-recommends chromium chromium-driver fonts-noto-core
fi
python -m pip install -q "playwright>=1.40"
