/**
 * Health of Task Queue for Spring Boot's actuator: the entries of the {@code taskQueue} composite contributor
 * ({@link dev.taskqueue.actuate.health.BrokerHealthIndicator broker},
 * {@link dev.taskqueue.actuate.health.ResultBackendHealthIndicator resultBackend},
 * {@link dev.taskqueue.actuate.health.WorkersHealthIndicator workers},
 * {@link dev.taskqueue.actuate.health.BeatHealthIndicator beat}), and
 * {@link dev.taskqueue.actuate.health.WorkerReadiness}, which turns the application's readiness to
 * {@code REFUSING_TRAFFIC} while its workers have lost their consumers. Kept beside, not inside, the
 * auto-configuration package, as Spring Boot's own modules keep their health types; wired by
 * {@code TaskQueueHealthContributorAutoConfiguration}.
 */
@NullMarked
package dev.taskqueue.actuate.health;

import org.jspecify.annotations.NullMarked;
