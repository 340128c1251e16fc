package org.deepeprop.neuron;

import org.deepeprop.simd.TraceOps;

/** {@code v_t = a v_{t-1} + (1 - a) I_t}, {@code z_t = tanh(v_t)}, {@code psi = 1 - z_t^2}. */
final class LeakyTanhLayer extends MembraneLayer {
    private final TraceOps ops;

    LeakyTanhLayer(float[] alpha, TraceOps ops) {
        super(alpha);
        this.ops = ops;
    }

    @Override
    public void step(float[] current, float[] z) {
        for (int j = 0; j < width; j++) {
            v[j] = Math.fma(decay[j], v[j], inject[j] * current[j]);
        }
        ops.tanh(v, 0, z, 0, width);
        for (int j = 0; j < width; j++) {
            psi[j] = 1f - z[j] * z[j];
        }
    }
}
