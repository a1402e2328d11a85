package dev.taskqueue.micrometer;

import io.micrometer.tracing.Tracer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the starters' metrics and tracing tests add to an application that has Spring Boot's metrics,
 * observations and Brave tracing: the {@link ObservedTasks} and the {@link FinishedSpans} it keeps.
 */
@Configuration(proxyBeanMethods = false)
public class ObservedConfiguration {

	@Bean
	FinishedSpans finishedSpans() {
		return new FinishedSpans();
	}

	@Bean
	ObservedTasks observedTasks(Tracer tracer) {
		return new ObservedTasks(tracer);
	}

}
