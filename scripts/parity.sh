#!/usr/bin/env bash
# Runs every parity case of a fixture directory (the layout of ../shared/fixtures/voxcpm-tiny) against the engine.
# Prints one line per case with its max abs error; exits non-zero when any case exceeds the tolerance (1e-4).
# usage: scripts/parity.sh FIXTURE_DIR [--threads N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -lt 1 ]; then
  echo "usage: scripts/parity.sh FIXTURE_DIR [--threads N]" >&2
  exit 2
fi
fixtures="$(cd "$1" && pwd)"
shift
dotnet build "$root/src/VoxCpm.Engine.Cli" -c Release --nologo -v quiet >/dev/null
exec dotnet "$root/src/VoxCpm.Engine.Cli/bin/Release/net10.0/voxcpm-engine.dll" parity "$fixtures" "$@"
