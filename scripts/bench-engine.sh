#!/usr/bin/env bash
# Single-request engine speed: load time, time to first audio, real-time factor, steps/s and peak memory, on the
# tiny fixture model and on full-size random weights (the official 0.5B, 1.5 and 2 configs: same compute as the real
# model). Prints the numbers; never a test. Threads are the engine's own choice, as the hub runs it, unless --threads.
#   scripts/bench-engine.sh [--threads N] [--device cpu|cuda] [--steps N] [--quantize int8|int4] [--fixtures DIR]
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
[ -d "$fixtures" ] || die "fixture directory $fixtures not found (give --fixtures DIR)"

dotnet build src/VoxCpm.Engine.Cli -c Release --nologo -v quiet >/dev/null
cli=(dotnet "$REPO_ROOT/src/VoxCpm.Engine.Cli/bin/Release/net10.0/voxcpm-engine.dll")

log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
# What decides load time besides the code (docs/configuration.md, "Model load").
thp="$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || true)"
shm_free="$(df -h --output=avail /dev/shm 2>/dev/null | tail -1 | xargs || true)"
log "model load: GLIBC_TUNABLES=${GLIBC_TUNABLES:-unset}, transparent huge pages ${thp:-unknown}, /dev/shm free ${shm_free:-none}"
log "tiny fixture model (v05)"
"${cli[@]}" bench --model "$fixtures/v05" "${args[@]}"
for config in voxcpm-0.5b voxcpm1.5 voxcpm2; do
  log "full-size random weights: $config"
  "${cli[@]}" bench --random-weights "$fixtures/real-configs/$config.config.json" --tokenizer "$fixtures/v05/tokenizer.json" \
    --steps 12 --runs 2 "${args[@]}"
done
