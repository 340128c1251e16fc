"""Summarises a bench/ratios.sh run: per configuration, the PyTorch peer's time over ours in each
round (both measured within the same half minute) and the median over the rounds.
Usage: python3 bench/ratios.py results/ratios-<time>"""
import csv
import glob
import json
import os
import re
import statistics
import sys


def ours(path):
    """Microseconds per step: StepBench's mean, as the sweep's ratio table uses."""
    entries = json.load(open(path))
    if len(entries) != 1:
        sys.exit(f"ratios.py: {path}: expected one StepBench result, got {len(entries)}")
    metric = entries[0]["primaryMetric"]
    scale = {"us/op": 1.0, "ns/op": 1e-3, "ms/op": 1e3}.get(metric["scoreUnit"])
    if scale is None:
        sys.exit(f"ratios.py: {path}: unexpected unit {metric['scoreUnit']}")
    return metric["score"] * scale


def peer(path):
    """Microseconds per step: the median of the peer's individually timed steps."""
    rows = [r for r in csv.reader(line for line in open(path) if not line.startswith("#"))]
    if len(rows) != 2 or rows[0][-1] != "us_per_step":
        sys.exit(f"ratios.py: {path}: expected a header and one row, got {rows}")
    return float(rows[1][-1])


def us(x):
    """Three significant figures, without exponent notation."""
    return f"{x:.3g}" if x < 1000 else f"{x:.0f}"


def main(directory):
    cpu = open(os.path.join(directory, "cpu.txt")).read().split("\n")
    runs = {}
    for path in sorted(glob.glob(os.path.join(directory, "ours-*.json"))):
        m = re.fullmatch(r"ours-(\d+)-(\w+)-d(\d+)-w(\d+)-t(\d+)\.json", os.path.basename(path))
        if not m:
            continue
        model = m.group(2)
        r, depth, width, threads = (int(m.group(i)) for i in (1, 3, 4, 5))
        theirs = os.path.join(directory, f"peer-{r}-{model}-d{depth}-w{width}-t{threads}.csv")
        runs.setdefault((model, depth, width, threads), []).append((r, ours(path), peer(theirs)))
    if not runs:
        sys.exit(f"ratios.py: no ours-*.json in {directory}")
    print(f"# Issue 4 target 3, ours and the PyTorch peer alternately, on {cpu[0]} ({cpu[1]}), {directory}\n")
    print("Ratio = PyTorch µs/step ÷ ours (recurrent, vector path); one pair per round.\n")
    print("| configuration | threads | rounds | ours µs/step (median) | PyTorch µs/step (median) "
          "| ratio per round | median ratio | >= 5x |")
    print("|---|---:|---:|---:|---:|---|---:|---|")
    for (model, depth, width, threads), pairs in sorted(runs.items()):
        pairs.sort()
        ratios = [p / o for _, o, p in pairs]
        median = statistics.median(ratios)
        met = sum(1 for x in ratios if x >= 5)
        print(f"| {model} d={depth} w={width} | {threads} | {len(pairs)} | {us(statistics.median(o for _, o, _ in pairs))} "
              f"| {us(statistics.median(p for _, _, p in pairs))} | {', '.join(f'{x:.2f}' for x in ratios)} "
              f"| {median:.2f} | {met} of {len(ratios)} rounds |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
