package dev.taskqueue.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import dev.taskqueue.Task;
import dev.taskqueue.autoconfigure.TaskQueueProperties.CeleryControl;
import dev.taskqueue.autoconfigure.TaskQueueProperties.Rabbitmq.ExchangeType;
import dev.taskqueue.serialization.TypedValues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every property README's "Configuration" section documents binds under the name it gives, and the
 * enumerated ones take the values it gives.
 */
class TaskQueuePropertiesTests {

	@Test
	void everyDocumentedPropertyBindsAndNoneIsLeftOver() {
		Map<String, String> values = new LinkedHashMap<>();
		values.put("taskqueue.broker", "redis");
		values.put("taskqueue.result-backend", "rpc");
		values.put("taskqueue.default-queue", "jobs");
		values.put("taskqueue.result-expires", "2h");
		values.put("taskqueue.serializer", "msgpack");
		values.put("taskqueue.accept-content", "json,msgpack");
		values.put("taskqueue.compression", "gzip");
		values.put("taskqueue.max-message-size", "1MB");
		values.put("taskqueue.max-nesting-depth", "8");
		values.put("taskqueue.celery-control", "off");
		values.put("taskqueue.eager", "true");
		values.put("taskqueue.worker.enabled", "false");
		values.put("taskqueue.worker.queues", "a,b");
		values.put("taskqueue.worker.concurrency", "3");
		values.put("taskqueue.worker.prefetch", "12");
		values.put("taskqueue.worker.shutdown-timeout", "1m");
		values.put("taskqueue.worker.cold-shutdown-on-second-signal", "false");
		values.put("taskqueue.worker.acks-late", "false");
		values.put("taskqueue.worker.on-retries-exhausted", "dead-letter");
		values.put("taskqueue.worker.rate-limits", "cluster");
		values.put("taskqueue.worker.name", "w1@host");
		values.put("taskqueue.worker.revocation-window", "1h");
		values.put("taskqueue.worker.groups.reports.queues", "reports,urgent");
		values.put("taskqueue.worker.groups.reports.concurrency", "2");
		values.put("taskqueue.worker.groups.reports.prefetch", "4");
		values.put("taskqueue.routes[0].pattern", "reports.*");
		values.put("taskqueue.routes[0].queue", "reports");
		values.put("taskqueue.routes[0].exchange", "notifications");
		values.put("taskqueue.routes[0].routing-key", "notify.send");
		values.put("taskqueue.routes[0].priority", "9");
		values.put("taskqueue.routes[0].expires", "1h");
		values.put("taskqueue.routes[0].serializer", "yaml");
		values.put("taskqueue.routes[0].compression", "bzip2");
		values.put("taskqueue.tasks.[reports.render].queue", "reports-big");
		values.put("taskqueue.tasks.[reports.render].priority", "3");
		values.put("taskqueue.tasks.[reports.render].acks", "early");
		values.put("taskqueue.tasks.[reports.render].ignore-result", "true");
		values.put("taskqueue.tasks.[reports.render].track-started", "true");
		values.put("taskqueue.tasks.[reports.render].serializer", "msgpack");
		values.put("taskqueue.tasks.[reports.render].compression", "zlib");
		values.put("taskqueue.tasks.[reports.render].expires", "10m");
		values.put("taskqueue.tasks.[reports.render].autoretry-for", "java.io.IOException");
		values.put("taskqueue.tasks.[reports.render].max-retries", "5");
		values.put("taskqueue.tasks.[reports.render].retry-delay", "30s");
		values.put("taskqueue.tasks.[reports.render].retry-backoff", "1s");
		values.put("taskqueue.tasks.[reports.render].retry-backoff-max", "1m");
		values.put("taskqueue.tasks.[reports.render].retry-jitter", "false");
		values.put("taskqueue.tasks.[reports.render].time-limit", "5m");
		values.put("taskqueue.tasks.[reports.render].soft-time-limit", "4m");
		values.put("taskqueue.tasks.[reports.render].rate-limit", "10/s");
		values.put("taskqueue.tasks.[reports.render].on-retries-exhausted", "dead-letter");
		values.put("taskqueue.json.typed-values", "kombu53");
		values.put("taskqueue.dead-letters.max-count", "500");
		values.put("taskqueue.dead-letters.max-age", "2d");
		values.put("taskqueue.redis.key-prefix", "app1:");
		values.put("taskqueue.redis.visibility-timeout", "45s");
		values.put("taskqueue.redis.claim-refresh", "5s");
		values.put("taskqueue.redis.send-timeout", "3s");
		values.put("taskqueue.publish-retry.enabled", "false");
		values.put("taskqueue.publish-retry.max-retries", "5");
		values.put("taskqueue.publish-retry.interval-start", "100ms");
		values.put("taskqueue.publish-retry.interval-step", "300ms");
		values.put("taskqueue.publish-retry.interval-max", "1s");
		values.put("taskqueue.rabbitmq.dead-letter-queue", "dead");
		values.put("taskqueue.rabbitmq.delay-exchange", "delay");
		values.put("taskqueue.rabbitmq.confirm-timeout", "3s");
		values.put("taskqueue.rabbitmq.recovery-interval", "2s");
		values.put("taskqueue.rabbitmq.declare-missing-queues", "false");
		values.put("taskqueue.rabbitmq.create-missing-queues", "false");
		values.put("taskqueue.rabbitmq.consumer-timeout", "2h");
		values.put("taskqueue.rabbitmq.exchanges[0].name", "events");
		values.put("taskqueue.rabbitmq.exchanges[0].type", "topic");
		values.put("taskqueue.rabbitmq.exchanges[0].durable", "false");
		values.put("taskqueue.rabbitmq.exchanges[0].auto-delete", "true");
		values.put("taskqueue.rabbitmq.exchanges[0].arguments.alternate-exchange", "unrouted");
		values.put("taskqueue.rabbitmq.queues[0].name", "prio");
		values.put("taskqueue.rabbitmq.queues[0].durable", "true");
		values.put("taskqueue.rabbitmq.queues[0].auto-delete", "false");
		values.put("taskqueue.rabbitmq.queues[0].max-priority", "10");
		values.put("taskqueue.rabbitmq.queues[0].quorum", "false");
		values.put("taskqueue.rabbitmq.queues[0].message-ttl", "1m");
		values.put("taskqueue.rabbitmq.queues[0].max-length", "1000");
		values.put("taskqueue.rabbitmq.queues[0].dead-letter-exchange", "dlx");
		values.put("taskqueue.rabbitmq.queues[0].dead-letter-routing-key", "dead");
		values.put("taskqueue.rabbitmq.queues[0].arguments.x-overflow", "reject-publish");
		values.put("taskqueue.rabbitmq.bindings[0].exchange", "events");
		values.put("taskqueue.rabbitmq.bindings[0].queue", "prio");
		values.put("taskqueue.rabbitmq.bindings[0].routing-key", "orders.#");
		values.put("taskqueue.rabbitmq.bindings[0].arguments.x-match", "all");

		TaskQueueProperties properties = bindStrictly(values);

		assertThat(properties.getBroker()).isEqualTo(TaskQueueProperties.BrokerType.REDIS);
		assertThat(properties.getJson().getTypedValues()).isEqualTo(TypedValues.KOMBU53);
		assertThat(properties.getResultBackend()).isEqualTo(TaskQueueProperties.ResultBackendType.RPC);
		assertThat(properties.getCompression()).isEqualTo("gzip");
		assertThat(properties.getCeleryControl()).isEqualTo(CeleryControl.OFF);
		TaskQueueProperties.Worker.Group reports = properties.getWorker().getGroups().get("reports");
		assertThat(reports.getQueues()).containsExactly("reports", "urgent");
		assertThat(reports.getConcurrency()).isEqualTo(2);
		assertThat(reports.getPrefetch()).isEqualTo(4);
		assertThat(properties.getRoutes().get(0).getRoutingKey()).isEqualTo("notify.send");
		TaskQueueProperties.TaskSettings render = properties.getTasks().get("reports.render");
		assertThat(render.getAcks()).isEqualTo(Task.Acks.EARLY);
		assertThat(render.getAutoretryFor()).containsExactly(java.io.IOException.class);
		assertThat(render.getOnRetriesExhausted()).isEqualTo(Task.RetriesExhausted.DEAD_LETTER);
		TaskQueueProperties.Rabbitmq.Exchange events = properties.getRabbitmq().getExchanges().get(0);
		assertThat(events.getType()).isEqualTo(ExchangeType.TOPIC);
		assertThat(events.getArguments()).containsEntry("alternate-exchange", "unrouted");
		assertThat(properties.getRabbitmq().getQueues().get(0).getMessageTtl()).isEqualTo(Duration.ofMinutes(1));
		assertThat(properties.getRabbitmq().getBindings().get(0).getArguments()).containsEntry("x-match", "all");
		assertThat(properties.getRedis().getSendTimeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(properties.getPublishRetry().isEnabled()).isFalse();
		assertThat(properties.getPublishRetry().getMaxRetries()).isEqualTo(5);
		assertThat(properties.getPublishRetry().getIntervalStep()).isEqualTo(Duration.ofMillis(300));
		assertThat(properties.getPublishRetry().getIntervalMax()).isEqualTo(Duration.ofSeconds(1));
		assertThat(properties.isEager()).isTrue();
		assertThat(properties.getDeadLetters().getMaxCount()).isEqualTo(500);
		assertThat(properties.getDeadLetters().getMaxAge()).isEqualTo(Duration.ofDays(2));
		assertThat(properties.getRabbitmq().isCreateMissingQueues()).isFalse();
		assertThat(new TaskQueueProperties().getRabbitmq().isCreateMissingQueues()).isTrue();
		assertThat(properties.getRabbitmq().getConsumerTimeout()).isEqualTo(Duration.ofHours(2));
		assertThat(new TaskQueueProperties().getRabbitmq().getConsumerTimeout())
			.isEqualTo(Duration.ofMinutes(30));
	}

	@Test
	void celeryControlIsAutoUnlessSetAndTakesTrueAndFalseForOnAndOff() {
		assertThat(new TaskQueueProperties().getCeleryControl()).isEqualTo(CeleryControl.AUTO);
		assertThat(celeryControl("auto")).isEqualTo(CeleryControl.AUTO);
		assertThat(celeryControl("on")).isEqualTo(CeleryControl.ON);
		assertThat(celeryControl("off")).isEqualTo(CeleryControl.OFF);
		assertThat(celeryControl("true")).isEqualTo(CeleryControl.ON);
		assertThat(celeryControl("false")).isEqualTo(CeleryControl.OFF);
		assertThat(celeryControl("ON")).isEqualTo(CeleryControl.ON);
	}

	@Test
	void celeryControlAutoIsOnWhereTheBrokerIsSharedWithCelery() {
		assertThat(CeleryControl.AUTO.isEnabled(true)).isTrue();
		assertThat(CeleryControl.AUTO.isEnabled(false)).isFalse();
		assertThat(CeleryControl.ON.isEnabled(false)).isTrue();
		assertThat(CeleryControl.OFF.isEnabled(true)).isFalse();
	}

	@Test
	void typedValuesArePlainUnlessSetAndAnUnknownValueIsRefused() {
		assertThat(new TaskQueueProperties().getJson().getTypedValues()).isEqualTo(TypedValues.PLAIN);
		assertThat(bindStrictly(Map.of("taskqueue.json.typed-values", "plain")).getJson().getTypedValues())
			.isEqualTo(TypedValues.PLAIN);
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bindStrictly(Map.of("taskqueue.json.typed-values", "kombu54")));
	}

