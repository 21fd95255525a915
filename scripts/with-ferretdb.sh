#!/usr/bin/env bash
# Runs a command with MONGODB_URI set: the caller's MongoDB when MONGODB_URI is already set, else FerretDB v1.24.2
# (scripts/ferretdb.sh: built from the Go module proxy on first use, cached in .cache/) started on a free
# 127.0.0.1 port with its data in a temp folder, stopped and removed when the command ends. Exits with the
# command's status; on failure, FerretDB's last log lines go to stderr.
#
#   bash scripts/with-ferretdb.sh npx jest test/contract
#   The command sees FERRETDB_DESCRIPTION ("FerretDB <version> on 127.0.0.1:<port>", or "the MongoDB at MONGODB_URI").
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

if [[ -n ${MONGODB_URI:-} ]]; then
  export FERRETDB_DESCRIPTION="the MongoDB at MONGODB_URI"
  exec "$@"
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
      try { process.kill(pid, 0); } catch { console.error("with-ferretdb: FerretDB exited"); process.exit(1); }
      const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500 });
      try { await client.db("admin").command({ ping: 1 }); process.exit(0); } catch {} finally { await client.close(); }
      if (Date.now() > deadline) { console.error("with-ferretdb: FerretDB did not answer within 30 s"); process.exit(1); }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
' "$MONGODB_URI" "$FERRET_PID"; then
  tail -n 40 "$DATA/ferretdb.log" >&2
  exit 1
fi

export FERRETDB_DESCRIPTION="FerretDB $($BIN --version | head -n 1 | cut -d' ' -f2) on 127.0.0.1:$PORT"
code=0
"$@" || code=$?
if [[ $code -ne 0 ]]; then
  # Its warnings and errors, without the noise every client's close makes (endSessions, connections reset).
  echo "with-ferretdb: failed; FerretDB's last warnings and errors:" >&2
  grep -E 'WARN|ERROR|DPANIC|PANIC|FATAL' "$DATA/ferretdb.log" | grep -vE "endSessions|Connection stopped|Response (header|message)" | tail -n 20 >&2 || true
fi
exit "$code"
