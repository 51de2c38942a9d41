#!/usr/bin/env bash
# Times `briefpack build` (release) on generated documents of about 2, 20 and 200 pages and a
# mixed one of about 250:
# wall time (hyperfine, mean of repeated runs), peak memory (/usr/bin/time), PDF size and pages.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/bench
mkdir -p "$out"
cargo build --release -q -p briefpack-cli --example bench_doc
cargo build --release -q -p briefpack-cli
bin=target/release/briefpack
printf '%-8s %7s %12s %10s %9s %10s %6s\n' doc pages "wall (ms)" "± (ms)" "ms/page" "peak MiB" "KiB"
# 2, 20 and 200: prose, headings, lists, a table every ten pages; 250: the mixed document
# (footnotes, nested lists, long six-column tables over pages), about 250 pages.
for n in 2 20 200 250; do
  md="$out/bench-$n.md"; pdf="$out/bench-$n.pdf"
  if [ "$n" = 250 ]; then target/release/examples/bench_doc 140 mixed > "$md"; else target/release/examples/bench_doc "$n" > "$md"; fi
  hyperfine -N --warmup 2 --runs 10 --export-json "$out/bench-$n.json" "$bin build $md -o $pdf" >/dev/null 2>&1
  read -r mean sd < <(python3 -c "import json,sys; r=json.load(open('$out/bench-$n.json'))['results'][0]; print(round(r['mean']*1000,1), round(r['stddev']*1000,1))")
  peak=$(/usr/bin/time -f %M "$bin" build "$md" -o "$pdf" 2>&1 >/dev/null | tail -1)
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  kb=$(( $(stat -c %s "$pdf") / 1024 ))
  per_page=$(python3 -c "print(round($mean / $pages, 2))")
  printf '%-8s %7s %12s %10s %9s %10s %6s\n' "$n-page" "$pages" "$mean" "$sd" "$per_page" "$(( peak / 1024 ))" "$kb"
done

# Controlled distribution: `briefpack distribute` to a 30-name list (laid out once, copies
# made on every core) against the naive way, 30 separate `briefpack build`s of the same pack,
# in alternating rounds so both see the same machine. On the example pack (6 pages) and on
# the example with a generated section added (about 20 pages).
dist="$out/distribution"
rm -rf "$dist"
mkdir -p "$dist/lists"
cp -r briefings/mi5-threat-update-2025 "$dist/example"
cp -r briefings/mi5-threat-update-2025 "$dist/example-20"
target/release/examples/bench_doc 16 > "$dist/extra.md"
python3 - "$dist" "$bin" <<'PY'
import json, os, shutil, statistics, subprocess, sys, time
dist, bin = sys.argv[1], sys.argv[2]
first = ["Jane", "Ravi", "Aoife", "Tomasz", "Grace", "Kwame", "Mei", "Lars", "Amira", "Owen"]
last = ["Smith", "Patel", "O’Brien"]
with open(f"{dist}/lists/thirty.toml", "w") as f:
    for i in range(30):
        f.write(f'[[recipients]]\nname = "{first[i % 10]} {last[i // 10]}"\n\n')
with open(f"{dist}/example-20/pack.toml", "a") as f:
    f.write(f'\n[[sections]]\nkind = "markdown"\nbody = {json.dumps(open(f"{dist}/extra.md").read(), ensure_ascii=False)}\n')

def distribute(pack):
    shutil.rmtree(f"{dist}/{pack}/out", ignore_errors=True)
    if os.path.exists(f"{dist}/{pack}/distribution-log.toml"):
        os.remove(f"{dist}/{pack}/distribution-log.toml")
    start = time.perf_counter()
    subprocess.run([bin, "distribute", f"{dist}/{pack}", "--list", "thirty"], check=True, capture_output=True)
    return time.perf_counter() - start

def thirty_builds(pack):
    start = time.perf_counter()
    for i in range(30):
        subprocess.run([bin, "build", f"{dist}/{pack}", "-o", f"{dist}/build-{i}.pdf"], check=True, capture_output=True)
    return time.perf_counter() - start

print(f"\n30 named copies ({os.cpu_count()} cores), median of 7 alternating rounds (fastest–slowest):")
print(f"{'pack':<12} {'pages':>5} {'distribute':>22} {'30 builds':>22}")
for pack in ["example", "example-20"]:
    distribute(pack)  # warm-up
    times = {"distribute": [], "builds": []}
    for _ in range(7):
        times["distribute"].append(distribute(pack))
        times["builds"].append(thirty_builds(pack))
    pages = subprocess.run(["pdfinfo", f"{dist}/build-0.pdf"], capture_output=True, text=True).stdout.split("Pages:")[1].split()[0]
    show = lambda t: f"{statistics.median(t) * 1000:.0f} ms ({min(t) * 1000:.0f}–{max(t) * 1000:.0f})"
    print(f"{pack:<12} {pages:>5} {show(times['distribute']):>22} {show(times['builds']):>22}")
PY
