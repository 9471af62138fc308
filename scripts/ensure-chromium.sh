#!/usr/bin/env bash
# Makes sure a Chromium for the browser tests exists. Playwright cannot download its own browser on
# machines without general network access, so we use Debian's package (or whatever CHROMIUM_PATH names).
set -euo pipefail

if [ -n "${CHROMIUM_PATH:-}" ]; then
  if [ -x "$CHROMIUM_PATH" ]; then exit 0; fi
  echo "CHROMIUM_PATH is set to '$CHROMIUM_PATH', which is not an executable file." >&2
  exit 1
fi
if [ -x /usr/bin/chromium ]; then exit 0; fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi

cat >&2 <<'MSG'
The browser tests need Chromium, and none was found at /usr/bin/chromium.
Either install it (Debian/Ubuntu: sudo apt-get install chromium), or point CHROMIUM_PATH at one,
for example the browser `npx playwright install chromium` downloads.
MSG
exit 1
