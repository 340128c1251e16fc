#!/usr/bin/python3
"""Cross-checks ./eprop gradcheck against independent PyTorch gradients on a matrix of cases.

    /usr/bin/python3 bench/peers/crosscheck.py [--jobs N] [--only SUBSTRING] [--keep DIR]

Cases: all three models, depths 1-5, widths 1-33, T up to 50, with and without recurrent weights,
a few with an explicit random feedback matrix B. They are written by the Java generator
(org.deepeprop.verify.WriteCase -> Cases.randomWellConditioned: spiking cases have no membrane
within 1e-3 of a threshold or of a kink of q; kept to <= ~1600 neuron-steps so such seeds exist).

Per case it runs
  ./eprop gradcheck --method eprop --path scalar|vector     (float32 kernel)
  ./eprop gradcheck --method bptt  --path scalar|vector     (float64 reference; path changes nothing)
  torch_gradcheck.py --method eprop|bptt                    (float64 autograd, independent)
  torch_step.py case                                        (float32, the timed PyTorch peer)
(the two Python scripts run through their main() in this process, one torch import in all;
--cli runs them as separate processes instead)
and compares (relative error ||g - ref|| / ||ref|| per tensor: loss, grad_W[l], grad_W_out, grad_b_out;
PASS if the largest is <= 1e-4):
  eprop(java, each path) vs torch bptt      no recurrence and no B (deep e-prop is exact there)
  eprop(java, each path) vs torch eprop     with recurrence or with B
  torch eprop vs torch bptt                 no recurrence and no B (the torch e-prop is exact too)
  bptt(java, each path) vs torch bptt       always
  torch_step (float32) vs eprop(java scalar) always
Prints a table, writes bench/peers/results/crosscheck.csv (crosscheck-only.csv with --only), exits 1 if any comparison fails
(failing cases and their outputs are copied to bench/peers/results/failures/).

Uses Debian's python3-torch/numpy (/usr/bin/python3). Nothing is timed, so OPENBLAS_* is left alone.
Needs a JDK >= 21 (found like ./eprop does: JAVA_HOME, java on PATH, newest under /usr/lib/jvm).
"""
import argparse
import concurrent.futures
import csv
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # the in-process imports of the peer scripts leave no __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PY = "/usr/bin/python3"
TOL = 1e-4

# name, model, inputs, layers, outputs, T, recurrent, rec_scale, seed, B seed (None: B = W_out^T).
# Seeds are the first of the search of Cases.randomWellConditioned; for spiking cases they were
# picked so that every layer has a neuron that spikes (the "active" column of the CSV is > 0).
CASES = [
    ("lt-d1-w1-T1", "leaky_tanh", 1, [1], 1, 1, False, 0.0, 101, None),
    ("lt-d1-w33-T50-rec", "leaky_tanh", 7, [33], 3, 50, True, 1.0, 102, None),
    ("lt-d2-T20", "leaky_tanh", 5, [5, 7], 2, 20, False, 0.0, 103, None),
    ("lt-d3-T50-rec", "leaky_tanh", 4, [16, 33, 8], 4, 50, True, 0.5, 104, None),
    ("lt-d4-w1-rec", "leaky_tanh", 2, [1, 1, 1, 1], 1, 30, True, 1.0, 105, None),
    ("lt-d5-w33-T50", "leaky_tanh", 33, [33, 33, 33, 33, 33], 5, 50, False, 0.0, 106, None),
    ("lt-d5-mixed-rec", "leaky_tanh", 3, [3, 17, 1, 9, 33], 2, 40, True, 0.7, 107, None),
    ("lt-d3-B", "leaky_tanh", 6, [8, 12, 6], 3, 25, False, 0.0, 108, 9108),
    ("lt-d2-rec-B", "leaky_tanh", 4, [9, 5], 2, 20, True, 0.5, 109, 9109),
    ("lif-d1-w1-T5", "lif", 1, [1], 1, 5, False, 0.0, 201, None),
    ("lif-d1-w33-T40-rec", "lif", 5, [33], 2, 40, True, 0.5, 202, None),
    ("lif-d2-T40", "lif", 3, [10, 12], 2, 40, False, 0.0, 203, None),
    ("lif-d3-T50-rec", "lif", 4, [8, 16, 8], 3, 50, True, 0.5, 204, None),
    ("lif-d4-w1", "lif", 1, [1, 1, 1, 1], 1, 20, False, 0.0, 235, None),
    ("lif-d5-T40", "lif", 4, [4, 6, 5, 7, 3], 2, 40, False, 0.0, 206, None),
    ("lif-d5-w33-T12", "lif", 33, [33, 4, 3, 5, 2], 2, 12, False, 0.0, 207, None),
    ("lif-d5-T50-rec", "lif", 2, [2, 3, 4, 3, 2], 1, 50, True, 1.0, 218, None),
    ("lif-d3-B", "lif", 5, [6, 9, 4], 3, 30, False, 0.0, 209, 9209),
    ("alif-d1-w1-T5", "alif", 1, [1], 1, 5, False, 0.0, 321, None),
    ("alif-d1-w33-T40-rec", "alif", 5, [33], 2, 40, True, 0.5, 302, None),
    ("alif-d2-T40", "alif", 3, [10, 12], 2, 40, False, 0.0, 303, None),
    ("alif-d3-T50-rec", "alif", 4, [8, 16, 8], 3, 50, True, 0.5, 304, None),
    ("alif-d4-w1-rec", "alif", 1, [1, 1, 1, 1], 1, 20, True, 1.0, 305, None),
    ("alif-d5-T40", "alif", 4, [4, 6, 5, 7, 3], 2, 40, False, 0.0, 306, None),
    ("alif-d5-w33-T12-rec", "alif", 33, [33, 4, 3, 5, 2], 2, 12, True, 0.5, 307, None),
    ("alif-d3-B", "alif", 5, [6, 9, 4], 3, 30, False, 0.0, 309, 9309),
    ("alif-d2-rec-B", "alif", 3, [7, 11], 2, 30, True, 0.5, 310, 9310),
]


