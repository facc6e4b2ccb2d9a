# Shared helpers for scripts/*.sh. Source it; it sets REPO_ROOT and strict mode.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Runs apt-get non-interactively; refreshes the package lists once per script run, because a fresh machine
# (CI) has none and `apt-get install` would find nothing.
apt_install() {
  command -v apt-get >/dev/null || die "apt-get not found: install $* by hand"
  [ "$(id -u)" -eq 0 ] || die "installing $* needs root (apt-get); run as root or install it yourself"
  if [ -z "${VOXCPM_APT_UPDATED:-}" ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    export VOXCPM_APT_UPDATED=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Loads the connection strings written by setup-postgres.sh; values already in the environment win.
load_connection_env() {
  local file="$REPO_ROOT/.data/postgres/connection.env"
  [ -f "$file" ] || return 0
  local saved_db="${TTS_DB_CONNECTION:-}" saved_test="${VOXCPM_TEST_DB:-}"
  set -a
  # shellcheck disable=SC1090
  . "$file"
  set +a
  [ -n "$saved_db" ] && export TTS_DB_CONNECTION="$saved_db"
  [ -n "$saved_test" ] && export VOXCPM_TEST_DB="$saved_test"
  return 0
}
