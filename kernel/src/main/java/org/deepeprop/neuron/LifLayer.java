package org.deepeprop.neuron;

import java.util.Arrays;

/**
 * Leaky integrate-and-fire: {@code v_t = a v_{t-1} + (1 - a) I_t - v_th z_{t-1}},
 * {@code z_t = [v_t > v_th]}, {@code psi = q(v_t - v_th)}. The reset is a constant in every
 * derivative, as in e-prop.
 */
final class LifLayer extends NeuronLayer {
    private final float vTh;
    private final float gamma;
    private final float[] v;

    LifLayer(float[] alpha, float vTh, float gamma) {
        super(alpha);
        this.vTh = vTh;
        this.gamma = gamma;
        this.v = new float[width];
    }

    @Override
    public void step(float[] current, float[] z) {
        for (int j = 0; j < width; j++) {
            float vj = Math.fma(decay[j], v[j], inject[j] * current[j]) - vTh * z[j];
            v[j] = vj;
            z[j] = vj > vTh ? 1f : 0f;
            psi[j] = pseudoDerivative(vj - vTh, vTh, gamma);
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
