#!/usr/bin/env bash
# Issue 4's targets 1 and 2 against references measured on the host at hand, in the same minutes
# (the issue's own figures are a Zen 5's): per round, the C stream e = d e + k x
# (bench/peers/stream.c, gcc -O3 -march=native), OpenBLAS sgemm (bench/peers/sgemm.py) and the
# product's C twin (bench/peers/product.c, AVX2 hosts), then JMH's KernelBench.decayAxpy at the C
# stream's footprints, ProductBench with and without its contraction (also in cache) and
# LimitsBench.fma.
# bench/targets.py prints the ratios. About 2 minutes a round:
#   bash bench/targets.sh [ROUNDS]       (default 3) -> results/targets-<time>/
# Needs gcc and Debian's python3-torch (bench/peers/README.md).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source bench/lib.sh
rounds="${1:-3}"
need_rounds targets.sh "$rounds"
command -v gcc >/dev/null || { echo "targets.sh: needs gcc (apt-get install -y gcc)" >&2; exit 1; }
need_torch targets.sh

out=$(run_dir targets)
gcc -O3 -march=native -o "$out/stream" bench/peers/stream.c
# The C twin copies the Java kernel's path below 512 bits, so it runs only where that path runs:
# judged from the CPU, which assumes the JVM uses its full vector width (it does on the Zen hosts
# of RESULTS.md; not under -XX:MaxVectorSize=32 or -Ddeepeprop.vectorBits=256).
macros=$(gcc -march=native -dM -E - < /dev/null)
if grep -q '__AVX512F__' <<< "$macros"; then
    twin=no
    echo "targets.sh: AVX-512 here: the Java kernel runs its 512-bit tile, which bench/peers/product.c does not copy" >&2
elif grep -q '__AVX2__' <<< "$macros" && grep -q '__FMA__' <<< "$macros"; then
    twin=yes
    gcc -O3 -march=native -o "$out/product" bench/peers/product.c
else
    twin=no
    echo "targets.sh: no AVX2 and FMA here, so no C twin of the product" >&2
fi
for r in $(seq 1 "$rounds"); do
    echo "targets.sh: round $r of $rounds, $(date -u +%H:%M:%S) UTC: C stream" >&2
    "$out/stream" > "$out/stream-$r.csv"
    echo "targets.sh: round $r: OpenBLAS sgemm" >&2
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/peers/sgemm.py > "$out/sgemm-$r.csv"
    if [ "$twin" = yes ]; then
        echo "targets.sh: round $r: the product's C twin" >&2
        "$out/product" > "$out/product-$r.csv"
    fi
    echo "targets.sh: round $r: JMH" >&2
    ./eprop jmh 'KernelBench.decayAxpy' 'ProductBench' 'LimitsBench.fma' -p path=vector \
        -p size=1024,32768,524288,16777216 -f 1 -wi 2 -i 3 -w 1 -r 1 \
        -rf json -rff "$out/jmh-$r.json" > "$out/jmh-$r.log"
    # The product with its operands in L2 (ProductBench's span), beside the full one above, with
    # and without the contraction; then the product alone in full: what sgemm and the twin compute.
    ./eprop jmh 'ProductBench.product$' -p path=vector -p span=256 -p contract=true,false -f 1 -wi 2 -i 3 -w 1 -r 1 \
        -rf json -rff "$out/jmh-span-$r.json" > "$out/jmh-span-$r.log"
    ./eprop jmh 'ProductBench.product$' -p path=vector -p contract=false -f 1 -wi 2 -i 3 -w 1 -r 1 \
        -rf json -rff "$out/jmh-plain-$r.json" > "$out/jmh-plain-$r.log"
done
rm -f "$out/stream" "$out/product"
/usr/bin/python3 bench/targets.py "$out" | tee "$out/targets.md"
