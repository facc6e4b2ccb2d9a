#!/usr/bin/env bash
# Makes sure Debian's python3 with its `websockets` package (python3-websockets) is installed: one xunit test runs
# the seed README's Python client example against a real hub. Python is a test-only client; the product and its
# build never use it. Debian's package, not pip: the closed network has no PyPI, and /usr/bin/python3 is the
# interpreter the test runs (a pyenv or venv python3 earlier on PATH would not see Debian's packages).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

has_websockets() { [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import websockets' 2>/dev/null; }

if has_websockets; then
  log "python3 $(/usr/bin/python3 -c 'import websockets; print("websockets", websockets.__version__)') is installed"
  exit 0
fi
apt_install python3-websockets
has_websockets || die "/usr/bin/python3 cannot import websockets after apt-get install python3-websockets"
log "installed $(/usr/bin/python3 -c 'import websockets; print("python3-websockets", websockets.__version__)')"
