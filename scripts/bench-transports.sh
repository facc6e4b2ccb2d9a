#!/usr/bin/env bash
# Raw /tts versus SignalR + MessagePack (/hubs/tts): one hub process, the same engine and the same workload (N
# concurrent streams × R rounds, the same texts and seeds) run once over each transport at every concurrency level.
# Prints a markdown table: requests/s, audio seconds per wall second, wire bytes (WebSocket message bytes received)
# per second and per audio second, p50/p95 time to first chunk and inter-chunk gap, and the SignalR/raw ratio of
# each. Every request's audio is also checked against the same request spoken alone (a mismatch counts as failed).
#   scripts/bench-transports.sh [--concurrency 1,16,64] [--rounds 5] [--trials 2] [--model DIR] [--fixtures DIR]
# --model: any checkpoint directory the hub loads (default: the tiny fixture v05, 16 kHz). The hub loads only real
# checkpoints; full-size random weights exist only in voxcpm-engine (scripts/bench.sh --full).
# TTS_MAX_CONCURRENT defaults to the highest concurrency, so every stream is in the batch rather than queued.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

fixtures="$REPO_ROOT/../shared/fixtures/voxcpm-tiny"
[ -d "$fixtures" ] || fixtures="${VOXCPM_FIXTURES:-$fixtures}"
model=""
concurrency="1,16,64"
rounds=5
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fixtures) fixtures="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
model="${model:-$fixtures/v05}"
[ -d "$model" ] || die "model directory $model not found (give --model DIR or --fixtures DIR)"
highest=$(tr ',' '\n' <<<"$concurrency" | sort -n | tail -n 1)

ensure_database
mkdir -p "$REPO_ROOT/artifacts"
dotnet build src/VoxCpm.Hub -c Release --nologo -v quiet >/dev/null
dotnet build tools/VoxCpm.LoadGenerator -c Release --nologo -v quiet >/dev/null
port=$((20000 + RANDOM % 20000))
TTS_MODEL_NAME="$(cd "$model" && pwd)" TTS_DEVICE="${TTS_DEVICE:-cpu}" TTS_HOST=127.0.0.1 TTS_PORT=$port TTS_WEB_PORT=$((port + 1)) \
  TTS_MAX_CONCURRENT="${TTS_MAX_CONCURRENT:-$highest}" TTS_QUEUE_LIMIT="${TTS_QUEUE_LIMIT:-1000}" TTS_LOG_LEVEL=WARNING \
  dotnet src/VoxCpm.Hub/bin/Release/net10.0/VoxCpm.Hub.dll >"$REPO_ROOT/artifacts/bench-transports-hub.log" 2>&1 &
hub=$!
trap 'kill $hub 2>/dev/null; wait $hub 2>/dev/null' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break
  kill -0 $hub 2>/dev/null || die "the hub exited (see artifacts/bench-transports-hub.log)"
  sleep 1
done
curl -sf "http://127.0.0.1:$port/ready" >/dev/null || die "the hub did not become ready (see artifacts/bench-transports-hub.log)"
log "hub ready on port $port (model $(basename "$model"), TTS_MAX_CONCURRENT=${TTS_MAX_CONCURRENT:-$highest}); machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet tools/VoxCpm.LoadGenerator/bin/Release/net10.0/voxcpm-load.dll --mode transports --url "ws://127.0.0.1:$port/tts" \
  --concurrency "$concurrency" --rounds "$rounds" "${args[@]}"
