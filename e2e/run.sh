#!/usr/bin/env bash
# End-to-end tests of the real app: a real window under Xvfb, driven through
# tauri-driver and WebKitWebDriver, each test on a fresh temporary library.
# Screenshots of every step go to e2e/artifacts/ (not committed).
#
#   e2e/run.sh                      the test suite against the debug build
#   BRIEFPACK_E2E_ONLY=trash e2e/run.sh   only the tests whose name matches "trash"
#   BRIEFPACK_APP=… e2e/run.sh X    runs node script X (e.g. preview-bench.mjs) instead
set -euo pipefail
cd "$(dirname "$0")/.."
export BRIEFPACK_APP="${BRIEFPACK_APP:-$PWD/target/debug/briefpack-app}"
export BRIEFPACK_E2E_SCRIPT="${1:-}"
export BRIEFPACK_E2E_ONLY="${BRIEFPACK_E2E_ONLY:-}"
export BRIEFPACK_ARTIFACTS="$PWD/e2e/artifacts"
export BRIEFPACK_EXAMPLE="$PWD/briefings/mi5-threat-update-2025"
# Native file dialogs cannot be driven over WebDriver: an app built with the
# test-dialogs feature (`make build` does) takes these answers instead.
export BRIEFPACK_TEST_SAVE_PATH="$BRIEFPACK_ARTIFACTS/exported.pdf"
export BRIEFPACK_TEST_OPEN_PATH="$BRIEFPACK_ARTIFACTS/mi5-annual-threat-update.txt"
# The PDF "Trace a file…" picks; the distribution test puts a copy there first.
export BRIEFPACK_TEST_TRACE_PATH="$BRIEFPACK_ARTIFACTS/found-copy.pdf"
# The image "Choose logo…" picks on the House style screen.
export BRIEFPACK_TEST_LOGO_PATH="$BRIEFPACK_ARTIFACTS/new-crest.png"
# Links the app hands to the system land here instead of in a browser.
export BRIEFPACK_OPENED_LOG="$BRIEFPACK_ARTIFACTS/opened-links.txt"
rm -rf "$BRIEFPACK_ARTIFACTS"
mkdir -p "$BRIEFPACK_ARTIFACTS/bin"
cp crates/briefpack/tests/fixtures/import/seed-mi5-annual-threat-update.txt "$BRIEFPACK_TEST_OPEN_PATH"
cp crates/briefpack/tests/fixtures/house/northshire/logo.png "$BRIEFPACK_TEST_LOGO_PATH"
export BRIEFPACK_HOUSE_LIBRARY="$PWD/crates/briefpack/tests/fixtures/house/northshire"
# The opener plugin starts xdg-open (then gio and others); this one records what it was asked to open.
for opener in xdg-open gio; do
  printf '#!/bin/sh\nprintf "%%s\\n" "$*" >> "$BRIEFPACK_OPENED_LOG"\n' > "$BRIEFPACK_ARTIFACTS/bin/$opener"
  chmod +x "$BRIEFPACK_ARTIFACTS/bin/$opener"
done
PATH="$BRIEFPACK_ARTIFACTS/bin:$HOME/.cargo/bin:$PATH"

xvfb-run -a -s "-screen 0 1280x900x24" bash -c '
  tauri-driver --port 4444 --native-port 4445 > "$BRIEFPACK_ARTIFACTS/tauri-driver.log" 2>&1 &
  driver=$!
  for _ in $(seq 1 100); do
    if (echo > /dev/tcp/127.0.0.1/4444) 2>/dev/null; then break; fi
    sleep 0.1
  done
  set +e
  if [ -n "$BRIEFPACK_E2E_SCRIPT" ]; then
    (cd e2e && node "$BRIEFPACK_E2E_SCRIPT")
  else
    (cd e2e && node --test --test-concurrency=1 ${BRIEFPACK_E2E_ONLY:+--test-name-pattern="$BRIEFPACK_E2E_ONLY"} ./*.test.mjs)
  fi
  status=$?
  kill "$driver" 2>/dev/null
  wait "$driver" 2>/dev/null
  exit $status
'
