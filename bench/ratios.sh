#!/usr/bin/env bash
# Issue 4's target 3 (whole step >= 5x faster than the PyTorch peer) at chosen configurations, with
# ours and the peer measured alternately, so that both see the same minutes of this shared host: per
# round and configuration, StepBench (JMH, one fork, 3 x 1 s warm-up, 5 x 1 s) and then
# bench/peers/torch_step.py on the same network. A single sweep (bench/results.sh) measures each
# side once, minutes apart; the peer's time has moved by up to 1.9x between sweeps. About 25 s per
# configuration and round:
#   bash bench/ratios.sh [ROUNDS] [DEPTH:WIDTH:THREADS[:MODEL] ...]     -> results/ratios-<time>/
# ROUNDS defaults to 5; the configurations to the sweep's thinnest margins, 2:256:1 3:128:2 3:128:1
# 1:256:1. MODEL is leaky_tanh (default), lif or alif; every network is recurrent. bench/ratios.py
# prints each round's ratio and their median.
# Needs Debian's python3-torch (bench/peers/README.md).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source bench/lib.sh
rounds="${1:-5}"
need_rounds ratios.sh "$rounds"
shift || true
configs=("$@")
[[ ${#configs[@]} -gt 0 ]] || configs=(2:256:1 3:128:2 3:128:1 1:256:1)
for c in "${configs[@]}"; do
    [[ "$c" =~ ^[1-9][0-9]*:[1-9][0-9]*:[1-9][0-9]*(:(leaky_tanh|lif|alif))?$ ]] || {
        echo "ratios.sh: configuration '$c': expected DEPTH:WIDTH:THREADS[:MODEL], e.g. 2:256:1 or 2:64:1:alif" >&2
        exit 2; }
done
need_torch ratios.sh

out=$(run_dir ratios)
for r in $(seq 1 "$rounds"); do
    for c in "${configs[@]}"; do
        IFS=: read -r depth width threads model <<< "$c"
        model="${model:-leaky_tanh}"
        tag="$r-$model-d$depth-w$width-t$threads"
        echo "ratios.sh: round $r of $rounds, $(date -u +%H:%M:%S) UTC: $model depth $depth width $width," \
            "$threads thread(s)" >&2
        ./eprop jmh 'StepBench.step$' -p depth="$depth" -p width="$width" -p path=vector -p model="$model" \
            -p recurrent=true -p threads="$threads" -f 1 -wi 3 -i 5 -w 1 -r 1 \
            -rf json -rff "$out/ours-$tag.json" > "$out/ours-$tag.log"
        env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/peers/torch_step.py bench \
            --recurrent true --steps 200 --warmup 20 --models "$model" --depths "$depth" --widths "$width" \
            --threads "$threads" > "$out/peer-$tag.csv"
    done
done
/usr/bin/python3 bench/ratios.py "$out" | tee "$out/ratios.md"
