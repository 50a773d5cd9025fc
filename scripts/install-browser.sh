#!/usr/bin/env bash
# Installs Debian's chromium for the end-to-end tests when it is missing (Playwright drives it;
# Playwright's own browser download is not used). Needs root or sudo, and Debian's package registry.
set -euo pipefail
# The colour emoji font: the app's status badges use emoji, which show as empty boxes without it.
if { command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; } \
   && [ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-browser: chromium is missing and this user cannot install it (run: apt-get install chromium)" >&2
    exit 1
  fi
fi
echo "install-browser: installing Debian's chromium for the end-to-end tests"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core fonts-noto-color-emoji >/dev/null
command -v chromium
