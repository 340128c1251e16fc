package org.deepeprop.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/** Buffered big-endian reader over the (already checksummed) payload; every read is bounded by it. */
final class CheckpointIn {
    final FileChannel ch;
    final String where;
    final ByteBuffer buf = ByteBuffer.allocate(Checkpoint.BUFFER).limit(0);
    long unread; // payload bytes not yet pulled into buf

    CheckpointIn(FileChannel ch, long payload, String where) {
        this.ch = ch;
        this.unread = payload;
        this.where = where;
    }

    long remaining() {
        return unread + buf.remaining();
    }

    Checkpoint.InvalidCheckpointException invalid(String what) {
        return new Checkpoint.InvalidCheckpointException(where + ": " + what);
    }

    void need(int bytes) throws IOException {
        if (buf.remaining() >= bytes) {
            return;
        }
        if (remaining() < bytes) {
            throw invalid("payload ends early: " + bytes + " more bytes needed, " + remaining() + " left");
        }
        buf.compact();
        while (buf.position() < bytes) {
            int want = (int) Math.min(buf.remaining(), unread);
            ByteBuffer slice = buf.slice(buf.position(), want);
            int n = ch.read(slice);
            if (n < 0) {
                throw new IOException(where + ": unexpected end of file");
            }
            buf.position(buf.position() + n);
            unread -= n;
        }
        buf.flip();
    }

    byte i8() throws IOException {
        need(1);
        return buf.get();
    }

    boolean bool(String name) throws IOException {
        byte v = i8();
        if (v != 0 && v != 1) {
            throw invalid(name + ": got byte " + v + ", expected 0 or 1");
        }
        return v == 1;
    }

    int i32() throws IOException {
        need(4);
        return buf.getInt();
    }

    long i64() throws IOException {
        need(8);
        return buf.getLong();
    }

    float f32() throws IOException {
        need(4);
        return buf.getFloat();
    }

    double f64() throws IOException {
        need(8);
        return buf.getDouble();
    }

    <E extends Enum<E>> E enumValue(String name, Class<E> type) throws IOException {
        int length = i32();
        if (length < 0 || length > Checkpoint.MAX_STRING) {
            throw invalid(name + ": got a name of " + length + " bytes, expected 0.." + Checkpoint.MAX_STRING);
        }
        need(length);
        byte[] bytes = new byte[length];
        buf.get(bytes);
        String s = new String(bytes, StandardCharsets.UTF_8);
        try {
            return Enum.valueOf(type, s);
        } catch (IllegalArgumentException e) {
            throw invalid(name + ": got \"" + Checkpoint.printable(bytes) + "\", expected one of "
                    + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    float[] floats(String name, int expected) throws IOException {
        float[] a = new float[checkLength(name, expected)];
        read(name, a);
        return a;
    }

    void floatsInto(String name, float[] a) throws IOException {
        checkLength(name, a.length);
        read(name, a);
    }

    private int checkLength(String name, int expected) throws IOException {
        int length = i32();
        if (length != expected) {
            throw invalid(name + ": got length " + length + ", expected " + expected);
        }
        if (4L * length > remaining()) {
            throw invalid(name + ": payload ends early: " + length + " floats needed, " + remaining()
                    + " bytes left");
        }
        return length;
    }

    private void read(String name, float[] a) throws IOException {
        int i = 0;
        while (i < a.length) {
            need(4);
            int n = Math.min(a.length - i, buf.remaining() / 4);
            buf.asFloatBuffer().get(a, i, n);
            buf.position(buf.position() + 4 * n);
            for (int k = i; k < i + n; k++) {
                if (!Float.isFinite(a[k])) {
                    throw invalid(name + "[" + k + "]: got " + a[k] + ", expected a finite number");
                }
            }
            i += n;
        }
    }
}