	@Test
	void anExchangeTypeIsOneOfRabbitsFourAndKeepsItsAmqpName() {
		assertThat(ExchangeType.valueOf("HEADERS").value()).isEqualTo("headers");
		assertThat(new TaskQueueProperties.Rabbitmq.Exchange().getType()).isEqualTo(ExchangeType.DIRECT);
		assertThatExceptionOfType(BindException.class).isThrownBy(() -> bindStrictly(
				Map.of("taskqueue.rabbitmq.exchanges[0].name", "e", "taskqueue.rabbitmq.exchanges[0].type", "tpoic")));
	}

	@Test
	void anUnknownBrokerOrCeleryControlIsRefused() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bindStrictly(Map.of("taskqueue.broker", "kafka")));
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bindStrictly(Map.of("taskqueue.celery-control", "sometimes")));
	}

	@Test
	void anUnknownKeyIsLeftOver() {
		// so that the strict binding above proves something
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bindStrictly(Map.of("taskqueue.worker.groups.reports.queue", "reports")));
	}

	private static CeleryControl celeryControl(String value) {
		return bindStrictly(Map.of("taskqueue.celery-control", value)).getCeleryControl();
	}

	private static TaskQueueProperties bindStrictly(Map<String, String> values) {
		Binder binder = new Binder(new MapConfigurationPropertySource(values));
		BindHandler strict = new NoUnboundElementsBindHandler(BindHandler.DEFAULT);
		return binder.bind("taskqueue", Bindable.of(TaskQueueProperties.class), strict)
			.orElseGet(TaskQueueProperties::new);
	}

}
