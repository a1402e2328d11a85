/**
 * {@link dev.taskqueue.status.ComponentStatus}: whether a part that can fail (the broker, the result backend) is
 * reachable now, and what it says of itself. Health indicators read it; it knows nothing else of the library.
 * {@link dev.taskqueue.status.StatusCheck} bounds a transport's round trip in time, so that a check never hangs.
 */
@NullMarked
package dev.taskqueue.status;

import org.jspecify.annotations.NullMarked;
