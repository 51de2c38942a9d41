#!/usr/bin/env bash
# Installs what building and testing Briefpack needs on Debian/Ubuntu.
# Idempotent: installs only missing packages. Uses sudo when not root.
set -euo pipefail

APT_PACKAGES=(
  build-essential pkg-config   # C toolchain for -sys crates
  poppler-utils                # pdftotext/pdfinfo/pdffonts/pdftoppm: PDF checks in tests
  zbar-tools                   # zbarimg: QR codes in built PDFs decode to the right URLs
)
# `make bench` also needs these.
if [ "${BENCH:-}" = 1 ]; then APT_PACKAGES+=(hyperfine time python3); fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "deps: installing ${missing[*]}"
  # apt exits 100 at once while another apt holds the lock: retry.
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    if $SUDO apt-get update -qq; then break; fi
    echo "deps: apt-get update failed (attempt $attempt), retrying in 6 s" >&2
    sleep 6
  done
  for attempt in 1 2 3 4 5; do
    if DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; then break; fi
    if [ "$attempt" = 5 ]; then echo "deps: apt-get install failed" >&2; exit 1; fi
    sleep 6
  done
fi

if ! command -v cargo >/dev/null; then
  echo "deps: cargo is missing; install Rust from your distribution or rustup, then re-run" >&2
  exit 1
fi

if [ -f ui/package.json ]; then
  (cd ui && npm ci --no-audit --no-fund)
fi
