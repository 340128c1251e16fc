package org.deepeprop.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;
import org.deepeprop.neuron.NeuronLayer;
import org.deepeprop.neuron.NeuronModel;
import org.deepeprop.train.Adam;
import org.deepeprop.train.Optimizer;
import org.deepeprop.train.Sgd;
import org.deepeprop.train.Trainer;

/**
 * Saves a complete learner to a file and restores it, so that continuing the restored copy gives
 * bit-identical results to the saved learner continuing (on the same kernel path). Saving first
 * applies the network's deferred top-layer terms ({@link DeepEpropNetwork}), which changes no
 * value beyond float rounding.
 *
 * <p>What is saved: the whole {@link NetworkConfig} (sizes, model and its parameters, per-neuron
 * decays, recurrence, feedback kind, seed, path, factorisation); for every layer the weights, the
 * accumulated gradient, the last output {@code z}, the neuron state ({@link NeuronLayer#saveState}),
 * the terminal trace, the ALIF sensitivities and every hierarchical trace {@code T^{k<-l}} (as held:
 * an adjacent trace in factor form is saved as its factor, with a flag per layer; its segment
 * form, after a weight change within a sequence, as its flag, decay power and fresh factor, below
 * the top with its coefficients of the deep traces above); the
 * readout weights, bias and their gradients, the last output {@code y}, an explicit feedback matrix
 * if one is set; the accumulated loss and the step counter; optionally the optimiser ({@link Sgd}:
 * its learning rate; {@link Adam}: hyper-parameters, moments and update count) and the
 * {@link Trainer}'s schedule (interval and steps since the last update). Per-step scratch (currents,
 * partial derivatives, errors) is recomputed by the next step and not saved.
 *
 * <p>File format, version {@value #FORMAT_VERSION}, big-endian: the 8 ASCII bytes
 * {@code DEEPEPRP}; the format version (int); the payload length in bytes (long); the payload; the
 * CRC32C of the payload (int). Every array in the payload is preceded by its length. Any change of
 * layout bumps the version; a loader refuses every version but its own.
 *
 * <p>Saving writes a temporary file in the target's directory, forces it to disk and renames it
 * over the target atomically: the target is either the old file or the complete new one, never a
 * partial write, and the temporary file is removed on failure. Saving refuses a learner holding a
 * non-finite value (a diverged learner must not overwrite a good checkpoint).
 *
 * <p>Loading checks, in this order, the magic bytes, the version, the file length against the
 * header, the checksum; then parses into fresh objects, checking every length, every enum name,
 * every configuration value (through {@link NetworkConfig.Builder#build()}), that every float is
 * finite, and that nothing follows the payload. A bad file throws {@link InvalidCheckpointException}
 * with a one-line message naming the file and what is wrong; nothing is returned and no existing
 * object is touched.
 *
 * <p>Threading: the static methods may be called from any thread, but {@code save} reads the
 * learner, so it must not run concurrently with a {@code step} or update of the same learner.
 * A loaded {@code Checkpoint} is immutable; the objects it holds follow their own contracts.
 */
public final class Checkpoint {
    /** The version of the file layout this class writes and reads. */
    public static final int FORMAT_VERSION = 6;

    private static final byte[] MAGIC = "DEEPEPRP".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = MAGIC.length + 4 + 8;
    private static final int TRAILER = 4;
    static final int BUFFER = 1 << 16;
    static final int MAX_STRING = 64;
    private static final int MAX_DEPTH = 1 << 16;

    private static final byte NO_OPTIMIZER = 0;
    private static final byte SGD = 1;
    private static final byte ADAM = 2;

    private final DeepEpropNetwork network;
    private final Optimizer optimizer;
    private final Trainer trainer;

    private Checkpoint(DeepEpropNetwork network, Optimizer optimizer, Trainer trainer) {
        this.network = network;
        this.optimizer = optimizer;
        this.trainer = trainer;
    }

    /** A checkpoint file is not one this version can load: wrong magic or version, truncated, corrupted or inconsistent. */
    public static final class InvalidCheckpointException extends IOException {
        private static final long serialVersionUID = 1L;

        InvalidCheckpointException(String message) {
            super(message);
        }

        InvalidCheckpointException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The restored network. */
    public DeepEpropNetwork network() {
        return network;
    }

    /** The restored optimiser, or {@code null} if the checkpoint was saved without one. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * The restored trainer (driving {@link #network()} with {@link #optimizer()}), or {@code null}
     * if the checkpoint was saved from a network rather than a {@link Trainer}.
     */
    public Trainer trainer() {
        return trainer;
    }

