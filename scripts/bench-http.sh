#!/usr/bin/env bash
# Time to first byte and total time of the synchronous HTTP synthesis endpoints (POST /api/tts and
# POST /v1/audio/speech) for one short text, one request at a time, with curl against a real hub process.
# Prints a markdown table: p50 / min / max of time to first byte and of total time per endpoint.
#   scripts/bench-http.sh [--requests 10] [--text "..."] [--configuration Release|Debug] [--model DIR] [--fixtures DIR]
# The database is TTS_DB_CONNECTION when set, else the private cluster (scripts/setup-postgres.sh).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

fixtures="${VOXCPM_FIXTURES:-$REPO_ROOT/../shared/fixtures/voxcpm-tiny}"
model=""
requests=10
text="Hello, this is a short test."
configuration=Release
while [ $# -gt 0 ]; do
  case "$1" in
    --fixtures) fixtures="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    --text) text="$2"; shift 2 ;;
    --configuration) configuration="$2"; shift 2 ;;
    *) die "unknown argument $1" ;;
  esac
done
model="${model:-$fixtures/v05}"
[ -d "$model" ] || die "model directory $model not found (give --model DIR, --fixtures DIR or set VOXCPM_FIXTURES)"
command -v curl >/dev/null || die "curl is required"

[ -n "${TTS_DB_CONNECTION:-}" ] || ensure_database
mkdir -p "$REPO_ROOT/artifacts"
dotnet build src/VoxCpm.Hub -c "$configuration" --nologo -v quiet >/dev/null
port=$((20000 + RANDOM % 20000))
TTS_MODEL_NAME="$(cd "$model" && pwd)" TTS_DEVICE="${TTS_DEVICE:-cpu}" TTS_HOST=127.0.0.1 TTS_PORT=$port TTS_WEB_PORT=$((port + 1)) \
  TTS_LOG_LEVEL=WARNING dotnet "src/VoxCpm.Hub/bin/$configuration/net10.0/VoxCpm.Hub.dll" >"$REPO_ROOT/artifacts/bench-http-hub.log" 2>&1 &
hub=$!
trap 'kill $hub 2>/dev/null; wait $hub 2>/dev/null' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break
  kill -0 $hub 2>/dev/null || die "the hub exited (see artifacts/bench-http-hub.log)"
  sleep 1
done
curl -sf "http://127.0.0.1:$port/ready" >/dev/null || die "the hub did not become ready (see artifacts/bench-http-hub.log)"
log "hub ready on port $port (model $(basename "$model"), $configuration); machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# One line per request: time to first byte and total, in milliseconds.
measure() {
  local path="$1" body="$2"
  curl -sS -o /dev/null -w '%{http_code} %{time_starttransfer} %{time_total}\n' -H 'Content-Type: application/json' \
    --data "$body" "http://127.0.0.1:$port$path" |
    awk '$1 != 200 { print "HTTP " $1 > "/dev/stderr"; exit 1 } { printf "%.1f %.1f\n", $2 * 1000, $3 * 1000 }'
}

# p50, min and max of one column of the samples.
stats() { sort -n | awk '{ v[NR] = $1 } END { printf "%.0f | %.0f | %.0f", v[int((NR + 1) / 2)], v[1], v[NR] }'; }

echo "| endpoint | requests | TTFB p50 ms | TTFB min | TTFB max | total p50 ms | total min | total max |"
echo "|---|---|---|---|---|---|---|---|"
escaped=$(printf '%s' "$text" | sed 's/\\/\\\\/g; s/"/\\"/g')
for endpoint in /api/tts /v1/audio/speech; do
  if [ "$endpoint" = /api/tts ]; then body="{\"text\":\"$escaped\",\"seed\":1}"; else body="{\"input\":\"$escaped\"}"; fi
  measure "$endpoint" "$body" >/dev/null # warm-up: first request of the endpoint
  samples=$(for _ in $(seq 1 "$requests"); do measure "$endpoint" "$body"; done)
  echo "| \`POST $endpoint\` | $requests | $(cut -d' ' -f1 <<<"$samples" | stats) | $(cut -d' ' -f2 <<<"$samples" | stats) |"
done
