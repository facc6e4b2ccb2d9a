#!/usr/bin/env bash
# Builds everything and starts the VoxCPM hub in the foreground:
#   web UI (client-web) → hub published to artifacts/hub → PostgreSQL (setup-postgres.sh) → migrations → server.
# Needs only the .NET SDK and Node.js/npm (PostgreSQL is installed with apt-get if missing). All TTS_* variables
# pass through to the hub, and .env in the repository root is read too (real environment variables win).
# VOXCPM_SKIP_BUILD=1 reuses the last build in artifacts/hub.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

if [ "${VOXCPM_SKIP_BUILD:-}" != 1 ] || [ ! -f "$HUB_PUBLISH_DIR/VoxCpm.Hub.dll" ]; then
  publish_hub
fi
ensure_database
# TTS_DEVICE defaults to cuda (the seed's contract), which refuses to run without a GPU. On a machine with no NVIDIA
# device and no explicit choice (environment or .env), start on `auto` so the server comes up on the CPU.
if [ -z "${TTS_DEVICE:-}" ] && ! grep -qs '^TTS_DEVICE=' .env && [ ! -e /dev/nvidia0 ]; then
  log "no NVIDIA GPU found and TTS_DEVICE unset: using TTS_DEVICE=auto (CPU)"
  export TTS_DEVICE=auto
fi
log "applying migrations"
dotnet "$HUB_PUBLISH_DIR/VoxCpm.Hub.dll" --migrate
log "starting the hub (programmatic port ${TTS_PORT:-9300}, web UI http://localhost:${TTS_WEB_PORT:-9301})"
exec dotnet "$HUB_PUBLISH_DIR/VoxCpm.Hub.dll" "$@"
