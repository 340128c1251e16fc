/**
 * The report writer: JMH JSON ({@code Bench --report}), latency {@code .hgrm} files and the
 * PyTorch peer's CSV in, PNG plots and {@code tables.md} out, every number read or computed from
 * those files. Entry point: {@link org.deepeprop.jmh.report.Report}.
 */
package org.deepeprop.jmh.report;
