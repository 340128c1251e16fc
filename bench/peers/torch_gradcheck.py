#!/usr/bin/python3
"""Independent PyTorch (float64, autograd) gradients of a gradcheck case (SPEC.md section 6).

    /usr/bin/python3 bench/peers/torch_gradcheck.py --case CASE.json --method eprop|bptt --out OUT.json

Writes the same JSON as `./eprop gradcheck` (keys loss, grad_W, grad_W_out, grad_b_out, method,
path = "torch"). Uses Debian's python3-torch (apt-get install -y python3-torch python3-numpy), hence
/usr/bin/python3 rather than a pyenv python. Nothing here is timed, so the OPENBLAS_* variables
of this machine do not matter (torch_step.py is the timed peer).

Conventions (the same as verify/.../Bptt.java, written independently):
  p^l_t = [z^{l-1}_t ; z^l_{t-1} (if recurrent) ; 1],   I^l_t = W^l p^l_t
  leaky_tanh: v_t = a v_{t-1} + (1-a) I_t,  z_t = tanh(v_t)
  lif:        v_t = a v_{t-1} + (1-a) I_t - v_th z_{t-1},  u_t = v_t - v_th
  alif:       adapt_t = rho adapt_{t-1} + z_{t-1};  v_t as lif;  u_t = v_t - v_th - beta adapt_t
  spike:      z_t = [u_t > 0] forward, dz/du = q(u) = gamma/v_th * max(0, 1 - |u|/v_th) backward
  reset:      the term -v_th z_{t-1} is detached (a constant), as in e-prop
  readout:    y_t = W_out z^L_t + b_out,  loss = sum_t 1/2 ||y_t - y*_t||^2

--method bptt: the exact gradient of that graph by autograd (B, if present, is ignored).
--method eprop: deep e-prop. With B = W_out^T it equals BPTT on the graph in which the recurrent
  edges z^l_{t-1} -> I^l_t are cut: z^l_{t-1} is detached where it enters p^l_t as presynaptic
  input (so dI/dW_rec = z_{t-1} still holds and the recurrent weights still get their gradient,
  through the terminal trace), while every neuron-local dependency (leak, ALIF adaptation through
  the neuron's own z_{t-1}) and every same-step edge z^{l-1}_t -> I^l_t is kept. With an explicit B
  the top layer's learning signal is delta_t = B e_t instead of W_out^T e_t: the readout is a custom
  Function whose backward sends B e_t to z^L_t (the readout's own gradients stay exact). Both facts
  follow from G^l = sum_t delta_t^T dz^L_t/dtheta^l with the total derivative taken along the
  paths deep e-prop keeps (SPEC.md section 3), which is linear in delta_t.
"""
import argparse
import json
import math
import sys

import torch

MODELS = ("leaky_tanh", "lif", "alif")
DEFAULTS = {"v_th": 1.0, "gamma": 0.3, "beta": 0.07, "rho": 0.97}  # NetworkConfig.DEFAULT_*


class Spike(torch.autograd.Function):
    """Heaviside forward (u > 0), pseudo-derivative q(u) backward."""

    @staticmethod
    def forward(ctx, u, v_th, gamma):
        ctx.save_for_backward(u)
        ctx.v_th, ctx.gamma = v_th, gamma
        return (u > 0).to(u.dtype)

    @staticmethod
    def backward(ctx, grad):
        (u,) = ctx.saved_tensors
        q = ctx.gamma / ctx.v_th * torch.clamp(1.0 - u.abs() / ctx.v_th, min=0.0)
        return grad * q, None, None


class FeedbackReadout(torch.autograd.Function):
    """y = W_out z + b_out; backward sends B (dL/dy) to z instead of W_out^T (dL/dy)."""

    @staticmethod
    def forward(ctx, z, w_out, b_out, feedback):
        ctx.save_for_backward(z, feedback)
        return w_out @ z + b_out

    @staticmethod
    def backward(ctx, grad_y):
        z, feedback = ctx.saved_tensors
        return feedback @ grad_y, torch.outer(grad_y, z), grad_y, None


