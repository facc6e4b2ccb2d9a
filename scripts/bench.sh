#!/usr/bin/env bash
# Scheduler throughput with 1, 4, 16 and 64 concurrent requests: aggregate audio seconds per wall second (and the
# ratio to 1 request), p50/p95 time to first audio, per-request RTF and the time spent outside ONNX Runtime.
# Tiny fixture model by default; full-size random weights with --full (slow on a CPU; meant for a GPU).
#   scripts/bench.sh [--full] [--threads N] [--device cpu|cuda] [--concurrency 1,4,16,64] [--repeat N] [--fixtures DIR]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

fixtures="$REPO_ROOT/../shared/fixtures/voxcpm-tiny"
full=0
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fixtures) fixtures="$2"; shift 2 ;;
    --full) full=1; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
[ -d "$fixtures" ] || die "fixture directory $fixtures not found (give --fixtures DIR)"

dotnet build src/VoxCpm.Engine.Cli -c Release --nologo -v quiet >/dev/null
cli=(dotnet "$REPO_ROOT/src/VoxCpm.Engine.Cli/bin/Release/net10.0/voxcpm-engine.dll")
log "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$full" -eq 1 ]; then
  "${cli[@]}" bench-scheduler --random-weights "$fixtures/real-configs/voxcpm-0.5b.config.json" --tokenizer "$fixtures/v05/tokenizer.json" --steps 10 "${args[@]}"
else
  # A tiny-model level lasts a fraction of a second: the median of nine runs keeps a busy moment of a shared machine,
  # or a garbage collection, out of the figures (the range column still shows them).
  repeat=(--repeat 9)
  case " ${args[*]-} " in *" --repeat "*) repeat=() ;; esac
  "${cli[@]}" bench-scheduler --model "$fixtures/v05" "${repeat[@]}" "${args[@]}"
fi
