package dev.taskqueue.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.beat.BeatStore;
import dev.taskqueue.beat.InMemoryBeatStore;

/**
 * {@code taskqueue.broker=sqs}: the beat's lead and last runs in the application's memory, as with
 * {@code memory}. SQS offers nothing to elect a lead with, so with {@code taskqueue.beat.enabled=true} on several
 * instances each would send the schedule: enable the beat on one instance only (as Celery runs one
 * {@code celery beat}), or give the application a {@link BeatStore} bean of another store.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "taskqueue.broker", havingValue = "sqs")
final class SqsBeatStoreConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BeatStore taskBeatStore() {
		return new InMemoryBeatStore(TaskQueueAutoConfiguration.CLOCK);
	}

}
