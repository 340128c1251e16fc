"""Issue 4's product reference on the host at hand: OpenBLAS sgemm (through torch.addmm, as the
PyTorch peer calls it) at ProductBench's shapes, rows x inner x columns = N x N x N(2N+1) for
N = 64 and 128, and at 1024^3; on 1 and 2 threads. Prints CSV: the median of 9 timed runs.

Run by bench/targets.sh, which unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE as bench/results.sh
does for the peer."""
import time

import torch

SHAPES = [(64, 64, 64 * 129), (128, 128, 128 * 257), (1024, 1024, 1024)]

print("threads,rows,inner,cols,gflops")
for threads in (1, 2):
    torch.set_num_threads(threads)
    for m, k, n in SHAPES:
        a, b, c = torch.rand(m, k), torch.rand(k, n), torch.rand(m, n)
        flop = 2.0 * m * k * n
        reps = max(1, int(4e8 / flop))
        for _ in range(3):
            torch.addmm(c, a, b, out=c)
        rates = []
        for _ in range(9):
            t0 = time.perf_counter()
            for _ in range(reps):
                torch.addmm(c, a, b, out=c)
            rates.append(flop * reps / (time.perf_counter() - t0) / 1e9)
        rates.sort()
        print(f"{threads},{m},{k},{n},{rates[4]:.1f}", flush=True)
