#!/usr/bin/python3
"""The PyTorch peer of the step benchmark: one online deep e-prop step (SPEC.md section 3), float32,
batch 1, written as a PyTorch user would write it (whole-tensor ops, no Python loop over neurons).

Per step and layer k (bottom-up): the forward update, the terminal trace, the hierarchical traces
T^{k<-l} for every l < k (adjacent k = l+1: a scaled rank-1 update per neuron pair; deep k >= l+2:
one GEMM, T = a T + A Z^{k-1<-l} with A = c W_in psi^{k-1}), then the readout, e = y - y*,
delta = B e, and the gradient accumulation G^l += delta^T Z^{L<-l} (a GEMV), G_out += e z^T.

Storage is that of the Java kernel: for d = 1 models (leaky_tanh, lif) with one decay for all
neurons the terminal trace is factorised (SPEC.md section 4): one filtered presynaptic vector
pbar^l of P_l floats per layer. ALIF (d = 2) keeps pbar for the membrane component and a full
n_l x P_l adaptation component E_a. Hierarchical traces are dense n_k x (n_l P_l) (x2 for ALIF),
except, as in the Java kernel (NetworkConfig.factorised), the adjacent ones of d = 1 models: with
one decay per layer and weights fixed within the sequence, T^{k<-k-1}[m, j, :] = c W^k[m, j] Q^k[j, :]
with Q^k[j, :] = a Q^k[j, :] + psi^{k-1}_j pbar^{k-1} (n_{k-1} x P_{k-1}), so the adjacent update is
one rank-1 update of Q^k, the deep update T^{k<-k-2} takes (c A^k W_in^{k-1}) Q^{k-1} in place of
A^k T^{k-1<-k-2}, and the top layer's contraction of T^{L<-L-1} is (c W_in^L^T g)_j Q^L[j, :].

Benchmark (the exact command; the two OPENBLAS variables are unset ONLY for this command, because
this machine's environment sets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which halve OpenBLAS speed):

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/peers/torch_step.py bench \\
        --models leaky_tanh --depths 1,2,3 --widths 32,64,128 --recurrent true --threads 1 \\
        --steps 200 --warmup 20

prints CSV `model,depth,width,recurrent,threads,us_per_step` (median over --steps timed steps after
--warmup untimed ones, each step timed alone with perf_counter_ns). The network is that of the JMH
StepBench fixture: inputs = width = every layer's width, 8 outputs, alpha 0.9, inputs N(0, 4^2),
targets N(0, 1), weights N(0, 1/fan-in) per block, biases N(0, 0.5^2) (+1.5 and x3 for spiking).

Validation (the same code as timed, run on a gradcheck case; writes gradcheck-style JSON with
path = "torch_step", compare with ./eprop gradcheck --method eprop):

    /usr/bin/python3 bench/peers/torch_step.py case --case CASE.json --out OUT.json [--dtype float64]

Uses Debian's python3-torch (apt-get install -y python3-torch python3-numpy): run /usr/bin/python3.
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch

DEFAULTS = {"v_th": 1.0, "gamma": 0.3, "beta": 0.07, "rho": 0.97}  # NetworkConfig.DEFAULT_*


class DeepEprop:
    """Online deep e-prop for one network, batch 1. Every buffer is allocated here; step() allocates
    only the small temporaries PyTorch creates for a few n-vectors."""

    def __init__(self, model, inputs, layers, outputs, recurrent, alpha, W, W_out, b_out, B=None,
                 v_th=1.0, gamma=0.3, beta=0.07, rho=0.97, dtype=torch.float32):
        self.model = model.lower()
        assert self.model in ("leaky_tanh", "lif", "alif"), model
        self.alif = self.model == "alif"
        self.L = L = len(layers)
        self.widths = widths = [inputs] + list(layers)
        self.rec = recurrent
        self.a, self.v_th, self.gamma, self.beta, self.rho = alpha, v_th, gamma, beta, rho
        f = lambda v: torch.as_tensor(v, dtype=dtype).clone()
        self.P = [widths[k] + (widths[k + 1] if recurrent else 0) + 1 for k in range(L)]
        self.W = [f(W[k]).reshape(widths[k + 1], self.P[k]).contiguous() for k in range(L)]
        self.W_in = [self.W[k][:, :widths[k]] for k in range(L)]  # strided views, no copies
        self.W_out = f(W_out).reshape(outputs, widths[L]).contiguous()
        self.b_out = f(b_out).reshape(outputs)
        self.B = None if B is None else f(B).reshape(widths[L], outputs).contiguous()
        z = lambda *shape: torch.zeros(*shape, dtype=dtype)
        n = widths[1:]
        self.p = [z(self.P[k]) for k in range(L)]
        self.I = [z(n[k]) for k in range(L)]
        self.v = [z(n[k]) for k in range(L)]
        self.z = [z(n[k]) for k in range(L)]
        self.psi = [z(n[k]) for k in range(L)]       # dz/dv (tanh) or q (spiking): psi of d=1, q of ALIF
        self.u = [z(n[k]) for k in range(L)]
        self.adapt = [z(n[k]) for k in range(L)]
        self.q_prev = [z(n[k]) for k in range(L)]   # ALIF: D_t depends on q_{t-1}
        self.r_col = [z(n[k], 1) for k in range(L)]  # ALIF: rho - beta q_{t-1}, as a column
        self.pbar = [z(self.P[k]) for k in range(L)]  # terminal trace (membrane component), factorised
        self.E_a = [z(n[k], self.P[k]) if self.alif else None for k in range(L)]
        self.ebar = [z(n[k], self.P[k]) if self.alif else None for k in range(L)]  # Z^{k<-k} rows (ALIF)
        self.A = [z(n[k], widths[k]) for k in range(L)]  # A^k = c W_in^k psi^{k-1}
        # Factor form of T^{k<-k-1} (d = 1): Q[k] is n_{k-1} x P_{k-1}; M[k] = c A^k W_in^{k-1}.
        self.factor = not self.alif
        self.Q = [z(n[k - 1], self.P[k - 1]) if (k > 0 and self.factor) else None for k in range(L)]
        self.M = [z(n[k], n[k - 2]) if (k > 1 and self.factor) else None for k in range(L)]
        self.h = z(n[L - 2]) if (L > 1 and self.factor) else None
        # T[k][l] (k > l): n_k x (n_l P_l); ALIF also Ta (adaptation component) and Zb = Tv - beta Ta.
        self.T = [[z(n[k], n[l] * self.P[l]) if (l < k and not (self.factor and l == k - 1)) else None
                   for l in range(L)] for k in range(L)]
        self.Ta = [[z(n[k], n[l] * self.P[l]) if (l < k and self.alif) else None for l in range(L)]
                   for k in range(L)]
        self.Zb = [[z(n[k], n[l] * self.P[l]) if (l < k and self.alif) else None for l in range(L)]
                   for k in range(L)]
        self.G = [z(n[k], self.P[k]) for k in range(L)]
        self.G_out = z(outputs, widths[L])
        self.G_b = z(outputs)
        self.y = z(outputs)
        self.e = z(outputs)
        self.delta = z(widths[L])
        self.g = z(widths[L])
        self.loss = 0.0
        for k in range(L):
            self.p[k][-1] = 1.0

    def trace_floats(self):
        ts = [t for row in self.T + self.Ta + self.Zb for t in row if t is not None]
        return sum(t.numel() for t in ts) + sum(t.numel() for t in self.pbar) + \
            sum(t.numel() for t in self.E_a + self.Q if t is not None)

    def _neurons(self, k, below):
        a, n_in, n = self.a, self.widths[k], self.widths[k + 1]
        p, v, z, psi = self.p[k], self.v[k], self.z[k], self.psi[k]
        p[:n_in].copy_(below)
        if self.rec:
            p[n_in:n_in + n].copy_(z)            # z_{t-1}, before z is overwritten
        torch.mv(self.W[k], p, out=self.I[k])
        v.mul_(a).add_(self.I[k], alpha=1 - a)
        if self.model == "leaky_tanh":
            torch.tanh(v, out=z)
            torch.mul(z, z, out=psi).neg_().add_(1.0)
            return
        v.sub_(z, alpha=self.v_th)                # reset with z_{t-1} (a constant in the traces)
        u = self.u[k]
        if self.alif:
            self.adapt[k].mul_(self.rho).add_(z)  # adapt_t = rho adapt_{t-1} + z_{t-1}
            self.q_prev[k].copy_(psi)
            torch.add(v, self.adapt[k], alpha=-self.beta, out=u).sub_(self.v_th)
        else:
            torch.sub(v, self.v_th, out=u)
        torch.gt(u, 0, out=z)                     # z_t = [u > 0] (bool cast into z's dtype)
        # q(u) = gamma/v_th * max(0, 1 - |u|/v_th)
        torch.abs(u, out=psi).mul_(-1.0 / self.v_th).add_(1.0).clamp_(min=0.0).mul_(self.gamma / self.v_th)

    def step(self, x, y_star):
        a, c = self.a, 1.0 - self.a
        L, alif, beta = self.L, self.alif, self.beta
        below = x
        for k in range(L):
            self._neurons(k, below)
            below = self.z[k]
            pbar = self.pbar[k]
            if alif:
                # E_a[j, i] = q_{t-1,j} pbar_{t-1,i} + (rho - beta q_{t-1,j}) E_a[j, i]; then pbar.
                qp = self.q_prev[k].unsqueeze(1)
                torch.mul(qp, -beta, out=self.r_col[k]).add_(self.rho)
                self.E_a[k].mul_(self.r_col[k]).addcmul_(qp, pbar.unsqueeze(0))
            pbar.mul_(a).add_(self.p[k], alpha=c)
            if alif:
                # ebar[j, i] = psi_j . E[:, j, i] = q_j (pbar_i - beta E_a[j, i])
                torch.sub(pbar.unsqueeze(0), self.E_a[k], alpha=beta, out=self.ebar[k]).mul_(
                    self.psi[k].unsqueeze(1))
            if k == 0:
                continue
            n_k, n_l = self.widths[k + 1], self.widths[k]
            # A[m, n] = c W^k_in[m, n] psi^{k-1}_n (ALIF: q^{k-1}, with psi_a = -beta q folded into Zb)
            A = torch.mul(self.W_in[k], self.psi[k - 1].unsqueeze(0), out=self.A[k]).mul_(c)
            if self.factor:  # Q[j, :] = a Q[j, :] + psi^{k-1}_j pbar^{k-1}
                self.Q[k].addr_(self.psi[k - 1], self.pbar[k - 1], beta=a)
            for l in range(k):
                if self.factor and l == k - 1:
                    continue
                T = self.T[k][l]
                if self.factor and l == k - 2:  # T[m, j, :] = a T + (c A W_in^{k-1})[m, j] Q^{k-1}[j, :]
                    M = torch.mm(A, self.W_in[k - 1], out=self.M[k]).mul_(c)
                    T.view(n_k, self.widths[l + 1], self.P[l]).mul_(a).addcmul_(
                        M.unsqueeze(2), self.Q[k - 1].unsqueeze(0))
                    continue
                if alif:
                    # adaptation component first: it needs the membrane component of step t-1
                    self.Ta[k][l].mul_(self.r_col[k]).addcmul_(self.q_prev[k].unsqueeze(1), T)
                if l == k - 1:
                    T3 = T.view(n_k, n_l, self.P[l])
                    if alif:   # T[m, j, :] = a T + c W[m, j] ebar[j, :]
                        Wc = torch.mul(self.W_in[k], c).unsqueeze(2)
                        T3.mul_(a).addcmul_(Wc, self.ebar[l].unsqueeze(0))
                    else:      # T[m, j, :] = a T + A[m, j] pbar[:]
                        T.view(n_k * n_l, self.P[l]).addr_(A.reshape(-1), self.pbar[l], beta=a)
                else:
                    src = self.Zb[k - 1][l] if alif else self.T[k - 1][l]
                    T.addmm_(A, src, beta=a)  # T = a T + A Z^{k-1<-l} (psi folded into A)
                if alif:
                    torch.add(T, self.Ta[k][l], alpha=-beta, out=self.Zb[k][l])
        top = L - 1
        z_top = self.z[top]
        torch.addmv(self.b_out, self.W_out, z_top, out=self.y)
        torch.sub(self.y, y_star, out=self.e)
        self.loss += 0.5 * float(torch.dot(self.e, self.e))
        self.G_out.addr_(self.e, z_top)
        self.G_b.add_(self.e)
        if self.B is None:
            torch.mv(self.W_out.t(), self.e, out=self.delta)
        else:
            torch.mv(self.B, self.e, out=self.delta)
        torch.mul(self.delta, self.psi[top], out=self.g)  # delta_m psi_m (ALIF: q_m; -beta q in Zb/ebar)
        if alif:
            self.G[top].addcmul_(self.delta.unsqueeze(1), self.ebar[top])
        else:
            self.G[top].addr_(self.g, self.pbar[top])
        for l in range(top):
            if self.factor and l == top - 1:  # G[j, :] += (c W_in^T g)_j Q[j, :]
                torch.mv(self.W_in[top].t(), self.g, out=self.h).mul_(c)
                self.G[l].addcmul_(self.h.unsqueeze(1), self.Q[top])
                continue
            src = self.Zb[top][l] if alif else self.T[top][l]
            self.G[l].view(-1).addmv_(src.t(), self.g)


def from_case(c, dtype):
    for k, v in DEFAULTS.items():
        c.setdefault(k, v)
    return DeepEprop(c["model"], c["inputs"], c["layers"], c["outputs"], c["recurrent"], float(c["alpha"]),
                     c["W"], c["W_out"], c["b_out"], c.get("B"), float(c["v_th"]), float(c["gamma"]),
                     float(c["beta"]), float(c["rho"]), dtype)


def run_case(args):
    torch.set_num_threads(args.threads)
    with open(args.case) as f:
        c = json.load(f)
    dtype = getattr(torch, args.dtype)
    net = from_case(c, dtype)
    x = torch.tensor(c["x"], dtype=dtype).reshape(c["T"], c["inputs"])
    y = torch.tensor(c["y"], dtype=dtype).reshape(c["T"], c["outputs"])
    for t in range(c["T"]):
        net.step(x[t], y[t])
    flat = lambda g: [float(v) for v in g.reshape(-1).tolist()]
    out = {"method": "eprop", "path": "torch_step", "loss": net.loss,
           "grad_W": [flat(g) for g in net.G], "grad_W_out": flat(net.G_out), "grad_b_out": flat(net.G_b)}
    with open(args.out, "w") as f:
        json.dump(out, f)
        f.write("\n")


def bench_network(model, depth, width, recurrent, seed=42, outputs=8, dtype=torch.float32):
    gen = torch.Generator().manual_seed(seed)
    spiking = model != "leaky_tanh"
    gain, bias = (3.0, 1.5) if spiking else (1.0, 0.0)
    W = []
    for k in range(depth):
        blocks = [torch.randn(width, width, generator=gen) * gain / width ** 0.5]
        if recurrent:
            blocks.append(torch.randn(width, width, generator=gen) * gain / width ** 0.5)
        blocks.append(bias + 0.5 * torch.randn(width, 1, generator=gen))
        W.append(torch.cat(blocks, 1))
    W_out = torch.randn(outputs, width, generator=gen) / width ** 0.5
    b_out = 0.1 * torch.randn(outputs, generator=gen)
    net = DeepEprop(model, width, [width] * depth, outputs, recurrent, 0.9, W, W_out, b_out, dtype=dtype)
    return net, gen


def openblas():
    """(corename, set_num_threads) of the OpenBLAS that torch's BLAS calls go to, or (None, None)."""
    import ctypes
    try:
        lib = ctypes.CDLL("libopenblas.so.0")
    except OSError:
        return None, None
    lib.openblas_get_corename.restype = ctypes.c_char_p
    return lib.openblas_get_corename().decode(), lib.openblas_set_num_threads


