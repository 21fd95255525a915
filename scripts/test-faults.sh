#!/usr/bin/env bash
# The fault suite (test/faults, see its README): every case on SQLite, then the cases whose outcome depends on the
# store again on MongoDB's wire protocol (FerretDB, started by scripts/with-ferretdb.sh; or the MongoDB at
# MONGODB_URI). Its last line adds up both runs:
#
#   faults injected: N, survived: N, data lost: 0 (seed S: FAULTS_SEED=S npm run test:faults replays it)
#
# and it exits non-zero unless every injected fault was survived with nothing lost and both runs passed.
#   npm run test:faults                     both runs
#   FAULTS_SEED=123 npm run test:faults     replay a printed seed (mutated deliveries, kill points)
#   npm run test:faults -- -t 'kill -9'     extra arguments go to both jest runs
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

FAULTS_TALLY_DIR=$(mktemp -d "${TMPDIR:-/tmp}/patchwarden-faults.XXXXXX")
export FAULTS_TALLY_DIR
trap 'rm -rf "$FAULTS_TALLY_DIR"' EXIT
export NODE_OPTIONS="--experimental-vm-modules --disable-warning=ExperimentalWarning"
# One seed for both runs and every worker, so that the line at the end replays all of it.
if [[ -z ${FAULTS_SEED:-} ]]; then FAULTS_SEED=$(node -e 'console.log(1 + require("node:crypto").randomInt(2 ** 31 - 1))'); fi
export FAULTS_SEED

# The cases whose outcome depends on the store (crashes, replicas, evidence files); the rest run on SQLite only.
STORE_BOUND=(test/faults/crash-restart.faults.ts test/faults/replicas.faults.ts test/faults/evidence-uploads.faults.ts)

echo "--- test:faults: every case, on SQLite" >&2
env -u MONGODB_URI npx jest -c jest.faults.config.js "$@"
sqlite=$?

echo "--- test:faults: the store-bound cases, on MongoDB's wire protocol" >&2
bash scripts/with-ferretdb.sh bash -c 'echo "--- test:faults: against $FERRETDB_DESCRIPTION" >&2; exec "$@"' _ npx jest -c jest.faults.config.js "${STORE_BOUND[@]}" "$@"
mongo=$?

node scripts/faults-summary.mjs "$FAULTS_TALLY_DIR" "$FAULTS_SEED" "$sqlite" "$mongo"
