package org.deepeprop.simd;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;

/**
 * Chooses the trace kernels once per JVM, in the manner of Lucene's {@code VectorizationProvider}:
 * the Vector API implementation when {@code jdk.incubator.vector} is readable and its species is at
 * least 128 bits wide, otherwise the scalar one after a single warning that says what to pass.
 *
 * <p>System properties: {@code -Ddeepeprop.vector=false} forces the scalar path;
 * {@code -Ddeepeprop.vectorBits=128|256|512} sets the vector species (to test each width's code on
 * one machine; a width above the machine's is emulated, for tests only). This class never links
 * against the incubator module itself: the vector class is loaded through a {@link MethodHandle},
 * so its absence is caught here rather than at first use.
 */
public final class TraceOpsProvider {
    /** Set to {@code false} to force the scalar path. */
    public static final String VECTOR_PROPERTY = "deepeprop.vector";
    /** Sets the vector species to this many bits (128, 256 or 512; above the machine's, emulated). */
    public static final String BITS_PROPERTY = "deepeprop.vectorBits";

    private static final System.Logger LOG = System.getLogger(TraceOpsProvider.class.getName());

    private TraceOpsProvider() {
    }

    /** The implementation this JVM uses by default (chosen and logged once). */
    public static TraceOps get() {
        return Holder.DEFAULT;
    }

    /** The scalar implementation. */
    public static TraceOps scalar() {
        return TraceOps.scalar();
    }

    /** The vector implementation, or empty if the Vector API is not usable in this JVM. */
    public static Optional<TraceOps> vector() {
        return Optional.ofNullable(Holder.VECTOR);
    }

    /**
     * Why the vector implementation is unavailable ({@code null} when it is available), phrased for a
     * user: it names the flag or property to change.
     */
    public static String vectorUnavailableReason() {
        return Holder.REASON;
    }

    private static final class Holder {
        private static final String REASON;
        private static final TraceOps VECTOR;
        private static final TraceOps DEFAULT;

        static {
            String reason = null;
            TraceOps vector = null;
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                reason = "the Java Vector API is not enabled: pass --add-modules jdk.incubator.vector to the java command";
            } else {
                String bits = System.getProperty(BITS_PROPERTY);
                if (bits != null && !bits.matches("128|256|512")) {
                    throw new IllegalArgumentException(BITS_PROPERTY + ": got \"" + bits + "\", expected 128, 256 or 512");
                }
                try {
                    MethodHandle ctor = MethodHandles.lookup().findConstructor(
                            Class.forName("org.deepeprop.simd.VectorTraceOps"), MethodType.methodType(void.class));
                    vector = (TraceOps) ctor.invoke();
                } catch (UnsupportedOperationException e) {
                    reason = "the Vector API is usable but " + e.getMessage();
                } catch (Throwable e) {
                    if (e instanceof Error && !(e instanceof LinkageError)) {
                        throw (Error) e;
                    }
                    reason = "the Vector API could not be loaded (" + e + ")";
                }
            }
            REASON = reason;
            VECTOR = vector;
            boolean forceScalar = "false".equalsIgnoreCase(System.getProperty(VECTOR_PROPERTY));
            if (forceScalar) {
                DEFAULT = TraceOps.scalar();
                LOG.log(System.Logger.Level.DEBUG, "deep e-prop kernels: scalar path (forced by -D" + VECTOR_PROPERTY + "=false)");
            } else if (vector == null) {
                DEFAULT = TraceOps.scalar();
                LOG.log(System.Logger.Level.WARNING, "deep e-prop kernels: scalar path, because " + reason);
            } else {
                DEFAULT = vector;
                LOG.log(System.Logger.Level.DEBUG, "deep e-prop kernels: " + vector.name() + " (" + vector.lanes() + " floats per vector)");
            }
        }
    }
}