    // ---------------------------------------------------------------------------------------------
    // Saving

    /** Saves a network without an optimiser. See {@link #save(Trainer, java.nio.file.Path)}. */
    public static void save(DeepEpropNetwork network, java.nio.file.Path file) throws IOException {
        save(network, null, file);
    }

    /**
     * Saves a network and the optimiser that updates it (for callers that call
     * {@link DeepEpropNetwork#applyGradients} themselves). See {@link #save(Trainer, java.nio.file.Path)}.
     *
     * @param optimizer an {@link Sgd}, an {@link Adam}, or {@code null}
     */
    public static void save(DeepEpropNetwork network, Optimizer optimizer, java.nio.file.Path file) throws IOException {
        if (network == null) {
            throw new IllegalArgumentException("network: got null, expected a DeepEpropNetwork");
        }
        save(network, optimizer, null, file, null);
    }

    /**
     * Saves a trainer: its network, its optimiser and its schedule, atomically.
     *
     * @throws IllegalArgumentException if an argument is null or the optimiser is neither {@link Sgd}
     *     nor {@link Adam} (nothing is written)
     * @throws IllegalStateException naming the array and index if the learner holds a non-finite
     *     value (the target is left as it was)
     * @throws IOException if the file cannot be written (the target is left as it was)
     */
    public static void save(Trainer trainer, java.nio.file.Path file) throws IOException {
        if (trainer == null) {
            throw new IllegalArgumentException("trainer: got null, expected a Trainer");
        }
        save(trainer.network(), trainer.optimizer(), trainer, file, null);
    }

