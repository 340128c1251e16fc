package org.deepeprop.experiment.task;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.deepeprop.experiment.model.NetSpec;
import org.deepeprop.experiment.model.Params;
import org.deepeprop.neuron.NeuronModel;

/**
 * Delayed temporal XOR with leaky-tanh neurons. Cue A (+1 or -1 on channel 0) comes first, cue B
 * (on channel 1) after a random delay, and only in the final answer window (a "go" signal on
 * channel 2) must the readout say +1 if the cues differed and -1 if they agreed. Every channel
 * carries Gaussian noise. Cue A must be held for {@value #STEPS} - {@value #CUE} steps, longer than
 * the membrane time constant (10 steps), so the network needs its recurrent weights for memory and
 * a nonlinear stage for the XOR. The noise hides cue B in about one sequence in a hundred (a
 * two-step cue among twenty candidate windows), so the best achievable accuracy is just under 1.
 */
public final class DelayedXor implements Task {
    static final int STEPS = 60;
    static final int CUE = 2;
    static final int ANSWER = 5;
    static final int EARLIEST_B = 20;
    static final int LATEST_B = 40;
    static final double NOISE = 0.3;
    private static final int WIDTH = 16;

    @Override
    public String name() {
        return "xor";
    }

    @Override
    public NetSpec spec(int depth) {
        int[] widths = new int[depth];
        Arrays.fill(widths, WIDTH);
        return NetSpec.of(NeuronModel.LEAKY_TANH, 3, widths, 1, true, 0.9f);
    }

    @Override
    public Params.Init init() {
        return new Params.Init(2.0, 1.0, 0.0, 0.1);
    }

    @Override
    public Sequence sample(SplittableRandom rng) {
        double a = rng.nextBoolean() ? 1 : -1;
        double b = rng.nextBoolean() ? 1 : -1;
        int onsetB = rng.nextInt(EARLIEST_B, LATEST_B + 1);
        double[][] x = new double[STEPS][3];
        double[][] target = new double[STEPS][];
        for (int t = 0; t < STEPS; t++) {
            for (int i = 0; i < 3; i++) {
                x[t][i] = NOISE * rng.nextGaussian();
            }
            if (t < CUE) {
                x[t][0] += a;
            }
            if (t >= onsetB && t < onsetB + CUE) {
                x[t][1] += b;
            }
            if (t >= STEPS - ANSWER) {
                x[t][2] += 1;
                target[t] = new double[] {a != b ? 1 : -1};
            }
        }
        return new Sequence(x, target, a != b ? 1 : 0);
    }

    @Override
    public boolean classification() {
        return true;
    }

    @Override
    public Schedule schedule(boolean quick) {
        return quick ? new Schedule(30, 8, 0.01f, 10, 64) : new Schedule(300, 16, 0.01f, 20, 256);
    }
}
