package org.deepeprop.experiment.task;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.deepeprop.experiment.model.NetSpec;
import org.deepeprop.experiment.model.Params;
import org.deepeprop.neuron.NeuronModel;

/**
 * Evidence accumulation with adaptive (ALIF) spiking neurons, a small version of the task of
 * Bellec et al. 2020. {@value #CUES} cues, each on the left or the right, arrive as bursts of input
 * spikes on the left or right channel group; after a delay a "go" group fires and the readout must
 * name the side that had more cues. Every channel also fires at a low background rate. The network
 * has to count over the whole cue phase and keep the count through the delay: the adaptation
 * (a time constant of about 33 steps) and the recurrent weights are its memory.
 */
public final class EvidenceAccumulation implements Task {
    static final int CUES = 5;
    static final int CUE_ON = 4;
    static final int CUE_OFF = 2;
    static final int DELAY = 10;
    static final int ANSWER = 5;
    static final int GROUP = 4;
    static final int STEPS = CUES * (CUE_ON + CUE_OFF) + DELAY + ANSWER;
    static final double CUE_RATE = 0.5;
    static final double GO_RATE = 0.5;
    static final double BACKGROUND_RATE = 0.02;
    private static final int WIDTH = 20;
    /**
     * Adaptation strength: far above the kernel default (0.07), so that a neuron's recent spikes
     * raise its threshold enough to carry the count through the delay.
     */
    static final float BETA = 1.0f;

    @Override
    public String name() {
        return "evidence";
    }

    @Override
    public NetSpec spec(int depth) {
        int[] widths = new int[depth];
        Arrays.fill(widths, WIDTH);
        NetSpec s = NetSpec.of(NeuronModel.ALIF, 3 * GROUP, widths, 2, true, 0.9f);
        return new NetSpec(s.model(), s.inputs(), s.widths(), s.outputs(), true, s.alpha(), s.vTh(), s.gamma(),
                BETA, s.rho());
    }

    @Override
    public Params.Init init() {
        return new Params.Init(3.0, 1.0, 1.3, 0.3);
    }

    @Override
    public Sequence sample(SplittableRandom rng) {
        int[] side = new int[CUES];
        int right = 0;
        for (int c = 0; c < CUES; c++) {
            side[c] = rng.nextInt(2);
            right += side[c];
        }
        int label = 2 * right > CUES ? 1 : 0;
        double[][] x = new double[STEPS][3 * GROUP];
        double[][] target = new double[STEPS][];
        for (int t = 0; t < STEPS; t++) {
            int cue = t / (CUE_ON + CUE_OFF);
            boolean cueOn = cue < CUES && t % (CUE_ON + CUE_OFF) < CUE_ON;
            boolean go = t >= STEPS - ANSWER;
            for (int g = 0; g < 3; g++) {
                double rate = BACKGROUND_RATE;
                if (cueOn && g == side[cue]) {
                    rate = CUE_RATE;
                } else if (go && g == 2) {
                    rate = GO_RATE;
                }
                for (int i = 0; i < GROUP; i++) {
                    x[t][g * GROUP + i] = rng.nextDouble() < rate ? 1 : 0;
                }
            }
            if (go) {
                target[t] = label == 1 ? new double[] {0, 1} : new double[] {1, 0};
            }
        }
        return new Sequence(x, target, label);
    }

    @Override
    public boolean classification() {
        return true;
    }

    @Override
    public Schedule schedule(boolean quick) {
        return quick ? new Schedule(30, 8, 0.003f, 10, 64) : new Schedule(300, 16, 0.003f, 20, 256);
    }
}
