#!/usr/bin/env bash
# Runs the whole Mindspace test suite. Tests that need PostgreSQL start their own throwaway server
# from the Debian package's binaries (apt-get install postgresql); a missing server fails the run.
set -euo pipefail
cd "$(dirname "$0")"
# One test project at a time (-m:1): the cluster tests stop and kill silos under load and judge every call, and on
# 2 cores they should not share the machine with the HTTP suite.
exec dotnet test Mindspace.sln -m:1 --logger "trx" --logger "console;verbosity=minimal" "$@"
