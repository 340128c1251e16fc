package org.deepeprop.neuron;

import java.util.Arrays;

/** The models whose whole state is one membrane value per neuron ({@code d = 1}). */
abstract sealed class MembraneLayer extends NeuronLayer permits LeakyTanhLayer, LifLayer {
    final float[] v;

    MembraneLayer(float[] alpha) {
        super(alpha);
        this.v = new float[width];
    }

    @Override
    public final void reset() {
        Arrays.fill(v, 0f);
        Arrays.fill(psi, 0f);
    }

    @Override
    public final int stateDim() {
        return 1;
    }

    @Override
    public final void saveState(float[] dst, int off) {
        System.arraycopy(v, 0, dst, off, width);
    }

    @Override
    public final void loadState(float[] src, int off) {
        System.arraycopy(src, off, v, 0, width);
    }

    @Override
    public final int stateSize() {
        return width;
    }

    @Override
    public final int firstNonFiniteState() {
        return firstNonFinite(v);
    }
}
