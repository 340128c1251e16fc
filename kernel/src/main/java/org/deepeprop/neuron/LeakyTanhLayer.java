package org.deepeprop.neuron;

import java.util.Arrays;

/** {@code v_t = a v_{t-1} + (1 - a) I_t}, {@code z_t = tanh(v_t)}, {@code psi = 1 - z_t^2}. */
final class LeakyTanhLayer extends NeuronLayer {
    private final float[] v;

    LeakyTanhLayer(float[] alpha) {
        super(alpha);
        this.v = new float[width];
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

    @Override
    public void reset() {
        Arrays.fill(v, 0f);
        Arrays.fill(psi, 0f);
    }

    @Override
    public int stateDim() {
        return 1;
    }

    @Override
    public void saveState(float[] dst, int off) {
        System.arraycopy(v, 0, dst, off, width);
    }

    @Override
    public void loadState(float[] src, int off) {
        System.arraycopy(src, off, v, 0, width);
    }

    @Override
    public int stateSize() {
        return width;
    }

    @Override
    public int firstNonFiniteState() {
        return firstNonFinite(v);
    }
}
