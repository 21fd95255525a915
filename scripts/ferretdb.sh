#!/usr/bin/env bash
# FerretDB v1 (MongoDB's wire protocol over SQLite) for the mongo store's tests. Uses the installed Go, or fetches
# Go 1.24 from the Go module proxy with Node when there is none (scripts/go-toolchain.mjs); nothing else.
#
#   bash scripts/ferretdb.sh build           build the binary if it is not cached yet; print its path
#   bash scripts/ferretdb.sh run PORT DIR    run it in the foreground on 127.0.0.1:PORT with its data in DIR
#
# `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` builds a binary that panics at start
# ("Invalid build/version/version.txt": the module zip lacks the file its Makefile writes), so we build from the
# module source with that file written. The binary is cached in .cache/ferretdb/ (git-ignored), or
# $FERRETDB_CACHE_DIR, so only the first run pays for the build.
set -euo pipefail

FERRETDB_VERSION=v1.24.2
# The Go that builds it when none is installed (FerretDB's go.mod asks for 1.24).
GO_TOOLCHAIN=go1.24.3
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE_DIR=${FERRETDB_CACHE_DIR:-$ROOT/.cache/ferretdb}
BIN=$CACHE_DIR/ferretdb-$FERRETDB_VERSION

build() {
  if [[ -x $BIN ]]; then
    echo "$BIN"
    return
  fi
  local go=go
  if ! command -v go >/dev/null 2>&1; then
    # No Go here (a CI machine with only Node): fetch the toolchain from the Go module proxy, as GOTOOLCHAIN would.
    go=$(node "$ROOT/scripts/go-toolchain.mjs" "$GO_TOOLCHAIN" "$ROOT/.cache/go") || {
      echo "ferretdb.sh: Go is not installed and $GO_TOOLCHAIN could not be fetched from the Go module proxy." >&2
      echo "ferretdb.sh: install Go >= 1.24 (https://go.dev/dl/), or set MONGODB_URI to a running MongoDB." >&2
      exit 127
    }
  fi
  # Go's telemetry never uploads unless asked to; turn even its local counters off.
  "$go" telemetry off >/dev/null 2>&1 || true
  echo "ferretdb.sh: building FerretDB $FERRETDB_VERSION into $BIN with $("$go" version) (first run only)..." >&2
  local src_dir work
  src_dir=$(cd "${TMPDIR:-/tmp}" && "$go" mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" |
    node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => { const m = JSON.parse(s); if (m.Error) { console.error(m.Error); process.exit(1); } console.log(m.Dir); })')
  work=$(mktemp -d)
  # The module cache is read-only: build from a writable copy that carries the version file.
  cp -R "$src_dir/." "$work/"
  chmod -R u+w "$work"
  echo "$FERRETDB_VERSION" >"$work/build/version/version.txt"
  mkdir -p "$CACHE_DIR"
  (cd "$work" && "$go" build -buildvcs=false -trimpath -o "$BIN.tmp" ./cmd/ferretdb)
  mv "$BIN.tmp" "$BIN"
  rm -rf "$work"
  echo "$BIN"
}

run() {
  local port=$1 dir=$2
  # Telemetry off twice over: this machine has no internet and nothing may try to reach outside.
  DO_NOT_TRACK=1 exec "$(build)" \
    --handler=sqlite \
    --sqlite-url="file:$dir/" \
    --state-dir="$dir" \
    --listen-addr="127.0.0.1:$port" \
    --debug-addr=- \
    --telemetry=disable \
    --log-level="${FERRETDB_LOG_LEVEL:-warn}"
}

case "${1:-}" in
  build) build ;;
  run) run "${2:?port}" "${3:?data dir}" ;;
  *)
    echo "usage: bash scripts/ferretdb.sh build | run PORT DIR" >&2
    exit 2
    ;;
esac
