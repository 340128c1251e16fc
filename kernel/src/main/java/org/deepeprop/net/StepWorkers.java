package org.deepeprop.net;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A network's own helper threads: {@code parts - 1} daemon workers that run part {@code 1..parts-1}
 * of a task while the calling thread runs part 0. Each network owns its workers, so networks never
 * share or contend for them.
 *
 * <p>Hand-off is a volatile generation counter: no locks, no queues, nothing allocated per task, so
 * a step stays allocation-free. A worker spins briefly for the next task (the next layer's work
 * usually follows within microseconds) and then parks until {@link #run} unparks it.
 */
final class StepWorkers implements AutoCloseable {
    private static final int SPINS = 20_000;

    private final Thread[] threads;
    private volatile IntConsumer task;
    private volatile long generation;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean closed;
    private volatile Throwable failure;

    StepWorkers(int parts, String name) {
        threads = new Thread[parts - 1];
        for (int i = 0; i < threads.length; i++) {
            int part = i + 1;
            threads[i] = new Thread(() -> work(part), name + "-" + part);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    /**
     * The first of {@code n} items that part {@code part} of {@code parts} owns; the part's range is
     * {@code [start(n, part, parts), start(n, part + 1, parts))}, as even as integers allow.
     */
    static int start(int n, int part, int parts) {
        return (int) ((long) n * part / parts);
    }

    /** Number of parts a task is split into (workers plus the caller). */
    int parts() {
        return threads.length + 1;
    }

    /** Runs {@code task.accept(p)} for every part, part 0 on the caller, and returns when all are done. */
    void run(IntConsumer task) {
        if (closed) {
            throw new IllegalStateException("network closed: its worker threads have stopped");
        }
        this.task = task;
        pending.set(threads.length);
        generation++;
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
        Throwable own = null;
        try {
            task.accept(0);
        } catch (Throwable e) {
            own = e;
        }
        // Spin while the workers are likely running; then yield, so that on a machine with more
        // runnable threads than cores the caller does not hold the core a worker is waiting for.
        for (int spins = 0; pending.get() != 0; spins++) {
            if (spins < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        Throwable theirs = failure;
        failure = null;
        if (own != null || theirs != null) {
            Throwable first = own != null ? own : theirs;
            if (first instanceof RuntimeException r) {
                throw r;
            }
            if (first instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(first);
        }
    }

    private void work(int part) {
        long seen = 0;
        while (true) {
            int spins = 0;
            while (generation == seen && !closed) {
                if (++spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            try {
                task.accept(part);
            } catch (Throwable e) {
                failure = e;
            }
            pending.decrementAndGet();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
    }
}
