#!/bin/sh
# The performance suite. Builds the server, generates a data set of 20,000
# applications on SQLite and on PostgreSQL, starts the real server on each,
# drives it with a Go client and prints every goal as a ratio to a baseline
# measured in the same run. The report is also kept in test-artifacts/.
#
#   scripts/load.sh                      # both engines, the full run (about 5 minutes each)
#   scripts/load.sh -engine sqlite       # one engine
#   scripts/load.sh -apps 2000 -import 300 -duration 1s   # a quick look
#
# PostgreSQL: -postgres URL names a database the run may use to create and drop
# its own (default postgres://postgres@127.0.0.1:5432/postgres).
set -eu
cd "$(dirname "$0")/.."
mkdir -p test-artifacts
exec go run ./cmd/etalase-load -out "test-artifacts/load-$(date -u +%Y%m%dT%H%M%SZ).txt" "$@"
