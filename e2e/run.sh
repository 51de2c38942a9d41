#!/usr/bin/env bash
# End-to-end tests of the real app: a real window under Xvfb, driven through
# tauri-driver and WebKitWebDriver, each test on a fresh temporary library.
# Screenshots of every step go to e2e/artifacts/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
export BRIEFPACK_APP="$PWD/target/debug/briefpack-app"
export BRIEFPACK_ARTIFACTS="$PWD/e2e/artifacts"
export BRIEFPACK_EXAMPLE="$PWD/briefings/mi5-threat-update-2025"
# The native save dialog cannot be driven over WebDriver: the app takes this path instead.
export BRIEFPACK_TEST_SAVE_PATH="$BRIEFPACK_ARTIFACTS/exported.pdf"
rm -rf "$BRIEFPACK_ARTIFACTS"
mkdir -p "$BRIEFPACK_ARTIFACTS"
PATH="$HOME/.cargo/bin:$PATH"

xvfb-run -a -s "-screen 0 1280x900x24" bash -c '
  tauri-driver --port 4444 --native-port 4445 > "$BRIEFPACK_ARTIFACTS/tauri-driver.log" 2>&1 &
  driver=$!
  for _ in $(seq 1 100); do
    if (echo > /dev/tcp/127.0.0.1/4444) 2>/dev/null; then break; fi
    sleep 0.1
  done
  set +e
  (cd e2e && node --test --test-concurrency=1 ./*.test.mjs)
  status=$?
  kill "$driver" 2>/dev/null
  wait "$driver" 2>/dev/null
  exit $status
'
