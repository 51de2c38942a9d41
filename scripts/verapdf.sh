#!/usr/bin/env bash
# Validates the example pack's archival builds with veraPDF (PDF/A-2a and PDF/UA-1) when it is
# installed. veraPDF is a Java program that is neither in Debian nor on the package registries
# this project can reach, so `make test` checks with pdfua and pikepdf.pdfa instead (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v verapdf >/dev/null; then
  echo "verapdf: veraPDF is not installed, so nothing was validated with it."
  echo "  Install it from https://verapdf.org/software/ (it needs Java 11 or later), put 'verapdf' on PATH"
  echo "  and run 'make verapdf' again. What 'make test' checks without it is listed in README.md."
  exit 0
fi
out=target/verapdf
mkdir -p "$out"
bin=target/debug/briefpack
pack=briefings/mi5-threat-update-2025
"$bin" build "$pack" --archival -o "$out/board.pdf"
"$bin" build "$pack" --archival --template training-handout --edition participant -o "$out/participant.pdf"
"$bin" build "$pack" --archival --template training-handout --edition facilitator -o "$out/facilitator.pdf"
status=0
for flavour in 2a ua1; do
  for pdf in "$out"/*.pdf; do
    if verapdf --flavour "$flavour" --format text "$pdf" | tee "$pdf.$flavour.txt" | grep -q '^PASS'; then
      echo "verapdf: $pdf passes $flavour"
    else
      echo "verapdf: $pdf FAILS $flavour (report: $pdf.$flavour.txt)"
      status=1
    fi
  done
done
exit $status
