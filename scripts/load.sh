#!/usr/bin/env bash
# Load test on the tiny fixture model: starts the hub on loopback (its own ports, a private PostgreSQL), opens N raw
# /tts connections with tools/VoxCpm.LoadGenerator, checks every request's audio against the same request run alone,
# and prints completed/failed, p50/p95/p99 time to first audio and the hub's resident memory before and after.
#   scripts/load.sh [--connections 200] [--rounds 3] [--duration-seconds 600] [--rss-interval-seconds 30] [--fixtures DIR]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

fixtures="$REPO_ROOT/../shared/fixtures/voxcpm-tiny"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fixtures) fixtures="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

ensure_database
dotnet build src/VoxCpm.Hub -c Release --nologo -v quiet >/dev/null
dotnet build tools/VoxCpm.LoadGenerator -c Release --nologo -v quiet >/dev/null
port=$((20000 + RANDOM % 20000))
TTS_MODEL_NAME="$(cd "$fixtures/v05" && pwd)" TTS_DEVICE=cpu TTS_HOST=127.0.0.1 TTS_PORT=$port TTS_WEB_PORT=$((port + 1)) \
  TTS_MAX_CONCURRENT="${TTS_MAX_CONCURRENT:-10}" TTS_QUEUE_LIMIT="${TTS_QUEUE_LIMIT:-1000}" TTS_LOG_LEVEL=WARNING TTS_METRICS_ENABLED=true \
  dotnet src/VoxCpm.Hub/bin/Release/net10.0/VoxCpm.Hub.dll >"$REPO_ROOT/artifacts/load-hub.log" 2>&1 &
hub=$!
trap 'kill $hub 2>/dev/null; wait $hub 2>/dev/null' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break
  sleep 1
done
curl -sf "http://127.0.0.1:$port/ready" >/dev/null || die "the hub did not become ready (see artifacts/load-hub.log)"
log "hub ready on port $port; RSS at start: $(grep VmRSS /proc/$hub/status | awk '{print $2, $3}')"
dotnet tools/VoxCpm.LoadGenerator/bin/Release/net10.0/voxcpm-load.dll --url "ws://127.0.0.1:$port/tts" --hub-pid "$hub" "${args[@]}"
status=$?
# The scheduler's own view: chunks it sent late, and how many requests each prefill and each step took.
curl -sf "http://127.0.0.1:$port/metrics" | grep -E '^voxcpm_(stream_underruns_total|scheduler_prefill_batch_size_(sum|count)|scheduler_batch_size_(sum|count)|scheduler_prefill_seconds_(sum|count)) ' \
  | sed 's/^/[load.sh] hub metric: /' || log "no /metrics (TTS_METRICS_ENABLED off?)"
log "RSS at end: $(grep VmRSS /proc/$hub/status | awk '{print $2, $3}')"
exit $status
