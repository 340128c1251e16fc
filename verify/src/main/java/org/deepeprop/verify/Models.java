package org.deepeprop.verify;

import java.util.Locale;

/**
 * The neuron-model facts of SPEC.md section 2 that both double references need: model names,
 * state dimension and the pseudo-derivative {@code q}. Deliberately tiny: the trace and backward
 * logic stays in each reference so a bug in one shows up against the other.
 */
final class Models {
    static final String LEAKY_TANH = "leaky_tanh";
    static final String LIF = "lif";
    static final String ALIF = "alif";

    private Models() {
    }

    /** The canonical lower-case model name; throws for anything but the three models. */
    static String canonical(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        if (!m.equals(LEAKY_TANH) && !m.equals(LIF) && !m.equals(ALIF)) {
            throw new IllegalArgumentException(
                    "model: got \"" + model + "\", expected one of \"leaky_tanh\", \"lif\", \"alif\"");
        }
        return m;
    }

    /** State dimension {@code d}: 2 for ALIF (membrane, adaptation), 1 otherwise. */
    static int stateDim(String model) {
        return canonical(model).equals(ALIF) ? 2 : 1;
    }

    /** Whether the model emits binary spikes. */
    static boolean spiking(String model) {
        return !canonical(model).equals(LEAKY_TANH);
    }

    /** Pseudo-derivative {@code q(u) = (gamma / v_th) max(0, 1 - |u| / v_th)}. */
    static double q(double u, double vTh, double gamma) {
        return gamma / vTh * Math.max(0.0, 1.0 - Math.abs(u) / vTh);
    }
}
