import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntToLongFunction;
import org.deepeprop.net.DeepEpropNetwork;
import org.deepeprop.net.NetworkConfig;
import org.deepeprop.neuron.NeuronModel;
import org.deepeprop.train.Adam;

/**
 * One network of the JMH step fixture's shape (width N everywhere, 8 outputs, a target every step,
 * reset every 1000 steps), loaded once per kernel jar by {@link AB}: {@code applyAsLong(n)} runs n
 * steps and returns the nanoseconds they took, including the weight updates when {@code updateEvery > 0}.
 */
public final class Runner implements IntToLongFunction {
    private static final int SEQUENCE = 1000;
    private final DeepEpropNetwork net;
    private final float[][] xs;
    private final float[][] ys;
    private final int updateEvery;
    private final Adam adam = new Adam(1e-4f);
    private int t;

    public Runner(int depth, int width, int threads, String model, int updateEvery) {
        this.updateEvery = updateEvery;
        int[] widths = new int[depth];
        Arrays.fill(widths, width);
        net = new DeepEpropNetwork(NetworkConfig.builder().inputs(width).layers(widths).outputs(8)
                .model(NeuronModel.parse(model)).recurrent(true).seed(1).threads(threads).build());
        SplittableRandom rng = new SplittableRandom(1);
        xs = new float[SEQUENCE][width];
        ys = new float[SEQUENCE][8];
        for (float[] x : xs) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextGaussian() * 4f;
            }
        }
        for (float[] y : ys) {
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) rng.nextGaussian();
            }
        }
    }

    @Override
    public long applyAsLong(int n) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            net.step(xs[t], ys[t]);
            if (updateEvery > 0 && (t + 1) % updateEvery == 0) {
                net.applyGradients(adam);
            }
            if (++t == SEQUENCE) {
                t = 0;
                net.resetState();
                net.zeroGradients();
            }
        }
        return System.nanoTime() - t0;
    }
}
