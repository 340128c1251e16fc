#!/usr/bin/env bash
# Re-measures everything RESULTS.md quotes, on a quiet machine (about 20 minutes on 2 cores):
#   1. the JMH report sweep            -> results/bench-<time>.json
#   2. step latency (HdrHistogram)     -> results/latency-*.hgrm
#   3. the PyTorch peer, same configs  -> bench/peers/results/torch_step.csv
#   4. plots and tables from 1-3       -> report/*.png, report/tables.md
# then copies the inputs of the report next to it (report/data/), so every table can be traced to
# the file it came from. The PyTorch peer needs Debian's python3-torch (bench/peers/README.md); the
# two OPENBLAS_* variables this environment sets halve OpenBLAS's speed, so they are unset for the
# peer's command only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Checked first: the peer runs after the 13-minute JMH sweep, which is lost if it cannot.
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    echo "results.sh: the PyTorch peer needs torch for /usr/bin/python3:" \
        "apt-get install -y python3-torch python3-numpy libopenblas0-openmp (bench/peers/README.md)" >&2
    exit 1
fi

before=$(ls results/bench-*.json 2>/dev/null | sort | tail -n 1 || true)
./eprop bench --report
json=$(ls results/bench-*.json | sort | tail -n 1)
[[ "$json" != "$before" ]] || { echo "results.sh: the sweep wrote no new JSON" >&2; exit 1; }

rm -f results/latency-*.hgrm
# 40k steps per configuration (20k of them warm-up): enough for a p99.9, and the scalar path at
# depth 3 stays under a minute. The deferred top-layer products run once per 32 steps, so C2
# compiles them late: after 5k steps a run still saw JIT work and, once, a GC from the
# not-yet-compiled Vector API code.
./eprop latency --steps 20000 --warmup 20000 --depth 1,2 --width 64 --model leaky_tanh --recurrent true
./eprop latency --steps 20000 --warmup 20000 --depth 3 --width 32 --model leaky_tanh --recurrent true

mkdir -p bench/peers/results
peer="env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/peers/torch_step.py bench --recurrent true --steps 200 --warmup 20"
{ $peer --models leaky_tanh --depths 1,2,3,4 --widths 16,32,64,128 --threads 1,2
  $peer --models leaky_tanh --depths 1,2 --widths 256 --threads 1
  $peer --models lif,alif --depths 2 --widths 64 --threads 1; } 2>&1 | tee bench/peers/results/torch_step.csv

rm -rf report/data
mkdir -p report/data
cp "$json" results/latency-*.hgrm report/data/
cp bench/peers/results/torch_step.csv report/data/
./eprop report --json "report/data/$(basename "$json")" --hgrm report/data/latency-*.hgrm \
    --torch report/data/torch_step.csv --gpu bench/peers/h200.csv --out report
echo "results.sh: report/ rebuilt from $(basename "$json")"
