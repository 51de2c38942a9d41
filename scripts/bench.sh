#!/usr/bin/env bash
# Times `briefpack build` (release) on generated documents of about 2, 20 and 200 pages:
# wall time (hyperfine, mean of repeated runs), peak memory (/usr/bin/time), PDF size and pages.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/bench
mkdir -p "$out"
cargo build --release -q -p briefpack-cli --example bench_doc
cargo build --release -q -p briefpack-cli
bin=target/release/briefpack
printf '%-8s %7s %12s %10s %10s %6s\n' doc pages "wall (ms)" "± (ms)" "peak MB" "KB"
for n in 2 20 200; do
  md="$out/bench-$n.md"; pdf="$out/bench-$n.pdf"
  target/release/examples/bench_doc "$n" > "$md"
  hyperfine -N --warmup 2 --runs 10 --export-json "$out/bench-$n.json" "$bin build $md -o $pdf" >/dev/null 2>&1
  read -r mean sd < <(python3 -c "import json,sys; r=json.load(open('$out/bench-$n.json'))['results'][0]; print(round(r['mean']*1000,1), round(r['stddev']*1000,1))")
  peak=$(/usr/bin/time -f %M "$bin" build "$md" -o "$pdf" 2>&1 >/dev/null | tail -1)
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  kb=$(( $(stat -c %s "$pdf") / 1024 ))
  printf '%-8s %7s %12s %10s %10s %6s\n' "$n-page" "$pages" "$mean" "$sd" "$(( peak / 1024 ))" "$kb"
done
