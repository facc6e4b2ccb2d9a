# Shared helpers for scripts/*.sh. Source it; it sets REPO_ROOT and strict mode.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

# ONNX Runtime's large buffers (the prepacked weights) from transparent huge pages: one page fault per 2 MiB instead
# of per 4 KiB, which took about 2 s off a full-size model load on the 2-core VM (docs/configuration.md, "Model load").
# glibc reads it only at process start, so it is set here for every process the scripts start; a value already set wins.
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1}"

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

# The value of NAME in the repository's .env (last assignment wins), or nothing. Only for decisions the scripts
# make before the hub starts (which database to set up); the hub reads .env itself.
dotenv_value() {
  local file="$REPO_ROOT/.env"
  [ -f "$file" ] || return 0
  sed -n -E "s/^[[:space:]]*(export[[:space:]]+)?$1[[:space:]]*=[[:space:]]*//p" "$file" | tail -n 1 |
    sed -E "s/^\"(.*)\"$/\1/; s/^'(.*)'$/\1/"
}

HUB_PUBLISH_DIR="$REPO_ROOT/artifacts/hub"

# Builds the web UI and publishes the hub with it into artifacts/hub (wwwroot included).
publish_hub() {
  command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is required"
  command -v npm >/dev/null || die "Node.js and npm are required to build the web UI"
  log "building the web UI (client-web)"
  (cd "$REPO_ROOT/client-web" && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build) >&2
  rm -rf "$REPO_ROOT/src/VoxCpm.Hub/wwwroot"
  cp -r "$REPO_ROOT/client-web/dist" "$REPO_ROOT/src/VoxCpm.Hub/wwwroot"
  log "publishing the hub to ${HUB_PUBLISH_DIR#"$REPO_ROOT"/}"
  dotnet publish "$REPO_ROOT/src/VoxCpm.Hub/VoxCpm.Hub.csproj" -c Release -o "$HUB_PUBLISH_DIR" --nologo -v quiet >&2
}

# Exports TTS_DB_CONNECTION (and VOXCPM_TEST_DB): from the environment, else .env, else the private cluster.
ensure_database() {
  if [ -z "${TTS_DB_CONNECTION:-}" ]; then
    local from_dotenv
    from_dotenv="$(dotenv_value TTS_DB_CONNECTION)"
    [ -n "$from_dotenv" ] && export TTS_DB_CONNECTION="$from_dotenv"
  fi
  "$REPO_ROOT/scripts/setup-postgres.sh" >/dev/null
  load_connection_env
}
