#!/usr/bin/env bash
# Time and managed allocation per operation of the hot paths (BenchmarkDotNet, [MemoryDiagnoser]): one decode step of
# the tiny fixture model at batch 1 and 16, the raw /tts audio frame and the SignalR MessagePack audio chunk.
# Prints BenchmarkDotNet's table (the "Allocated" column is bytes per operation); never part of the tests.
#   scripts/bench-alloc.sh [--short] [--fixtures DIR] [BenchmarkDotNet args, e.g. --filter '*SendPath*']
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

fixtures="$REPO_ROOT/../shared/fixtures/voxcpm-tiny"
job=()
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fixtures) fixtures="$2"; shift 2 ;;
    --short) job=(--job short); shift ;;
    *) args+=("$1"); shift ;;
  esac
done
[ -d "$fixtures" ] || die "fixture directory $fixtures not found (give --fixtures DIR)"
[ ${#args[@]} -gt 0 ] || args=(--filter '*')

log "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet build benchmarks/VoxCpm.Benchmarks -c Release --nologo -v quiet >/dev/null
cd benchmarks/VoxCpm.Benchmarks/bin/Release/net10.0
VOXCPM_FIXTURES="$fixtures" dotnet VoxCpm.Benchmarks.dll "${job[@]}" "${args[@]}" --artifacts "$REPO_ROOT/benchmarks/VoxCpm.Benchmarks/BenchmarkDotNet.Artifacts"
