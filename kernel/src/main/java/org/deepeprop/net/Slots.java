package org.deepeprop.net;

import java.util.Arrays;

/** The step slots of the deferral buffers ({@link FactorBuffer}, {@link DeepBuffer}, {@link AlifBuffer}, {@link ChainBuffer}). */
final class Slots {
    private Slots() {
    }

    /**
     * Writes a step's contraction weights into {@code to[at, at + length)}: the first {@code length}
     * of {@code signal}, or zeros for a step without a target ({@code signal} null).
     *
     * @return whether the step had a target
     */
    static boolean keepSignal(float[] signal, float[] to, int at, int length) {
        if (signal == null) {
            Arrays.fill(to, at, at + length, 0f);
            return false;
        }
        System.arraycopy(signal, 0, to, at, length);
        return true;
    }
}
