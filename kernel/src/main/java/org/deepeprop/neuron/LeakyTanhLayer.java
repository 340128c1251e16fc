package org.deepeprop.neuron;

/** {@code v_t = a v_{t-1} + (1 - a) I_t}, {@code z_t = tanh(v_t)}, {@code psi = 1 - z_t^2}. */
final class LeakyTanhLayer extends MembraneLayer {

    LeakyTanhLayer(float[] alpha) {
        super(alpha);
    }

    @Override
    public void step(float[] current, float[] z) {
        for (int j = 0; j < width; j++) {
            float vj = Math.fma(decay[j], v[j], inject[j] * current[j]);
            float zj = (float) Math.tanh(vj);
            v[j] = vj;
            z[j] = zj;
            psi[j] = 1f - zj * zj;
        }
    }
}