    /** The implementation; {@code beforeRename} lets tests simulate a crash after the payload is written. */
    static void save(DeepEpropNetwork network, Optimizer optimizer, Trainer trainer, java.nio.file.Path file,
                     Runnable beforeRename) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file: got null, expected a path");
        }
        if (optimizer != null && !(optimizer instanceof Sgd) && !(optimizer instanceof Adam)) {
            throw new IllegalArgumentException("optimizer: got " + optimizer.getClass().getName()
                    + ", expected Sgd or Adam (the optimisers a checkpoint can persist)");
        }
        network.settle();
        java.nio.file.Path target = file.toAbsolutePath();
        java.nio.file.Path dir = target.getParent();
        java.nio.file.Path tmp = createTemp(dir, target.getFileName().toString());
        boolean renamed = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.allocate(HEADER)); // placeholder, rewritten below
                CheckpointOut out = new CheckpointOut(ch);
                writePayload(out, network, optimizer, trainer);
                out.flush();
                ByteBuffer trailer = ByteBuffer.allocate(TRAILER).putInt((int) out.crc.getValue()).flip();
                writeFully(ch, trailer);
                ByteBuffer header = ByteBuffer.allocate(HEADER).put(MAGIC).putInt(FORMAT_VERSION)
                        .putLong(out.count).flip();
                ch.position(0);
                writeFully(ch, header);
                ch.force(true);
            }
            if (beforeRename != null) {
                beforeRename.run();
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            renamed = true;
        } finally {
            if (!renamed) {
                Files.deleteIfExists(tmp);
            }
        }
        forceDirectory(dir);
    }

    /** A new file next to the target, created with the default permissions (unlike {@code createTempFile}). */
    private static java.nio.file.Path createTemp(java.nio.file.Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            java.nio.file.Path tmp = dir.resolve("." + name + "."
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /** Makes the rename durable where the platform allows it (POSIX); elsewhere a no-op. */
    private static void forceDirectory(java.nio.file.Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not supported for directories on this platform (e.g. Windows): the rename stands.
        }
    }

    private static void writePayload(CheckpointOut out, DeepEpropNetwork network, Optimizer optimizer, Trainer trainer)
            throws IOException {
        NetworkConfig c = network.config();
        out.i32(c.inputs());
        out.i32(c.depth());
        for (int l = 0; l < c.depth(); l++) {
            out.i32(c.width(l));
        }
        out.i32(c.outputs());
        out.str(c.model().name());
        out.bool(c.recurrent());
        out.f32(c.vTh());
        out.f32(c.gamma());
        out.f32(c.beta());
        out.f32(c.rho());
        out.str(c.feedback().name());
        out.i64(c.seed());
        out.str(c.path().name());
        out.bool(c.factorise());
        out.i32(c.threads());
        out.i32(c.deferSteps());
        for (int l = 0; l < c.depth(); l++) {
            out.floats("alpha[" + l + "]", c.alphas(l));
        }

        out.i64(network.steps());
        out.f64("loss", network.loss());
        out.bool(network.traced());
        for (int l = 0; l < c.depth(); l++) {
            out.bool(network.factored(l));
        }
        for (int l = 0; l < c.depth(); l++) {
            out.bool(network.segment(l));
            out.f64("segment decay power of layer " + l, network.segmentPower(l));
        }
        for (StateArray s : stateArrays(network, true)) {
            out.floats(s.name, s.array);
        }
        float[] feedback = network.feedbackArray();
        out.bool(feedback != null);
        if (feedback != null) {
            out.floats("feedback B", feedback);
        }

        if (optimizer instanceof Sgd sgd) {
            out.i8(SGD);
            out.f32(sgd.learningRate());
        } else if (optimizer instanceof Adam adam) {
            out.i8(ADAM);
            out.f32(adam.learningRate());
            out.f32(adam.beta1());
            out.f32(adam.beta2());
            out.f32(adam.epsilon());
            out.i64(adam.updates());
            float[][] m = adam.firstMoments();
            float[][] v = adam.secondMoments();
            out.i32(m.length);
            for (int t = 0; t < m.length; t++) {
                out.bool(m[t] != null);
                if (m[t] != null) {
                    out.floats("Adam first moment[" + t + "]", m[t]);
                    out.floats("Adam second moment[" + t + "]", v[t]);
                }
            }
        } else {
            out.i8(NO_OPTIMIZER);
        }

        out.bool(trainer != null);
        if (trainer != null) {
            out.i32(trainer.updateEvery());
            out.i32(trainer.sinceUpdate());
        }
    }

    /** One array of the network's state, in file order; {@code neurons} set for a neuron-state copy. */
    private record StateArray(String name, float[] array, NeuronLayer neurons) {
    }

    /**
     * The network's state in file order: live arrays, except the neuron states, which are copies
     * (filled when {@code saving}; loaded into the neurons by the caller when reading).
     */
    private static List<StateArray> stateArrays(DeepEpropNetwork network, boolean saving) {
        List<StateArray> list = new ArrayList<>();
        int depth = network.config().depth();
        for (int l = 0; l < depth; l++) {
            Layer layer = network.layerArrays(l);
            String p = "layer " + l + " ";
            list.add(new StateArray(p + "weights", layer.weights, null));
            list.add(new StateArray(p + "gradient", layer.gradient, null));
            list.add(new StateArray(p + "output z", layer.z, null));
            float[] state = new float[layer.neurons.stateSize()];
            if (saving) {
                layer.neurons.saveState(state, 0);
            }
            list.add(new StateArray(p + "neuron state", state, layer.neurons));
            list.add(new StateArray(p + "terminal trace", layer.trace, null));
            if (layer.sensitivity != null) {
                list.add(new StateArray(p + "sensitivity", layer.sensitivity, null));
            }
            for (int i = 0; i < layer.up.length; i++) {
                list.add(new StateArray(p + "hierarchical trace T^{" + (l + i + 1) + "<-" + l + "}", layer.up[i], null));
            }
        }
        for (int l = 0; l < depth; l++) {
            SegmentForm form = network.segmentArrays(l);
            if (form != null) {
                list.add(new StateArray("layer " + l + " segment factor Q'", form.factor, null));
                for (int i = 0; i < form.mix.length; i++) {
                    list.add(new StateArray("layer " + l + " segment coefficients M^" + (l + i + 1), form.mix[i], null));
                }
            }
        }
        float[][] r = network.readoutArrays();
        String[] names = {"readout W_out", "readout b_out", "readout gradient W_out", "readout gradient b_out",
            "output y"};
        for (int i = 0; i < r.length; i++) {
            list.add(new StateArray(names[i], r[i], null));
        }
        return list;
    }

    static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }


    // ---------------------------------------------------------------------------------------------
    // Loading

    /** Loads a checkpoint on the kernel path it was saved with. See {@link #load(java.nio.file.Path, Path)}. */
    public static Checkpoint load(java.nio.file.Path file) throws IOException {
        return load(file, null);
    }

    /**
     * Loads a checkpoint into fresh objects.
     *
     * @param path the kernel path to resume on, or {@code null} for the one saved. Resuming on the
     *     path saved gives bit-identical results to the saved learner continuing; on another path, the same
     *     results within float rounding
     * @throws InvalidCheckpointException if the file is not a complete, uncorrupted checkpoint of
     *     version {@value #FORMAT_VERSION}, or holds an invalid value; nothing is loaded
     * @throws IllegalArgumentException if the network does not fit in the heap (as
     *     {@link DeepEpropNetwork#checkMemory})
     * @throws IllegalStateException if {@link Path#VECTOR} is asked for and the Vector API is not usable
     * @throws IOException if the file cannot be read
     */
    public static Checkpoint load(java.nio.file.Path file, Path path) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file: got null, expected a path");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            String where = "checkpoint " + file;
            if (size < MAGIC.length) {
                throw new InvalidCheckpointException(where + ": truncated: " + size + " bytes, expected at least "
                        + (HEADER + TRAILER));
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (header.hasRemaining() && ch.read(header) >= 0) {
                // read the header (or what there is of it)
            }
            header.flip();
            byte[] magic = new byte[MAGIC.length];
            header.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new InvalidCheckpointException(where + ": magic bytes: got \"" + printable(magic)
                        + "\", expected \"DEEPEPRP\" (not a deep e-prop checkpoint)");
            }
            if (size < HEADER + TRAILER) {
                throw new InvalidCheckpointException(where + ": truncated: " + size + " bytes, expected at least "
                        + (HEADER + TRAILER));
            }
            int version = header.getInt();
            if (version != FORMAT_VERSION) {
                throw new InvalidCheckpointException(where + ": format version: got " + version + ", expected "
                        + FORMAT_VERSION + " (written by another version of deep e-prop)");
            }
            long payload = header.getLong();
            long expected = HEADER + payload + TRAILER;
            if (payload < 0 || size != expected) {
                throw new InvalidCheckpointException(where + (payload >= 0 && size < expected ? ": truncated" : ": length")
                        + ": " + size + " bytes, expected " + (payload < 0 ? "a payload length >= 0, got " + payload
                        : expected + " (header, " + payload + " bytes of payload, checksum)"));
            }
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER);
            ch.read(trailer, HEADER + payload);
            int stored = trailer.flip().getInt();
            int actual = checksum(ch, payload);
            if (stored != actual) {
                throw new InvalidCheckpointException(where + ": checksum: got CRC32C " + Integer.toHexString(actual)
                        + ", expected " + Integer.toHexString(stored) + " (the file is corrupted)");
            }
            ch.position(HEADER);
            CheckpointIn in = new CheckpointIn(ch, payload, where);
            Checkpoint restored = readPayload(in, path);
            if (in.remaining() != 0) {
                throw in.invalid("payload: " + in.remaining() + " bytes left after the last field, expected none");
            }
            return restored;
        }
    }

    private static int checksum(FileChannel ch, long payload) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        long pos = HEADER;
        long end = HEADER + payload;
        while (pos < end) {
            buf.clear().limit((int) Math.min(BUFFER, end - pos));
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file while checksumming");
            }
            pos += n;
            crc.update(buf.flip());
        }
        return (int) crc.getValue();
    }

    static String printable(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
                s.append((char) b);
            } else {
                s.append(String.format("\\x%02x", b & 0xff));
            }
        }
        return s.toString();
    }

    private static Checkpoint readPayload(CheckpointIn in, Path pathOverride) throws IOException {
        int inputs = in.i32();
        int depth = in.i32();
        if (depth < 1 || depth > MAX_DEPTH) {
            throw in.invalid("depth: got " + depth + ", expected 1.." + MAX_DEPTH);
        }
        int[] widths = new int[depth];
        for (int l = 0; l < depth; l++) {
            widths[l] = in.i32();
        }
        int outputs = in.i32();
        NeuronModel model = in.enumValue("model", NeuronModel.class);
        boolean recurrent = in.bool("recurrent");
        float vTh = in.f32();
        float gamma = in.f32();
        float beta = in.f32();
        float rho = in.f32();
        Feedback feedbackKind = in.enumValue("feedback", Feedback.class);
        long seed = in.i64();
        Path savedPath = in.enumValue("path", Path.class);
        boolean factorise = in.bool("factorise");
        int threads = in.i32();
        int deferSteps = in.i32();
        NetworkConfig.Builder b = NetworkConfig.builder().inputs(inputs).layers(widths).outputs(outputs)
                .model(model).recurrent(recurrent).vTh(vTh).gamma(gamma).beta(beta).rho(rho)
                .feedback(feedbackKind).seed(seed).path(pathOverride != null ? pathOverride : savedPath)
                .factorise(factorise).threads(threads).deferSteps(deferSteps);
        for (int l = 0; l < depth; l++) {
            if (widths[l] < 1) {
                break; // build() names the bad width
            }
            b.alphaPerNeuron(l, in.floats("alpha[" + l + "]", widths[l]));
        }
        NetworkConfig config;
        try {
            config = b.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidCheckpointException(in.where + ": config: " + e.getMessage(), e);
        }

        DeepEpropNetwork network = new DeepEpropNetwork(config);
        long steps = in.i64();
        if (steps < 0) {
            throw in.invalid("step counter: got " + steps + ", expected >= 0");
        }
        double loss = in.f64();
        if (!(Double.isFinite(loss) && loss >= 0)) {
            throw in.invalid("loss: got " + loss + ", expected a finite number >= 0");
        }
        network.restoreCounters(loss, steps);
        boolean traced = in.bool("traced");
        boolean[] factored = new boolean[depth];
        for (int l = 0; l < depth; l++) {
            factored[l] = in.bool("factor form of layer " + l);
        }
        boolean[] segment = new boolean[depth];
        float[] power = new float[depth];
        for (int l = 0; l < depth; l++) {
            segment[l] = in.bool("segment form of layer " + l);
            double p = in.f64();
            if (!(p >= 0 && p <= 1)) {
                throw in.invalid("segment decay power of layer " + l + ": got " + p + ", expected a number in [0, 1]");
            }
            power[l] = (float) p;
        }
        construct(in, () -> {
            network.restoreFactorForm(traced, factored, segment, power);
            return network;
        });
        for (StateArray s : stateArrays(network, false)) {
            in.floatsInto(s.name, s.array);
            if (s.neurons != null) {
                s.neurons.loadState(s.array, 0);
            }
        }
        // Present or not, as saved: a RANDOM network may have been switched to W_out^T, and back.
        network.setFeedback(in.bool("feedback present")
                ? in.floats("feedback B", config.width(depth - 1) * outputs) : null);

        Optimizer optimizer;
        byte kind = in.i8();
        switch (kind) {
            case NO_OPTIMIZER -> optimizer = null;
            case SGD -> {
                float lr = in.f32();
                optimizer = construct(in, () -> new Sgd(lr));
            }
            case ADAM -> optimizer = readAdam(in, network);
            default -> throw in.invalid("optimizer kind: got " + kind + ", expected " + NO_OPTIMIZER + " (none), "
                    + SGD + " (Sgd) or " + ADAM + " (Adam)");
        }

        Trainer trainer = null;
        if (in.bool("trainer present")) {
            int updateEvery = in.i32();
            int sinceUpdate = in.i32();
            if (optimizer == null) {
                throw in.invalid("trainer: saved without an optimiser, expected one");
            }
            Optimizer opt = optimizer;
            trainer = construct(in, () -> Trainer.restore(network, opt, updateEvery, sinceUpdate));
        }
        return new Checkpoint(network, optimizer, trainer);
    }

    private static Adam readAdam(CheckpointIn in, DeepEpropNetwork network) throws IOException {
        float lr = in.f32();
        float beta1 = in.f32();
        float beta2 = in.f32();
        float epsilon = in.f32();
        long updates = in.i64();
        int depth = network.config().depth();
        int tensors = in.i32();
        if (tensors < 0 || tensors > depth + 2) {
            throw in.invalid("Adam tensors: got " + tensors + ", expected 0.." + (depth + 2));
        }
        float[][] m = new float[tensors][];
        float[][] v = new float[tensors][];
        float[][] readout = network.readoutArrays();
        for (int t = 0; t < tensors; t++) {
            if (in.bool("Adam moment[" + t + "] present")) {
                int length = t < depth ? network.layerArrays(t).weights.length : readout[t - depth].length;
                m[t] = in.floats("Adam first moment[" + t + "]", length);
                v[t] = in.floats("Adam second moment[" + t + "]", length);
            }
        }
        return construct(in, () -> Adam.restore(lr, beta1, beta2, epsilon, updates, m, v));
    }

    /** Runs a validating factory, turning its {@link IllegalArgumentException} into an invalid-checkpoint error. */
    private static <T> T construct(CheckpointIn in, java.util.function.Supplier<T> factory) throws InvalidCheckpointException {
        try {
            return factory.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidCheckpointException(in.where + ": " + e.getMessage(), e);
        }
    }

}
