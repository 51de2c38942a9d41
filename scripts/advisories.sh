#!/usr/bin/env bash
# Known-vulnerability check of the locked dependencies: `cargo audit` (RustSec
# advisory database) for Cargo.lock, `npm audit` for the UI's and the e2e
# harness's package-lock.json. Both need the network (the RustSec database is a
# git repository on github.com; npm asks the registry's audit endpoint), so this
# is not part of `make test`: run it on a connected machine before a release.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo-audit >/dev/null || cargo install --locked cargo-audit || exit 2

status=0
echo "== cargo audit (Cargo.lock)"
if ! out=$(cargo audit --deny warnings 2>&1); then
  echo "$out"
  if grep -qiE "fetch|resolve|network|git" <<<"$out" && ! grep -q "Vulnerable crates found" <<<"$out"; then
    echo "advisories: could not fetch the RustSec advisory database (github.com unreachable?)" >&2
    status=2
  else
    status=1
  fi
else
  echo "$out" | tail -3
fi

for dir in ui e2e; do
  echo "== npm audit ($dir/package-lock.json)"
  if ! out=$(cd "$dir" && npm audit --omit=dev 2>&1); then
    echo "$out" | tail -15
    if grep -qE "audit endpoint returned an error|ENOTFOUND|ECONNREFUSED|405" <<<"$out"; then
      echo "advisories: the npm registry's audit endpoint did not answer" >&2
      [ $status -eq 0 ] && status=2
    else
      status=1
    fi
  else
    echo "$out" | tail -2
  fi
done
# 0: no known advisories; 1: advisories found; 2: a database could not be reached.
exit $status
