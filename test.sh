#!/usr/bin/env bash
# Runs the whole Mindspace test suite. Tests that need PostgreSQL start their own throwaway server
# from the Debian package's binaries (apt-get install postgresql); a missing server fails the run.
set -euo pipefail
cd "$(dirname "$0")"
exec dotnet test Mindspace.sln --logger "trx" --logger "console;verbosity=minimal" "$@"