def load_case(path):
    with open(path) as f:
        c = json.load(f)
    for k, v in DEFAULTS.items():
        c.setdefault(k, v)
    c["model"] = c["model"].lower()
    if c["model"] not in MODELS:
        raise ValueError("model: got %r, expected one of %s" % (c["model"], MODELS))
    return c


def gradients(c, method, dtype=torch.float64):
    """(loss, [grad W^l], grad W_out, grad b_out): a float and float64 tensors shaped like the weights."""
    model = c["model"]
    L = len(c["layers"])
    n0, nout, T, rec = c["inputs"], c["outputs"], c["T"], c["recurrent"]
    a, v_th, gamma, beta, rho = (float(c[k]) for k in ("alpha", "v_th", "gamma", "beta", "rho"))
    widths = [n0] + list(c["layers"])
    t = lambda xs: torch.tensor(xs, dtype=dtype)
    W = []
    for l in range(L):
        P = widths[l] + (widths[l + 1] if rec else 0) + 1
        W.append(t(c["W"][l]).reshape(widths[l + 1], P).requires_grad_(True))
    w_out = t(c["W_out"]).reshape(nout, widths[L]).requires_grad_(True)
    b_out = t(c["b_out"]).requires_grad_(True)
    x = t(c["x"]).reshape(T, n0)
    y_star = t(c["y"]).reshape(T, nout)
    eprop = method == "eprop"
    feedback = t(c["B"]).reshape(widths[L], nout) if (eprop and "B" in c) else None

    v = [torch.zeros(n, dtype=dtype) for n in widths[1:]]
    adapt = [torch.zeros(n, dtype=dtype) for n in widths[1:]]
    z = [torch.zeros(n, dtype=dtype) for n in widths[1:]]
    one = torch.ones(1, dtype=dtype)
    loss = torch.zeros((), dtype=dtype)
    for step in range(T):
        below = x[step]
        for l in range(L):
            z_prev = z[l]
            parts = [below]
            if rec:
                parts.append(z_prev.detach() if eprop else z_prev)
            parts.append(one)
            I = W[l] @ torch.cat(parts)
            if model == "leaky_tanh":
                v[l] = a * v[l] + (1 - a) * I
                z[l] = torch.tanh(v[l])
            else:
                v[l] = a * v[l] + (1 - a) * I - v_th * z_prev.detach()
                u = v[l] - v_th
                if model == "alif":
                    adapt[l] = rho * adapt[l] + z_prev
                    u = u - beta * adapt[l]
                z[l] = Spike.apply(u, v_th, gamma)
            below = z[l]
        if feedback is None:
            y = w_out @ z[L - 1] + b_out
        else:
            y = FeedbackReadout.apply(z[L - 1], w_out, b_out, feedback)
        loss = loss + 0.5 * ((y - y_star[step]) ** 2).sum()
    grads = torch.autograd.grad(loss, W + [w_out, b_out], allow_unused=True)
    grads = [g if g is not None else torch.zeros_like(p) for g, p in zip(grads, W + [w_out, b_out])]
    return loss.item(), grads[:L], grads[L], grads[L + 1]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--case", required=True)
    ap.add_argument("--method", required=True, choices=("eprop", "bptt"))
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    c = load_case(args.case)
    loss, gw, gwo, gbo = gradients(c, args.method)
    flat = lambda g: [float(v) for v in g.reshape(-1).tolist()]
    out = {"method": args.method, "path": "torch", "loss": loss,
           "grad_W": [flat(g) for g in gw], "grad_W_out": flat(gwo), "grad_b_out": flat(gbo)}
    for k in ("loss",):
        if not math.isfinite(out[k]):
            sys.exit("torch_gradcheck: %s is not finite" % k)
    with open(args.out, "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