def jdk_version(home):
    java, javac = os.path.join(home, "bin", "java"), os.path.join(home, "bin", "javac")
    if not (os.access(java, os.X_OK) and os.access(javac, os.X_OK)):
        return 0
    v = ""
    try:
        with open(os.path.join(home, "release")) as f:
            for line in f:
                if line.startswith("JAVA_VERSION="):
                    v = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
        v = out.split('"')[1] if '"' in out else ""
    v = v[2:] if v.startswith("1.") else v
    digits = ""
    for ch in v:
        if not ch.isdigit():
            break
        digits += ch
    return int(digits or 0)


def find_jdk():
    cands = []
    if os.environ.get("JAVA_HOME"):
        cands.append(os.environ["JAVA_HOME"])
    java = shutil.which("java")
    if java:
        cands.append(os.path.dirname(os.path.dirname(os.path.realpath(java))))
    for home in cands:
        if jdk_version(home) >= 21:
            return home
    best = max((os.path.join("/usr/lib/jvm", d) for d in os.listdir("/usr/lib/jvm")), key=jdk_version,
               default=None) if os.path.isdir("/usr/lib/jvm") else None
    if best and jdk_version(best) >= 21:
        return best
    sys.exit("crosscheck: needs a JDK >= 21")


def run(cmd, env=None):
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    if r.returncode != 0:
        raise RuntimeError("%s -> exit %d: %s" % (" ".join(cmd), r.returncode, (r.stderr or r.stdout).strip()))
    return r.stdout


def norm(v):
    return math.sqrt(sum(x * x for x in v))


def rel(g, ref):
    g = g if isinstance(g, list) else [g]
    ref = ref if isinstance(ref, list) else [ref]
    if len(g) != len(ref):
        return float("inf")
    d = norm([a - b for a, b in zip(g, ref)])
    n = norm(ref)
    return d / n if n > 0 else (0.0 if d == 0 else float("inf"))


def compare(got, ref):
    """Per tensor relative errors: {'loss', 'W1'.., 'W_out', 'b_out'}."""
    out = {"loss": rel(got["loss"], ref["loss"])}
    if len(got["grad_W"]) != len(ref["grad_W"]):
        out["W*"] = float("inf")
    for l, (g, r) in enumerate(zip(got["grad_W"], ref["grad_W"])):
        out["W%d" % (l + 1)] = rel(g, r)
    out["W_out"] = rel(got["grad_W_out"], ref["grad_W_out"])
    out["b_out"] = rel(got["grad_b_out"], ref["grad_b_out"])
    return out


