package org.deepeprop.experiment.task;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.deepeprop.experiment.model.NetSpec;
import org.deepeprop.experiment.model.Params;
import org.deepeprop.neuron.NeuronModel;

/**
 * Pattern generation, the regression task of Bellec et al. 2020, here with leaky-tanh neurons: a
 * frozen random spike pattern comes in, and at every step the readout must produce a fixed target
 * curve, the sum of three sines of periods {@value #STEPS}, {@value #STEPS}/2 and {@value #STEPS}/3
 * steps with random amplitudes and phases. The input and the target are drawn once (from a fixed
 * seed) and the same sequence is learned every update; the score is the NMSE on it.
 *
 * <p>Rate neurons, not LIF: the readout of SPEC.md is an instantaneous linear map of the top
 * layer's output, and a few dozen binary spike trains cannot draw a smooth curve through it (the
 * paper's networks have leaky readouts, this kernel has none).
 */
public final class PatternGeneration implements Task {
    static final int STEPS = 50;
    static final int INPUTS = 10;
    static final double INPUT_RATE = 0.1;
    private static final long PATTERN_SEED = 20251231L;
    private static final int WIDTH = 24;
    private final Sequence pattern = draw(new SplittableRandom(PATTERN_SEED));

    @Override
    public String name() {
        return "pattern";
    }

    @Override
    public NetSpec spec(int depth) {
        int[] widths = new int[depth];
        Arrays.fill(widths, WIDTH);
        return NetSpec.of(NeuronModel.LEAKY_TANH, INPUTS, widths, 1, true, 0.9f);
    }

    @Override
    public Params.Init init() {
        return new Params.Init(2.0, 1.0, 0.0, 0.1);
    }

    /** The one frozen sequence, whatever the generator: the task is to learn it. */
    @Override
    public Sequence sample(SplittableRandom rng) {
        return pattern;
    }

    private static Sequence draw(SplittableRandom rng) {
        double[][] x = new double[STEPS][INPUTS];
        for (double[] row : x) {
            for (int i = 0; i < INPUTS; i++) {
                row[i] = rng.nextDouble() < INPUT_RATE ? 1 : 0;
            }
        }
        double[] amplitude = new double[3];
        double[] phase = new double[3];
        for (int k = 0; k < 3; k++) {
            amplitude[k] = rng.nextDouble(0.5, 1.5);
            phase[k] = rng.nextDouble(0, 2 * Math.PI);
        }
        double[][] target = new double[STEPS][1];
        for (int t = 0; t < STEPS; t++) {
            for (int k = 0; k < 3; k++) {
                target[t][0] += amplitude[k] * Math.sin(2 * Math.PI * (k + 1) * t / STEPS + phase[k]);
            }
        }
        return new Sequence(x, target, -1);
    }

    @Override
    public boolean classification() {
        return false;
    }

    @Override
    public Schedule schedule(boolean quick) {
        return quick ? new Schedule(40, 1, 0.01f, 10, 1) : new Schedule(400, 1, 0.01f, 20, 1);
    }
}
