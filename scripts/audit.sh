#!/usr/bin/env bash
# Offline by construction: the core library and the CLI must not depend on any
# crate that does network I/O. Lists the dependency trees and fails on a match.
set -euo pipefail
cd "$(dirname "$0")/.."
NETWORK='^(reqwest|hyper|hyper-util|ureq|curl|curl-sys|isahc|surf|attohttpc|h2|tokio-rustls|native-tls|rustls|openssl|tungstenite|websocket|quinn)$'
status=0
for pkg in briefpack briefpack-cli; do
  found=$(cargo tree -p "$pkg" -e normal --prefix none --format '{p}' | awk '{print $1}' | sort -u | grep -E "$NETWORK" || true)
  if [ -n "$found" ]; then
    echo "audit: $pkg depends on network crates: $found" >&2
    status=1
  else
    echo "audit: $pkg: no network crates in $(cargo tree -p "$pkg" -e normal --prefix none | sort -u | wc -l) dependencies"
  fi
done
exit $status
