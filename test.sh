#!/usr/bin/env bash
# The test command (README "Test it", and what CI runs through .ci/run): installs what the tests need on a
# fresh machine (.ci/install-tools: WireMock and Prism from npm into .tools/, clang/zlib for the native AOT
# smoke test, Java and Node from Debian when missing; idempotent and quick when all is there), then runs
# every test project of the solution. Extra arguments go to `dotnet test` (e.g. -c Release, --filter ...).
set -euo pipefail
cd "$(dirname "$0")"
.ci/install-tools
exec dotnet test EventsBindings.sln "$@"
