#!/usr/bin/env bash
# Makes sure Debian's Chromium (and ChromeDriver) is installed for the browser e2e test. Playwright's own browser
# download cannot work here (closed network); playwright-core drives this system Chromium instead.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ -x /usr/bin/chromium ]; then
  log "$(/usr/bin/chromium --version 2>/dev/null || echo chromium) is installed"
  exit 0
fi
apt_install chromium chromium-driver
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is still missing after apt-get install"
log "installed $(/usr/bin/chromium --version 2>/dev/null)"
