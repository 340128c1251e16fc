"""Summarises a bench/targets.sh run: issue 4's targets 1 and 2 against the C stream, OpenBLAS and
the product's C twin (bench/peers/product.c) measured in the same rounds.
Usage: python3 bench/targets.py results/targets-<time>"""
import csv
import glob
import json
import os
import statistics
import sys

# ProductBench's span for the in-cache product: the same rows, inner dimension and tiles, with both
# operands in L2, which separates the tile's own loop from the traffic to memory.
SPAN = 256
LEVELS = {1024: "L1", 32768: "L2", 524288: "L3", 16777216: "DRAM"}  # KernelBench size -> level


def rounds(directory):
    n = len(glob.glob(os.path.join(directory, "jmh-[0-9]*.json")))
    if n == 0:
        sys.exit(f"targets.py: no jmh-*.json in {directory}")
    return range(1, n + 1)


def jmh(path):
    out = {}
    for entry in json.load(open(path)):
        name = entry["benchmark"].rsplit(".", 2)[-2:]
        params = entry.get("params", {})
        metrics = {k: v["score"] for k, v in entry.get("secondaryMetrics", {}).items()}
        key = (".".join(name), params.get("size") or params.get("width"))
        if params.get("span", "0") != "0":
            key += ("span " + params["span"],)
        if params.get("contract") == "false":
            key += ("plain",)
        out[key] = metrics
    return out


