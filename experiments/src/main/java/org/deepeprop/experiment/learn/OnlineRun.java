package org.deepeprop.experiment.learn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.deepeprop.experiment.model.Dynamics;
import org.deepeprop.experiment.model.MaskedBptt;
import org.deepeprop.experiment.model.NetSpec;
import org.deepeprop.experiment.model.Params;
import org.deepeprop.experiment.task.Sequence;
import org.deepeprop.experiment.task.Task;
import org.deepeprop.net.DeepEpropNetwork;
import org.deepeprop.train.Adam;
import org.deepeprop.verify.Gradients;
import org.deepeprop.verify.Metrics;

/**
 * Deep e-prop on the kernel with weight updates every {@code K} steps (or at the end of each
 * sequence, {@code K = 0}), one sequence per update window, probed with {@link DriftProbe} at up to
 * {@value #PROBE_STEPS} steps of a few chosen training sequences (the paper's open question 4).
 */
public final class OnlineRun {
    /** Probes per probed sequence, spread over the steps that have a target. */
    static final int PROBE_STEPS = 10;

    private OnlineRun() {
    }

    /** The learning curve and the probes of one run. */
    public record Result(Curve curve, List<DriftProbe> probes) {
    }

    /**
     * @param updateEvery {@code K}; 0 updates at the end of each sequence
     * @param sequences   number of training sequences
     * @param learningRate Adam's step size
     * @param probeAt     1-based indices of the sequences to probe
     */
    public static Result run(Task task, int depth, long seed, int updateEvery, int sequences, float learningRate,
                             int evalEvery, int testSize, int[] probeAt) {
        NetSpec spec = task.spec(depth);
        Params init = Params.random(spec, task.init(), seed);
        DeepEpropNetwork net = new DeepEpropNetwork(spec.config());
        init.copyInto(net);
        Adam adam = new Adam(learningRate);
        Evaluator evaluator = new Evaluator(task, spec, testSize, seed + 1_000_003L);
        SplittableRandom data = new SplittableRandom(seed * 31 + 7);
        int points = sequences / evalEvery + 1;
        int[] iteration = new int[points];
        double[] metric = new double[points];
        double[] loss = new double[points];
        Evaluator.Score first = evaluator.score(init);
        metric[0] = first.metric();
        loss[0] = first.loss();
        List<DriftProbe> probes = new ArrayList<>();
        float[] x = new float[spec.inputs()];
        float[] y = new float[spec.outputs()];
        float[] out = new float[spec.outputs()];
        for (int n = 1; n <= sequences; n++) {
            Sequence s = task.sample(data);
            List<Integer> probeSteps = contains(probeAt, n) ? probeSteps(s) : List.of();
            double[][] applied = probeSteps.isEmpty() ? null : zeros(spec);
            net.resetState();
            int since = 0;
            for (int t = 0; t < s.steps(); t++) {
                Gradients before = applied != null ? KernelGradients.read(net) : null;
                net.step(KernelLearner.toFloat(s.x()[t], x), s.target()[t] == null ? null : KernelLearner.toFloat(s.target()[t], y));
                if (applied != null) {
                    double[][] contribution = difference(KernelGradients.read(net).gradW(), before.gradW());
                    add(applied, contribution);
                    if (probeSteps.contains(t)) {
                        net.output(out);
                        probes.add(DriftProbe.take(spec, Params.of(net), s, t, n, applied, contribution, out));
                    }
                }
                if (updateEvery > 0 && ++since == updateEvery) {
                    net.applyGradients(adam);
                    since = 0;
                }
            }
            if (updateEvery == 0 || since > 0) {
                net.applyGradients(adam);
            }
            if (n % evalEvery == 0) {
                Evaluator.Score score = evaluator.score(Params.of(net));
                iteration[n / evalEvery] = n;
                metric[n / evalEvery] = score.metric();
                loss[n / evalEvery] = score.loss();
            }
        }
        return new Result(new Curve(iteration, metric, loss), probes);
    }

    private static boolean contains(int[] values, int v) {
        return Arrays.stream(values).anyMatch(p -> p == v);
    }

    /** Up to {@link #PROBE_STEPS} 0-based steps with a target, evenly spread, always the last one. */
    static List<Integer> probeSteps(Sequence s) {
        List<Integer> withTarget = new ArrayList<>();
        for (int t = 0; t < s.steps(); t++) {
            if (s.target()[t] != null) {
                withTarget.add(t);
            }
        }
        List<Integer> chosen = new ArrayList<>();
        int count = Math.min(PROBE_STEPS, withTarget.size());
        for (int k = 1; k <= count; k++) {
            chosen.add(withTarget.get((int) Math.round((double) k * withTarget.size() / count) - 1));
        }
        return chosen;
    }

    private static double[][] difference(double[][] after, double[][] before) {
        double[][] d = new double[after.length][];
        for (int l = 0; l < d.length; l++) {
            d[l] = after[l].clone();
            for (int i = 0; i < d[l].length; i++) {
                d[l][i] -= before[l][i];
            }
        }
        return d;
    }

    private static void add(double[][] sum, double[][] part) {
        for (int l = 0; l < sum.length; l++) {
            for (int i = 0; i < sum[l].length; i++) {
                sum[l][i] += part[l][i];
            }
        }
    }

    private static double[][] zeros(NetSpec spec) {
        double[][] z = new double[spec.depth()][];
        for (int l = 0; l < z.length; l++) {
            z[l] = new double[spec.width(l) * spec.presynaptic(l)];
        }
        return z;
    }
}
