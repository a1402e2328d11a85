/**
 * The throughput and latency scenarios of {@code benchmarks/RESULTS.md}, run as an application would run the
 * starter, and the JMH microbenchmarks of the hot paths.
 */
@NullMarked
package dev.taskqueue.benchmarks;

import org.jspecify.annotations.NullMarked;
