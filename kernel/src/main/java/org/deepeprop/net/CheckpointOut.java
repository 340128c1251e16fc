package org.deepeprop.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** Buffered big-endian writer that checksums what it writes and refuses non-finite floats. */
final class CheckpointOut {
    final FileChannel ch;
    final ByteBuffer buf = ByteBuffer.allocate(Checkpoint.BUFFER);
    final CRC32C crc = new CRC32C();
    long count;

    CheckpointOut(FileChannel ch) {
        this.ch = ch;
    }

    void room(int bytes) throws IOException {
        if (buf.remaining() < bytes) {
            flush();
        }
    }

    void flush() throws IOException {
        buf.flip();
        crc.update(buf.duplicate());
        count += buf.remaining();
        Checkpoint.writeFully(ch, buf);
        buf.clear();
    }

    void i8(byte v) throws IOException {
        room(1);
        buf.put(v);
    }

    void bool(boolean v) throws IOException {
        i8(v ? (byte) 1 : (byte) 0);
    }

    void i32(int v) throws IOException {
        room(4);
        buf.putInt(v);
    }

    void i64(long v) throws IOException {
        room(8);
        buf.putLong(v);
    }

    void f32(float v) throws IOException {
        room(4);
        buf.putFloat(v);
    }

    void f64(String name, double v) throws IOException {
        if (!Double.isFinite(v)) {
            throw nonFinite(name, v);
        }
        room(8);
        buf.putDouble(v);
    }

    void str(String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        i32(b.length);
        room(b.length);
        buf.put(b);
    }

    void floats(String name, float[] a) throws IOException {
        i32(a.length);
        int i = 0;
        while (i < a.length) {
            room(4);
            int n = Math.min(a.length - i, buf.remaining() / 4);
            for (int k = i; k < i + n; k++) {
                if (!Float.isFinite(a[k])) {
                    throw nonFinite(name + "[" + k + "]", a[k]);
                }
            }
            buf.asFloatBuffer().put(a, i, n);
            buf.position(buf.position() + 4 * n);
            i += n;
        }
    }

    private static IllegalStateException nonFinite(String name, double v) {
        return new IllegalStateException("checkpoint: " + name + " = " + v
                + ", expected a finite number; refusing to save a diverged learner");
    }
}
