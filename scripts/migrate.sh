#!/usr/bin/env bash
# Applies the database migrations once and exits (the hub also applies them at start-up). Uses TTS_DB_CONNECTION,
# else .env's, else the private cluster of scripts/setup-postgres.sh. Publishes the hub first if needed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

[ -f "$HUB_PUBLISH_DIR/VoxCpm.Hub.dll" ] || publish_hub
ensure_database
log "applying migrations"
dotnet "$HUB_PUBLISH_DIR/VoxCpm.Hub.dll" --migrate
