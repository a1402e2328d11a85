package dev.taskqueue.beat;

/**
 * The lead of the beat, held by one scheduler at a time: a fencing token, larger for each new leader, that the
 * store checks on every write, so that a leader that lost the lead without knowing it (paused, cut off) cannot
 * write after its successor.
 *
 * @param token the fencing token, increasing with each acquisition
 * @param owner who holds it (the scheduler's name, {@code beat-<pid>@<host>})
 */
public record BeatLease(long token, String owner) {
}
