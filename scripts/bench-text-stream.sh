#!/usr/bin/env bash
# Text-in streaming, measured as a voice agent meets it: one hub process (the tiny v05 fixture by default), then the
# samples/VoxCpm.Hub.LlmSpeech "LLM" (a timed word stream) speaking through ITextToSpeechClient, --runs times at each
# --words-per-second rate, each run followed by the same text sent whole. Prints, per run: time from the first phrase
# boundary being written to the first audio, the same for the whole text from its request, the playback underruns at
# the joins (playback starts with the first chunk), and the audio lengths.
#   scripts/bench-text-stream.sh [--words-per-second 4,12,40] [--runs 3] [--model DIR] [--fixtures DIR] [--text "..."]
# CONFIGURATION=Debug reuses a Debug build instead of building Release.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

fixtures="$REPO_ROOT/../shared/fixtures/voxcpm-tiny"
[ -d "$fixtures" ] || fixtures="${VOXCPM_FIXTURES:-$fixtures}"
model=""
rates="4,12,40"
runs=3
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fixtures) fixtures="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --words-per-second) rates="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
model="${model:-$fixtures/v05}"
[ -d "$model" ] || die "model directory $model not found (give --model DIR or --fixtures DIR)"
configuration="${CONFIGURATION:-Release}"

ensure_database
mkdir -p "$REPO_ROOT/artifacts"
dotnet build src/VoxCpm.Hub -c "$configuration" --nologo -v quiet >/dev/null
dotnet build samples/VoxCpm.Hub.LlmSpeech -c "$configuration" --nologo -v quiet >/dev/null
port=$((20000 + RANDOM % 20000))
TTS_MODEL_NAME="$(cd "$model" && pwd)" TTS_DEVICE="${TTS_DEVICE:-cpu}" TTS_HOST=127.0.0.1 TTS_PORT=$port TTS_WEB_PORT=$((port + 1)) \
  TTS_LOG_LEVEL=WARNING dotnet "src/VoxCpm.Hub/bin/$configuration/net10.0/VoxCpm.Hub.dll" >"$REPO_ROOT/artifacts/bench-text-stream-hub.log" 2>&1 &
hub=$!
trap 'kill $hub 2>/dev/null; wait $hub 2>/dev/null' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break
  kill -0 $hub 2>/dev/null || die "the hub exited (see artifacts/bench-text-stream-hub.log)"
  sleep 1
done
curl -sf "http://127.0.0.1:$port/ready" >/dev/null || die "the hub did not become ready (see artifacts/bench-text-stream-hub.log)"
log "hub ready on port $port (model $(basename "$model")); machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for rate in ${rates//,/ }; do
  for run in $(seq 1 "$runs"); do
    echo "## ${rate} words/s, run $run"
    dotnet "samples/VoxCpm.Hub.LlmSpeech/bin/$configuration/net10.0/VoxCpm.Hub.LlmSpeech.dll" --url "http://127.0.0.1:$port" \
      --words-per-second "$rate" --seed "$run" --compare "${args[@]}"
  done
done
