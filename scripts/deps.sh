#!/usr/bin/env bash
# Installs what building and testing Briefpack needs on Debian/Ubuntu.
# Idempotent: installs only missing packages. Uses sudo when not root.
set -euo pipefail

APT_PACKAGES=(
  build-essential pkg-config   # C toolchain for -sys crates
  poppler-utils                # pdftotext/pdfinfo/pdffonts/pdftoppm/pdftocairo: PDF checks in tests
  python3-venv                 # .venv for the PDF/UA and PDF/A checkers (scripts/pdf-checkers.txt)
  qpdf                         # rewrites distributed copies in the tracing tests
  zbar-tools                   # zbarimg: QR codes in built PDFs decode to the right URLs
  fonts-noto-cjk fonts-noto-core  # installed fonts for Japanese and Arabic text (font fallback tests)
  # The desktop app (Tauri 2 on WebKitGTK):
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libxdo-dev libssl-dev file
  # Driving and looking at the real app in tests:
  xvfb xauth webkit2gtk-driver imagemagick
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

# Node packages, exactly as locked. npm ci re-installs from scratch, so skip it when
# node_modules already matches the lock file.
for dir in ui e2e; do
  if [ -f "$dir/package-lock.json" ]; then
    if ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.package-lock.json" 2>/dev/null; then
      (cd "$dir" && npm ci --no-audit --no-fund)
    fi
  fi
done

# The accessibility and archival checkers, pinned, in a project-local virtual environment.
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if ! cmp -s "$ROOT/scripts/pdf-checkers.txt" "$ROOT/.venv/pdf-checkers.txt" 2>/dev/null; then
  python3 -m venv "$ROOT/.venv"
  "$ROOT/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/scripts/pdf-checkers.txt"
  cp "$ROOT/scripts/pdf-checkers.txt" "$ROOT/.venv/pdf-checkers.txt"
fi

# tauri-driver bridges WebDriver to WebKitWebDriver for the end-to-end tests.
if ! command -v tauri-driver >/dev/null; then
  cargo install tauri-driver --version '^2' --locked
fi
