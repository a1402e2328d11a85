/**
 * The cluster as its events show it, Celery's {@code celery.events.state.State} (what Flower and
 * {@code celery events} keep): {@link dev.taskqueue.events.state.ClusterState} folds every
 * {@link dev.taskqueue.events.CeleryEvent} into the workers it has heard of ({@link dev.taskqueue.events.state.ObservedWorker})
 * and a bounded history of recent tasks ({@link dev.taskqueue.events.state.ObservedTask}), newest first, with
 * throughput over the last minutes. Bounded whatever the event rate: the oldest tasks and long-gone workers are
 * forgotten first.
 */
@NullMarked
package dev.taskqueue.events.state;

import org.jspecify.annotations.NullMarked;
