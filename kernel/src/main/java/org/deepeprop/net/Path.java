package org.deepeprop.net;

/** Which implementation of the trace kernels a network runs on. */
public enum Path {
    /** The vector path when the Vector API is usable, else the scalar path (after one warning). */
    AUTO,
    /** Plain Java loops; always available. */
    SCALAR,
    /** The Vector API; construction fails if {@code jdk.incubator.vector} is not readable. */
    VECTOR
}