def main(directory):
    cpu = open(os.path.join(directory, "cpu.txt")).read().split("\n")
    print(f"# Issue 4 targets 1 and 2 on {cpu[0]} ({cpu[1]}), {directory}\n")
    t1, t2, twin = [], [], []
    for r in rounds(directory):
        c = {int(row["footprint_floats"]) // 2: float(row["gbs"])
             for row in csv.DictReader(open(os.path.join(directory, f"stream-{r}.csv")))
             if row["alignment"] == "aligned"}
        blas = {(int(row["threads"]), int(row["rows"])): float(row["gflops"])
                for row in csv.DictReader(open(os.path.join(directory, f"sgemm-{r}.csv")))}
        j = jmh(os.path.join(directory, f"jmh-{r}.json"))
        for extra in (f"jmh-span-{r}.json", f"jmh-plain-{r}.json"):
            path = os.path.join(directory, extra)
            if os.path.exists(path):  # earlier runs measured neither the in-cache product nor the product alone
                j.update(jmh(path))
        needed = [("LimitsBench.fma", None)] + [("KernelBench.decayAxpy", str(s)) for s in LEVELS] + [
            (f"ProductBench.{m}", str(w)) for m in ("product", "productTwoThreads") for w in (64, 128)]
        missing = [k for k in needed if k not in j]
        if missing:
            sys.exit(f"targets.py: jmh-{r}.json lacks {missing}: see jmh-{r}.log in {directory}")
        peak = j[("LimitsBench.fma", None)]["gigaflops"]
        for size, level in LEVELS.items():
            ours = j[("KernelBench.decayAxpy", str(size))]["gigabytes"]
            t1.append((r, level, c[size], ours, ours / c[size]))
        for width in (64, 128):
            one = j[("ProductBench.product", str(width))]["gigaflops"]
            two = j[("ProductBench.productTwoThreads", str(width))]["gigaflops"]
            cached = j.get(("ProductBench.product", str(width), f"span {SPAN}"))
            t2.append((r, width, one, blas[(1, width)], one / peak, one / blas[(1, width)],
                       two, blas[(2, width)], two / one, peak, cached and cached["gigaflops"] / peak))
        twin_file = os.path.join(directory, f"product-{r}.csv")
        c_twin = {}
        if os.path.exists(twin_file):  # not on hosts where the twin does not apply, nor in earlier runs
            c_twin = {(row["variant"], int(row["rows"]), int(row["cols"]) == SPAN): float(row["gflops"])
                      for row in csv.DictReader(open(twin_file))}
        for width in (64, 128):
            plain = j.get(("ProductBench.product", str(width), "plain"))
            plain_cached = j.get(("ProductBench.product", str(width), f"span {SPAN}", "plain"))
            if plain is None or plain_cached is None:
                continue  # a run before the product alone was measured
            row = {"round": r, "width": width, "ours": plain["gigaflops"], "ours_cached": plain_cached["gigaflops"],
                   "blas": blas[(1, width)]}
            if c_twin:
                try:
                    row.update(c=c_twin[("panels", width, False)], c_cached=c_twin[("panels", width, True)],
                               c_prefetch=c_twin[("panels+prefetch", width, False)],
                               c_chunks=c_twin[("chunks", width, False)])
                except KeyError as e:
                    sys.exit(f"targets.py: product-{r}.csv lacks {e}: see the run's log")
            twin.append(row)
    print("## Target 1: decayAxpy against the C stream (aligned), same footprints, one core\n")
    print("| round | level | C GB/s | decayAxpy GB/s | ratio |\n|--:|---|--:|--:|--:|")
    for r, level, cg, ours, ratio in t1:
        print(f"| {r} | {level} | {cg:.1f} | {ours:.1f} | {ratio:.0%} |")
    print("\nMedian ratio over rounds: " + ", ".join(
        f"{lv} {statistics.median(x[4] for x in t1 if x[1] == lv):.0%}" for lv in LEVELS.values()))
    print("\n## Target 2: ProductBench against OpenBLAS sgemm and the FMA peak (LimitsBench.fma)\n")
    print("| round | width | ours, 1 thread | OpenBLAS, 1 | % of FMA peak | ours / OpenBLAS "
          f"| ours, 2 threads | OpenBLAS, 2 | ours 2 / 1 | FMA peak | in cache ({SPAN} columns), % of peak |")
    print("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for r, w, one, b1, pk, rb, two, b2, sc, peak, cpk in t2:
        print(f"| {r} | {w} | {one:.1f} | {b1:.1f} | {pk:.0%} | {rb:.2f} | {two:.1f} | {b2:.1f} | {sc:.2f}x "
              f"| {peak:.1f} | {'-' if cpk is None else f'{cpk:.0%}'} |")
    for w in (64, 128):
        rows = [x for x in t2 if x[1] == w]
        print(f"\nWidth {w}, medians over rounds: {statistics.median(x[4] for x in rows):.0%} of the FMA peak, "
              f"{statistics.median(x[5] for x in rows):.2f}x OpenBLAS on one thread, "
              f"{statistics.median(x[8] for x in rows):.2f}x from one thread to two"
              + ("." if any(x[10] is None for x in rows) else
                 f"; in cache {statistics.median(x[10] for x in rows):.0%} of the FMA peak."))

    if not twin:
        return
    with_c = all("c" in x for x in twin)
    print("\n## Target 2, the product alone (no contraction) against OpenBLAS"
          + (" and its C twin" if with_c else "") + ", one thread\n")
    print("GFLOP/s; in cache: the first " f"{SPAN} columns."
          + (" The C twin (`bench/peers/product.c`, gcc -O3 -march=native) runs the Java kernel's tiles in "
             "its order (panels); with a prefetch of the next row block's lines, which Java cannot issue; "
             "and in chunks of 4 panels with row blocks outermost." if with_c else "") + "\n")
    head = ["round", "width", "ours", "ours in cache", "OpenBLAS", "ours / OpenBLAS"]
    if with_c:
        head += ["C twin", "C twin in cache", "C + prefetch", "C chunks", "ours / C twin", "in cache, ours / C twin"]
    print("| " + " | ".join(head) + " |\n|" + "--:|" * len(head))
    for x in twin:
        cells = [x["round"], x["width"], f"{x['ours']:.1f}", f"{x['ours_cached']:.1f}", f"{x['blas']:.1f}",
                 f"{x['ours'] / x['blas']:.2f}"]
        if with_c:
            cells += [f"{x['c']:.1f}", f"{x['c_cached']:.1f}", f"{x['c_prefetch']:.1f}", f"{x['c_chunks']:.1f}",
                      f"{x['ours'] / x['c']:.2f}", f"{x['ours_cached'] / x['c_cached']:.2f}"]
        print("| " + " | ".join(str(c) for c in cells) + " |")
    for w in (64, 128):
        rows = [x for x in twin if x["width"] == w]
        med = lambda f: statistics.median(f(x) for x in rows)
        line = (f"\nWidth {w}, medians over rounds: ours {med(lambda x: x['ours'] / x['blas']):.2f}x OpenBLAS, "
                f"in cache {med(lambda x: x['ours_cached'] / x['ours']):.2f}x ours in full")
        if with_c:
            line += (f"; {med(lambda x: x['ours'] / x['c']):.2f}x the C twin, in cache "
                     f"{med(lambda x: x['ours_cached'] / x['c_cached']):.2f}x; the C twin in cache "
                     f"{med(lambda x: x['c_cached'] / x['c']):.2f}x itself in full, with the prefetch "
                     f"{med(lambda x: x['c_prefetch'] / x['c']):.2f}x, in chunks {med(lambda x: x['c_chunks'] / x['c']):.2f}x, "
                     f"those two against OpenBLAS {med(lambda x: x['c_prefetch'] / x['blas']):.2f}x and "
                     f"{med(lambda x: x['c_chunks'] / x['blas']):.2f}x")
        print(line + ".")

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 bench/targets.py results/targets-<time>")
    main(sys.argv[1])
