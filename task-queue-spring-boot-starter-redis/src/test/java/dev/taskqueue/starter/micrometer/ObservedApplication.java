package dev.taskqueue.starter.micrometer;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

import dev.taskqueue.micrometer.FinishedSpans;
import dev.taskqueue.micrometer.ObservedConfiguration;

/**
 * An application with Spring Boot's metrics, observations and Brave tracing (W3C propagation, Boot's default),
 * for the tests that run a client application and a worker application on one broker: each keeps the spans it
 * finished in its {@link FinishedSpans}.
 */
@SpringBootApplication
@Import(ObservedConfiguration.class)
public class ObservedApplication {

}
