#!/usr/bin/env bash
# The GPU check for a session that is lent a CUDA machine (about 8 minutes): float32 parity on the CPU provider (must
# stay 33/33 within 1e-4), the same parity cases with float16 graphs on CUDA (errors and which decisions still match;
# not expected to meet 1e-4), then single-request speed on full-size random weights with --device cuda --precision fp16
# (load, first audio, RTF, steps/s, peak memory). Each step has its own time limit; a failing step is reported and the
# next one still runs. Prints numbers only; never a test. Exit status: 1 when the float32 CPU parity fails.
#   scripts/gpu-check.sh [--fixtures DIR] [--no-build] [--threads N]
# --no-build: use the Release build already in src/VoxCpm.Engine.Cli/bin/Release (build it where NuGet is reachable and
# carry that folder when the GPU machine cannot restore packages).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

fixtures="${VOXCPM_FIXTURES:-$REPO_ROOT/../shared/fixtures/voxcpm-tiny}"
[ -d "$fixtures" ] || fixtures="$REPO_ROOT/shared/fixtures/voxcpm-tiny"
build=1
threads="$(nproc)"
while [ $# -gt 0 ]; do
  case "$1" in
    --fixtures) fixtures="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --threads) threads="$2"; shift 2 ;;
    *) die "unknown argument $1" ;;
  esac
done
[ -d "$fixtures" ] || die "fixture directory $fixtures not found (give --fixtures DIR)"

started=$SECONDS
step() { log "[$((SECONDS - started)) s] $*"; }

step "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
else
  log "nvidia-smi not found: the CUDA steps will report why CUDA cannot be used"
fi

if [ "$build" -eq 1 ]; then
  step "dotnet build -c Release (engine CLI)"
  timeout 240 dotnet build src/VoxCpm.Engine.Cli -c Release --nologo -v quiet >/dev/null || die "Release build failed"
fi
cli=(dotnet "$REPO_ROOT/src/VoxCpm.Engine.Cli/bin/Release/net10.0/voxcpm-engine.dll")
[ -f "${cli[1]}" ] || die "${cli[1]} not found (build first, or drop --no-build)"

step "parity: float32 on the CPU provider (must be 33/33 within 1e-4)"
cpu_status=0
timeout 120 "${cli[@]}" parity "$fixtures" --threads "$threads" --device cpu --precision fp32 || cpu_status=$?

step "parity cases: float16 graphs on CUDA (errors and decisions; 1e-4 is not expected)"
timeout 120 "${cli[@]}" parity "$fixtures" --threads "$threads" --device cuda --precision fp16 || log "fp16/CUDA parity exited $? (FAIL lines are expected: the tolerance is float32's)"

for config in voxcpm-0.5b voxcpm1.5; do
  step "bench: full-size random weights $config, --device cuda --precision fp16"
  timeout 150 "${cli[@]}" bench --random-weights "$fixtures/real-configs/$config.config.json" --tokenizer "$fixtures/v05/tokenizer.json" \
    --device cuda --precision fp16 --steps 25 --runs 3 --threads "$threads" || log "bench $config exited $?"
done

step "done"
[ "$cpu_status" -eq 0 ] || die "float32 CPU parity failed (exit $cpu_status)"
