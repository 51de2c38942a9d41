#!/usr/bin/env bash
# Fuzzes each target for a bounded time with cargo-fuzz (libFuzzer), seeded from
# the test fixtures, and prints the executions and crashes per target. Crash
# inputs land in fuzz/artifacts/TARGET/.
#
#   FUZZ_SECONDS=60        time per target
#   FUZZ_TARGETS="a b"     which targets (default: all ten)
#   FUZZ_SANITIZER=none    none (default: the code is safe Rust, and without
#                          AddressSanitizer each target runs 4-6 times faster) or address
#   FUZZ_MAX_LEN=16384     longest input tried; the limits tests cover huge inputs
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
TARGETS="${FUZZ_TARGETS:-pack_toml front_matter template pack_text markdown_pdf import_html import_text inline_nesting html_depth trace_pdf}"
SANITIZER="${FUZZ_SANITIZER:-none}"
MAX_LEN="${FUZZ_MAX_LEN:-16384}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
# The toolchain here is stable; cargo-fuzz needs nightly flags, which this unlocks.
export RUSTC_BOOTSTRAP=1

seed() { # target, files...
  local dir="fuzz/corpus/$1"; shift
  mkdir -p "$dir"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/$(echo "$f" | tr '/' '_')"; done
}
seed pack_toml crates/briefpack/tests/fixtures/packs/*/pack.toml crates/briefpack/tests/fixtures/malformed/*/pack.toml briefings/*/pack.toml
seed front_matter briefings/*/articles/*.md crates/briefpack/tests/fixtures/packs/*/articles/*.md crates/briefpack/tests/fixtures/malformed/*/articles/*.md
seed template crates/briefpack/tests/fixtures/packs/template-syntax-in-text/pack.toml
seed pack_text crates/briefpack/tests/fixtures/packs/template-syntax-in-text/pack.toml crates/briefpack/tests/fixtures/import/*.md
seed markdown_pdf crates/briefpack/tests/fixtures/markdown/*.md
seed import_html crates/briefpack/tests/fixtures/import/*.html
seed import_text crates/briefpack/tests/fixtures/import/*.txt /work/shared/seed/*.txt
# The nesting targets read bytes as operations; any file is a start, these are varied.
seed inline_nesting crates/briefpack/tests/fixtures/markdown/*.md
seed html_depth crates/briefpack/tests/fixtures/import/*.html
# A found copy: a small hand-made PDF with a copy identifier and a printed copy line.
seed trace_pdf fuzz/seeds/trace_pdf/*.pdf

printf '%-14s %14s %8s\n' target executions crashes
status=0
for target in $TARGETS; do
  log="fuzz/artifacts/$target.log"
  mkdir -p "fuzz/artifacts/$target"
  set +e
  (cd fuzz && cargo fuzz run --sanitizer "$SANITIZER" "$target" "corpus/$target" -- \
      -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 -rss_limit_mb=2048 -max_len="$MAX_LEN" -timeout=10 \
      -artifact_prefix="artifacts/$target/") > "$log" 2>&1
  code=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  crashes=$(find "fuzz/artifacts/$target" -type f \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' \) | wc -l)
  printf '%-14s %14s %8s\n' "$target" "${execs:-?}" "$crashes"
  if [ "$code" -ne 0 ] || [ "$crashes" -ne 0 ]; then status=1; fi
done
exit $status