def check_twin(net, model, depth, width, rec, xs, ys, steps):
    """Runs the first steps of the benchmark's float32 network next to a float64 twin (same weights
    and inputs; dgemm instead of sgemm) and fails if their gradients differ by more than 1e-4: a
    wrong BLAS kernel (see OPENBLAS_CORETYPE) or a broken step cannot produce a timing."""
    twin, _ = bench_network(model, depth, width, rec, dtype=torch.float64)
    for t in range(steps):
        net.step(xs[t], ys[t])
        twin.step(xs[t].double(), ys[t].double())
    for l in range(depth):
        g, r = net.G[l].double(), twin.G[l]
        err = float((g - r).norm() / r.norm()) if float(r.norm()) > 0 else float(g.norm())
        if not err <= 1e-4:
            sys.exit("torch_step: %s depth %d width %d recurrent %s: float32 gradient of layer %d differs "
                     "from the float64 twin by %.2e after %d steps (a wrong BLAS kernel, or for a spiking model a spike "
                     "flipped by rounding: --check 0 skips this)" % (model, depth, width, rec, l + 1, err, steps))


def run_bench(args):
    core, set_blas_threads = openblas()
    print("# torch %s, BLAS: %s, OPENBLAS_CORETYPE=%s" % (torch.__version__, "OpenBLAS " + core if core else
          "not OpenBLAS (torch.__config__.show() says which)", os.environ.get("OPENBLAS_CORETYPE", "(unset)")),
          file=sys.stderr, flush=True)
    print("model,depth,width,recurrent,threads,us_per_step", flush=True)
    for model in args.models.split(","):
        for rec in [s.strip().lower() == "true" for s in args.recurrent.split(",")]:
            for depth in (int(s) for s in args.depths.split(",")):
                for width in (int(s) for s in args.widths.split(",")):
                    for threads in (int(s) for s in args.threads.split(",")):
                        torch.set_num_threads(threads)
                        if set_blas_threads:
                            set_blas_threads(threads)
                        net, gen = bench_network(model, depth, width, rec)
                        n = args.check + args.warmup + args.steps
                        xs = 4.0 * torch.randn(n, width, generator=gen)
                        ys = torch.randn(n, 8, generator=gen)
                        times = []
                        with torch.no_grad():
                            check_twin(net, model, depth, width, rec, xs, ys, args.check)
                            for t in range(args.check, n):
                                t0 = time.perf_counter_ns()
                                net.step(xs[t], ys[t])
                                t1 = time.perf_counter_ns()
                                if t >= args.check + args.warmup:
                                    times.append(t1 - t0)
                        if not all(torch.isfinite(g).all() for g in net.G):
                            sys.exit("torch_step: non-finite gradient in %s depth %d width %d" % (model, depth, width))
                        us = statistics.median(times) / 1000.0
                        print("%s,%d,%d,%s,%d,%.2f" % (model, depth, width, str(rec).lower(), threads, us),
                              flush=True)
                        del net


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("bench", help="time one online step per configuration, print CSV")
    b.add_argument("--models", default="leaky_tanh")
    b.add_argument("--depths", default="1,2,3,4")
    b.add_argument("--widths", default="16,32,64,128")
    b.add_argument("--recurrent", default="true,false")
    b.add_argument("--threads", default="1,2")
    b.add_argument("--steps", type=int, default=200)
    b.add_argument("--warmup", type=int, default=20)
    b.add_argument("--check", type=int, default=3,
                   help="steps first run next to a float64 twin and compared (1e-4), then timed steps follow")
    c = sub.add_parser("case", help="run a gradcheck case through the timed code, write gradcheck JSON")
    c.add_argument("--case", required=True)
    c.add_argument("--out", required=True)
    c.add_argument("--dtype", default="float32", choices=("float32", "float64"))
    c.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)
    if args.cmd == "bench":
        run_bench(args)
    else:
        run_case(args)


if __name__ == "__main__":
    main()
