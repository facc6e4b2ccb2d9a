#!/usr/bin/env bash
# The one test command: every check CI runs, in order, stopping at the first failure.
#   PostgreSQL (setup-postgres.sh), Redis (setup-redis.sh), Chromium (setup-chromium.sh), ffmpeg (setup-ffmpeg.sh)
#   and python3-websockets (setup-python-client.sh) → web UI build → dotnet build (warnings are errors) → dotnet format whitespace check
#   → dotnet test (all xunit projects) → browser e2e test.
# Ends with one "N passed, N failed" line over all runners.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

LOG_DIR="$REPO_ROOT/artifacts/test-logs"
rm -rf "$LOG_DIR" && mkdir -p "$LOG_DIR"
started=$SECONDS
step() { log "== $* ($((SECONDS - started)) s)"; }

step "PostgreSQL"
# Tests create and drop their own databases: on VOXCPM_TEST_DB when set, else on the private cluster, never on
# a TTS_DB_CONNECTION meant for the server.
if [ -z "${VOXCPM_TEST_DB:-}" ]; then
  TTS_DB_CONNECTION= "$REPO_ROOT/scripts/setup-postgres.sh" >/dev/null
  load_connection_env
fi
export VOXCPM_TEST_DB

step "Redis"
# The scale-out tests run two hub nodes on one SignalR backplane: a private redis-server (setup-redis.sh).
if [ -z "${VOXCPM_TEST_REDIS:-}" ]; then
  VOXCPM_TEST_REDIS="$("$REPO_ROOT/scripts/setup-redis.sh")"
fi
export VOXCPM_TEST_REDIS

# The parity fixtures and the seed README live beside the checkout (../shared). A clone made elsewhere (e.g. a
# temporary directory) names them through VOXCPM_FIXTURES and VOXCPM_SEED_README, which the tests honour, or
# finds them beside the local checkout it was cloned from.
if [ ! -d "$REPO_ROOT/../shared" ]; then
  origin="$(git -C "$REPO_ROOT" remote get-url origin 2>/dev/null || true)"
  if [ -n "$origin" ] && [ -d "$origin/../shared/fixtures" ]; then
    shared="$(cd "$origin/../shared" && pwd)"
    log "shared test material found beside the origin checkout: $shared"
    export VOXCPM_FIXTURES="${VOXCPM_FIXTURES:-$shared/fixtures/voxcpm-tiny}"
    export VOXCPM2_FIXTURES="${VOXCPM2_FIXTURES:-$shared/fixtures/voxcpm2-tiny}"
    export VOXCPM_SEED_README="${VOXCPM_SEED_README:-$shared/seed/voxcpm-tts-server-README.md}"
  fi
fi
if [ ! -d "$REPO_ROOT/../shared" ] && { [ -z "${VOXCPM_FIXTURES:-}" ] || [ -z "${VOXCPM_SEED_README:-}" ]; }; then
  die "the shared test material is not beside the checkout ($REPO_ROOT/../shared): set VOXCPM_FIXTURES (the voxcpm-tiny fixtures directory) and VOXCPM_SEED_README (the seed server's README)"
fi

step "Chromium"
"$REPO_ROOT/scripts/setup-chromium.sh"

step "ffmpeg (FLAC/M4A in, mp3/aac/flac out; the codec tests make their files with it)"
"$REPO_ROOT/scripts/setup-ffmpeg.sh"

step "python3-websockets (the seed README's Python client, a test-only client)"
"$REPO_ROOT/scripts/setup-python-client.sh"

step "web UI: npm ci, lint (tsc strict + eslint), build"
(cd client-web && npm ci --no-audit --no-fund --loglevel=error && npm run --silent lint && npm run --silent build)

step "web UI unit tests (vitest)"
(cd client-web && npx vitest run --reporter=tap-flat) 2>&1 | tee "$LOG_DIR/vitest.log"

step "dotnet build"
dotnet build VoxCpm.Hub.sln --nologo -v quiet

# Code style and analyzers are enforced by the build itself (EnforceCodeStyleInBuild, warnings as errors); the
# full `dotnet format --verify-no-changes` repeats that work at about four times the cost, so only whitespace here.
step "dotnet format whitespace --verify-no-changes"
dotnet format whitespace VoxCpm.Hub.sln --verify-no-changes

step "dotnet test"
dotnet test VoxCpm.Hub.sln --no-build --nologo 2>&1 | tee "$LOG_DIR/dotnet-test.log"

step "browser e2e test"
(cd client-web && npm run --silent test:e2e) 2>&1 | tee "$LOG_DIR/e2e.log"

# TAP lines of the vitest run.
count() { grep -c "$1" "$2" || true; }

# Adds up the numbers after a pattern such as "Passed: 32" in one log.
sum() { awk -v re="$1" 'match($0, re) { s = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", s); t += s } END { print t + 0 }' "$2"; }
passed=$(($(sum 'Passed: +[0-9]+' "$LOG_DIR/dotnet-test.log") + $(sum '^# pass [0-9]+' "$LOG_DIR/e2e.log") + $(count '^ok ' "$LOG_DIR/vitest.log")))
failed=$(($(sum 'Failed: +[0-9]+' "$LOG_DIR/dotnet-test.log") + $(sum '^# fail [0-9]+' "$LOG_DIR/e2e.log") + $(count '^not ok ' "$LOG_DIR/vitest.log")))
step "done"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
