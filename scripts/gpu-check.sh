#!/usr/bin/env bash
# The GPU check for a session that is lent a CUDA machine: float32 parity on the CPU provider (must stay 33/33 within
# 1e-4), the same parity cases with float16 graphs on CUDA (errors and which decisions still match; not expected to meet
# 1e-4), a per-module profile of one decode step at batch 1 and 16, single-request speed and the batching scheduler
# (1, 4, 16, 64 concurrent) on full-size random weights with --device cuda. Each step has its own time limit; a failing
# step is reported and the next one still runs. Prints numbers only; never a test. Exit status: 1 when the float32 CPU
# parity fails.
#   scripts/gpu-check.sh [--fixtures DIR] [--cli DIR] [--threads N] [--configs "voxcpm-0.5b voxcpm1.5 voxcpm2"]
# --cli DIR: a self-contained `voxcpm-engine` published elsewhere (the GPU machine has no .NET SDK and no NuGet):
#   dotnet publish src/VoxCpm.Engine.Cli -c Release -r linux-x64 --self-contained -p:InvariantGlobalization=true -o DIR
# Without --cli the engine CLI is built here (needs the SDK). CUDA 13 libraries (cuBLAS, cudart, cuRAND) are looked up
# under /usr/local/cuda* and Python's nvidia-* wheels when the loader does not already find them.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

fixtures="${VOXCPM_FIXTURES:-$REPO_ROOT/../shared/fixtures/voxcpm-tiny}"
[ -d "$fixtures" ] || fixtures="$REPO_ROOT/shared/fixtures/voxcpm-tiny"
cli_dir=""
threads="$(nproc)"
configs="voxcpm-0.5b voxcpm1.5 voxcpm2"
while [ $# -gt 0 ]; do
  case "$1" in
    --fixtures) fixtures="$2"; shift 2 ;;
    --cli) cli_dir="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --configs) configs="$2"; shift 2 ;;
    *) die "unknown argument $1" ;;
  esac
done
[ -d "$fixtures" ] || die "fixture directory $fixtures not found (give --fixtures DIR)"

started=$SECONDS
step() { log "[$((SECONDS - started)) s] $*"; }

# Adds the folders holding CUDA 13's user-space libraries to the loader path (ORT's CUDA provider links them).
find_cuda_libraries() {
  local lib dirs=()
  for lib in libcublasLt.so.13 libcublas.so.13 libcudart.so.13 libcurand.so.10 libcudnn.so.9; do
    ldconfig -p 2>/dev/null | grep -q "$lib" && continue
    local found
    found="$(find /usr/local /opt /usr/lib -name "$lib" -print -quit 2>/dev/null || true)"
    [ -n "$found" ] && dirs+=("$(dirname "$found")")
  done
  if [ ${#dirs[@]} -gt 0 ]; then
    LD_LIBRARY_PATH="$(printf '%s:' "${dirs[@]}" | tr -s ':')${LD_LIBRARY_PATH:-}"
    export LD_LIBRARY_PATH
  fi
  log "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
}

step "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv,noheader || true
else
  log "nvidia-smi not found: the CUDA steps will report why CUDA cannot be used"
fi
find_cuda_libraries

if [ -n "$cli_dir" ]; then
  cli=("$cli_dir/voxcpm-engine")
  [ -x "${cli[0]}" ] || die "${cli[0]} not found or not executable"
  ldconfig -p 2>/dev/null | grep -q libicuuc || export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
else
  step "dotnet build -c Release (engine CLI)"
  timeout 240 dotnet build src/VoxCpm.Engine.Cli -c Release --nologo -v quiet >/dev/null || die "Release build failed"
  cli=(dotnet "$REPO_ROOT/src/VoxCpm.Engine.Cli/bin/Release/net10.0/voxcpm-engine.dll")
fi

step "parity: float32 on the CPU provider (must be 33/33 within 1e-4)"
cpu_status=0
timeout 120 "${cli[@]}" parity "$fixtures" --threads "$threads" --device cpu --precision fp32 || cpu_status=$?

step "parity cases: float16 graphs on CUDA (errors and decisions; 1e-4 is not expected)"
timeout 120 "${cli[@]}" parity "$fixtures" --threads "$threads" --device cuda --precision fp16 || log "fp16/CUDA parity exited $? (FAIL lines are expected: the tolerance is float32's)"

tokenizer="$fixtures/v05/tokenizer.json"
random() { printf '%s\n' --random-weights "$fixtures/real-configs/$1.config.json" --tokenizer "$tokenizer" --device cuda --threads "$threads"; }

for run in "1 off" "1 on" "16 on" "64 on"; do
  set -- $run
  step "profile: voxcpm-0.5b, one decode step at batch $1, CUDA, cuda graphs $2"
  # shellcheck disable=SC2046
  timeout 150 "${cli[@]}" profile $(random voxcpm-0.5b) --batch "$1" --cuda-graphs "$2" || log "profile exited $?"
done

for config in $configs; do
  step "bench: one request, full-size random weights $config, CUDA"
  # shellcheck disable=SC2046
  timeout 150 "${cli[@]}" bench $(random "$config") --steps 50 --runs 3 || log "bench $config exited $?"
  step "bench-scheduler: $config, CUDA"
  # shellcheck disable=SC2046
  timeout 200 "${cli[@]}" bench-scheduler $(random "$config") --concurrency 1,4,16,64 --steps 50 || log "bench-scheduler $config exited $?"
done

nvidia-smi --query-gpu=memory.used --format=csv,noheader 2>/dev/null || true
step "done"
[ "$cpu_status" -eq 0 ] || die "float32 CPU parity failed (exit $cpu_status)"
