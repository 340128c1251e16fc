package org.deepeprop.neuron;

/**
 * Leaky integrate-and-fire: {@code v_t = a v_{t-1} + (1 - a) I_t - v_th z_{t-1}},
 * {@code z_t = [v_t > v_th]}, {@code psi = q(v_t - v_th)}. The reset is a constant in every
 * derivative, as in e-prop.
 */
final class LifLayer extends MembraneLayer {
    private final float vTh;
    private final float gamma;

    LifLayer(float[] alpha, float vTh, float gamma) {
        super(alpha);
        this.vTh = vTh;
        this.gamma = gamma;
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
}
