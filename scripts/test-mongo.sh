#!/usr/bin/env bash
# The store contract suite (audit log + verify and GridFS evidence included) against MongoDB's wire protocol.
#
#   npm run test:mongo                        FerretDB v1.24.2 (SQLite back end) on a free local port, built
#                                             from the Go module proxy on first use (needs Go), then stopped
#   MONGODB_URI=mongodb://... npm run test:mongo   a MongoDB of yours instead (each run uses its own databases
#                                             and drops them)
#   npm run test:mongo -- -t 'job leases'     extra arguments go to jest
#
# The suite runs against SQLite too, in the same jest run, so the two columns of test names line up.
# Starting and stopping FerretDB is scripts/with-ferretdb.sh's.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

if [[ ${1:-} == --inside ]]; then
  shift
  echo "test-mongo: running the store contract suite against $FERRETDB_DESCRIPTION" >&2
  NODE_OPTIONS="--experimental-vm-modules --disable-warning=ExperimentalWarning" exec npx jest --verbose test/contract test/integration/mongo-store.test.ts "$@"
fi

exec bash scripts/with-ferretdb.sh bash scripts/test-mongo.sh --inside "$@"
