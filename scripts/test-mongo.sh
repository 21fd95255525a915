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
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

TESTS=(test/contract test/integration/mongo-store.test.ts)

run_suite() {
  echo "test-mongo: running the store contract suite against $1" >&2
  local code=0
  NODE_OPTIONS="--experimental-vm-modules --disable-warning=ExperimentalWarning" npx jest --verbose "${TESTS[@]}" "${@:2}" || code=$?
  return "$code"
}

if [[ -n ${MONGODB_URI:-} ]]; then
  run_suite "the MongoDB at MONGODB_URI" "$@"
  exit $?
fi

export DO_NOT_TRACK=1
BIN=$(bash scripts/ferretdb.sh build)
DATA=$(mktemp -d "${TMPDIR:-/tmp}/patchwarden-ferretdb.XXXXXX")
FERRET_PID=
stop() {
  if [[ -n $FERRET_PID ]] && kill -0 "$FERRET_PID" 2>/dev/null; then
    kill "$FERRET_PID" 2>/dev/null || true
    wait "$FERRET_PID" 2>/dev/null || true
  fi
  rm -rf "$DATA"
}
trap stop EXIT
trap 'exit 130' INT TERM

PORT=$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')
bash scripts/ferretdb.sh run "$PORT" "$DATA" >"$DATA/ferretdb.log" 2>&1 &
FERRET_PID=$!
export MONGODB_URI="mongodb://127.0.0.1:$PORT/"

# Ready when it answers a ping (up to 30 s); give up at once if it died.
if ! node -e '
  const { MongoClient } = require("mongoose").mongo;
  const [uri, pid] = [process.argv[1], Number(process.argv[2])];
  const deadline = Date.now() + 30_000;
  (async () => {
    for (;;) {
      try { process.kill(pid, 0); } catch { console.error("test-mongo: FerretDB exited"); process.exit(1); }
      const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500 });
      try { await client.db("admin").command({ ping: 1 }); process.exit(0); } catch {} finally { await client.close(); }
      if (Date.now() > deadline) { console.error("test-mongo: FerretDB did not answer within 30 s"); process.exit(1); }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
' "$MONGODB_URI" "$FERRET_PID"; then
  tail -n 40 "$DATA/ferretdb.log" >&2
  exit 1
fi

code=0
run_suite "FerretDB $($BIN --version | head -n 1 | cut -d' ' -f2) on 127.0.0.1:$PORT" "$@" || code=$?
if [[ $code -ne 0 ]]; then
  echo "test-mongo: failed; FerretDB's last log lines:" >&2
  tail -n 20 "$DATA/ferretdb.log" >&2
fi
exit "$code"