def torch_cli(cli, script, argv):
    """Runs bench/peers/SCRIPT.py with argv: as a process with --cli, else its main() in this process
    (the same code, arguments and JSON output, without paying for a torch import per run)."""
    if cli:
        run([PY, os.path.join(HERE, script + ".py")] + argv)
    else:
        try:
            __import__(script).main(argv)
        except SystemExit as e:  # argparse or a script's own sys.exit: a failed run, not ours
            raise RuntimeError("%s.py %s -> %s" % (script, " ".join(argv), e)) from None


def run_case(spec, work, env, cli):
    name, rec, has_b = spec[0], spec[6], spec[9] is not None
    case = os.path.join(work, name + ".json")
    outs = {}
    for method in ("eprop", "bptt"):
        for path in ("scalar", "vector"):
            o = os.path.join(work, "%s.java.%s.%s.json" % (name, method, path))
            run(["./eprop", "gradcheck", "--case", case, "--method", method, "--path", path, "--out", o], env)
            outs["%s(java,%s)" % (method, path)] = o
        o = os.path.join(work, "%s.torch.%s.json" % (name, method))
        torch_cli(cli, "torch_gradcheck", ["--case", case, "--method", method, "--out", o])
        outs["%s(torch)" % method] = o
    o = os.path.join(work, "%s.torch_step.json" % name)
    torch_cli(cli, "torch_step", ["case", "--case", case, "--out", o])
    outs["torch_step"] = o
    res = {}
    for k, f in outs.items():
        with open(f) as fh:
            res[k] = json.load(fh)
    pairs = []
    exact = not rec and not has_b
    for path in ("scalar", "vector"):
        pairs.append(("eprop(java,%s)" % path, "bptt(torch)" if exact else "eprop(torch)"))
    if exact:
        pairs.append(("eprop(torch)", "bptt(torch)"))
    for path in ("scalar", "vector"):
        pairs.append(("bptt(java,%s)" % path, "bptt(torch)"))
    pairs.append(("torch_step", "eprop(java,scalar)"))
    rows = []
    for got, ref in pairs:
        errs = compare(res[got], res[ref])
        worst = max(errs.values())
        rows.append({"case": name, "comparison": "%s vs %s" % (got, ref), "errors": errs, "max": worst,
                     "pass": worst <= TOL})
    return rows, list(outs.values())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", type=int, default=1, help="cases run in parallel (default 1: the machine is shared)")
    ap.add_argument("--only", default="", help="run only cases whose name contains one of these (comma-separated)")
    ap.add_argument("--keep", default=None, help="keep cases and outputs in this directory")
    ap.add_argument("--cli", action="store_true",
                    help="run torch_gradcheck.py and torch_step.py as processes (default: their main() in-process)")
    args = ap.parse_args()
    env = dict(os.environ, JAVA_HOME=find_jdk())
    java = os.path.join(env["JAVA_HOME"], "bin", "java")
    print("crosscheck: JDK %s; building the jars if needed (./eprop gradcheck --help)" % env["JAVA_HOME"],
          file=sys.stderr)
    run(["./eprop", "gradcheck", "--help"], env)
    version = None
    with open(os.path.join(ROOT, "pom.xml")) as f:
        for line in f:
            if "<version>" in line:
                version = line.split("<version>")[1].split("</version>")[0]
                break
    cp = ":".join([os.path.join(ROOT, "kernel/target/deep-eprop-kernel-%s.jar" % version),
                   os.path.join(ROOT, "verify/target/deep-eprop-verify-%s.jar" % version),
                   os.path.join(ROOT, "verify/target/lib/*")])
    cases = [c for c in CASES if any(o in c[0] for o in args.only.split(","))]
    work = args.keep or tempfile.mkdtemp(prefix="crosscheck.")
    os.makedirs(work, exist_ok=True)
    lines = "\n".join(" ".join([os.path.join(work, c[0] + ".json"), c[1], str(c[2]), ",".join(map(str, c[3])),
                                str(c[4]), str(c[5]), str(c[6]).lower(), str(c[7]), str(c[8])]
                               + ([str(c[9])] if c[9] is not None else [])) for c in cases)
    r = subprocess.run([java, "-cp", cp, "org.deepeprop.verify.WriteCase", "--batch"], input=lines,
                       capture_output=True, text=True, cwd=ROOT)
    if r.returncode != 0:
        sys.exit("crosscheck: WriteCase failed: " + r.stderr.strip())
    info = {}
    for line in r.stdout.splitlines():
        f, *kv = line.split()
        info[os.path.basename(f)[:-5]] = dict(x.split("=") for x in kv)
    print("crosscheck: %d cases in %s" % (len(cases), work), file=sys.stderr)
    for name, i in info.items():
        if float(i.get("active", 1)) == 0:
            print("crosscheck: warning: %s has a layer without a single spike (weak case)" % name, file=sys.stderr)

    all_rows, failed_files, errors = [], {}, []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        futs = {ex.submit(run_case, c, work, env, args.cli): c for c in cases}
        for fut in concurrent.futures.as_completed(futs):
            c = futs[fut]
            try:
                rows, files = fut.result()
            except Exception as e:  # a run that failed is a failure of the case
                errors.append((c[0], str(e)))
                print("crosscheck: %s: ERROR %s" % (c[0], e), file=sys.stderr)
                continue
            all_rows.extend(rows)
            if not all(r["pass"] for r in rows):
                failed_files[c[0]] = files + [os.path.join(work, c[0] + ".json")]
            print("crosscheck: %-22s %s" % (c[0], "ok" if all(r["pass"] for r in rows) else "FAIL"),
                  file=sys.stderr)

    order = {c[0]: i for i, c in enumerate(cases)}
    all_rows.sort(key=lambda r: order[r["case"]])
    spec_of = {c[0]: c for c in cases}
    fmt = lambda x: "%.1e" % x
    print("%-22s %-42s %-8s %-44s %-8s %-8s %-8s %s" % ("case", "comparison", "loss", "grad_W per layer (1..L)",
                                                        "W_out", "b_out", "max", "result"))
    for r in all_rows:
        e = r["errors"]
        layers = " ".join(fmt(v) for k, v in e.items() if k.startswith("W") and k != "W_out")
        print("%-22s %-42s %-8s %-44s %-8s %-8s %-8s %s" % (r["case"], r["comparison"], fmt(e["loss"]), layers,
                                                            fmt(e["W_out"]), fmt(e["b_out"]), fmt(r["max"]),
                                                            "PASS" if r["pass"] else "FAIL"))
    res_dir = os.path.join(HERE, "results")
    os.makedirs(res_dir, exist_ok=True)
    csv_path = os.path.join(res_dir, "crosscheck-only.csv" if args.only else "crosscheck.csv")
    with open(csv_path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["case", "model", "inputs", "layers", "outputs", "T", "recurrent", "B", "margin", "active",
                    "comparison", "rel_loss", "rel_W_per_layer", "rel_W_out", "rel_b_out", "max_rel", "result"])
        for r in all_rows:
            s, e = spec_of[r["case"]], r["errors"]
            i = info.get(r["case"], {})
            w.writerow([r["case"], s[1], s[2], "x".join(map(str, s[3])), s[4], s[5], str(s[6]).lower(),
                        "random" if s[9] is not None else "W_out^T", i.get("margin", ""), i.get("active", ""),
                        r["comparison"], "%.3e" % e["loss"],
                        ";".join("%.3e" % v for k, v in e.items() if k.startswith("W") and k != "W_out"),
                        "%.3e" % e["W_out"], "%.3e" % e["b_out"], "%.3e" % r["max"],
                        "PASS" if r["pass"] else "FAIL"])
        for name, msg in errors:
            w.writerow([name] + [""] * 15 + ["ERROR: " + msg])
    for name, files in failed_files.items():
        d = os.path.join(res_dir, "failures", name)
        os.makedirs(d, exist_ok=True)
        for f in files:
            shutil.copy(f, d)
    n_pass = sum(r["pass"] for r in all_rows)
    n_fail = len(all_rows) - n_pass
    worst = {}
    for r in all_rows:
        kind = r["comparison"].replace(",scalar)", ")").replace(",vector)", ")")
        worst[kind] = max(worst.get(kind, 0.0), r["max"])
    print("\n%d cases, %d comparisons: %d PASS, %d FAIL, %d cases with run errors (tolerance %.0e)"
          % (len(cases), len(all_rows), n_pass, n_fail, len(errors), TOL))
    for k, v in sorted(worst.items()):
        print("  max relative error, %-32s %.2e" % (k, v))
    print("results: %s" % csv_path)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if (n_fail or errors) else 0)


if __name__ == "__main__":
    main()
