package org.deepeprop.neuron;

import java.util.Arrays;

/**
 * Adaptive LIF (SPEC.md section 2): state {@code (v, a)} with {@code a_t = rho a_{t-1} + z_{t-1}},
 * {@code v_t} as LIF, threshold {@code A_t = v_th + beta a_t}, {@code z_t = [v_t > A_t]}.
 * {@code D = [[alpha, 0], [q_{t-1}, rho - beta q_{t-1}]]}, {@code c = (1 - alpha, 0)},
 * {@code psi = (q_t, -beta q_t)} with {@code q_t = q(v_t - A_t)}; so the layer remembers
 * {@code q_{t-1}}.
 */
final class AlifLayer extends NeuronLayer {
    private final float vTh;
    private final float gamma;
    private final float beta;
    private final float rho;
    private final float[] v;
    private final float[] adapt;
    private final float[] qPrev;
    private final float[] cross;
    private final float[] adaptDecay;
    private final float[] psiAdapt;

    AlifLayer(float[] alpha, float vTh, float gamma, float beta, float rho) {
        super(alpha);
        this.vTh = vTh;
        this.gamma = gamma;
        this.beta = beta;
        this.rho = rho;
        this.v = new float[width];
        this.adapt = new float[width];
        this.qPrev = new float[width];
        this.cross = new float[width];
        this.adaptDecay = new float[width];
        this.psiAdapt = new float[width];
    }

    @Override
    public void step(float[] current, float[] z) {
        for (int j = 0; j < width; j++) {
            float zPrev = z[j];
            float aj = Math.fma(rho, adapt[j], zPrev);
            float vj = Math.fma(decay[j], v[j], inject[j] * current[j]) - vTh * zPrev;
            float threshold = Math.fma(beta, aj, vTh);
            float q = pseudoDerivative(vj - threshold, vTh, gamma);
            cross[j] = qPrev[j];
            adaptDecay[j] = rho - beta * qPrev[j];
            psi[j] = q;
            psiAdapt[j] = -beta * q;
            qPrev[j] = q;
            adapt[j] = aj;
            v[j] = vj;
            z[j] = vj > threshold ? 1f : 0f;
        }
    }

    @Override
    public void reset() {
        Arrays.fill(v, 0f);
        Arrays.fill(adapt, 0f);
        Arrays.fill(qPrev, 0f);
        Arrays.fill(psi, 0f);
        Arrays.fill(psiAdapt, 0f);
    }

    @Override
    public int stateDim() {
        return 2;
    }

    @Override
    public float[] cross() {
        return cross;
    }

    @Override
    public float[] adaptDecay() {
        return adaptDecay;
    }

    @Override
    public float[] psiAdapt() {
        return psiAdapt;
    }

    @Override
    public void saveState(float[] dst, int off) {
        System.arraycopy(v, 0, dst, off, width);
        System.arraycopy(adapt, 0, dst, off + width, width);
        System.arraycopy(qPrev, 0, dst, off + 2 * width, width);
    }

    @Override
    public void loadState(float[] src, int off) {
        System.arraycopy(src, off, v, 0, width);
        System.arraycopy(src, off + width, adapt, 0, width);
        System.arraycopy(src, off + 2 * width, qPrev, 0, width);
    }

    @Override
    public int stateSize() {
        return 3 * width;
    }

    @Override
    public int firstNonFiniteState() {
        int i = firstNonFinite(v);
        if (i < 0 && (i = firstNonFinite(adapt)) >= 0) {
            i += width;
        }
        return i;
    }
}
