package dev.taskqueue.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.control.ControlOptions;
import dev.taskqueue.control.InMemoryPidboxTransport;
import dev.taskqueue.control.PidboxTransport;
import dev.taskqueue.control.TaskControl;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's {@link TaskControl} speaks Celery's remote control over the broker's pidbox transport: on the
 * in-memory broker, an in-memory one that reaches what listens in the application, so that it works with nothing
 * to install; an application's own transport wins.
 */
class TaskControlConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withPropertyValues("taskqueue.worker.enabled=false");

	@Test
	void theInMemoryBrokerCarriesRemoteControlWithinTheApplication() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(InMemoryPidboxTransport.class);
			PidboxTransport transport = context.getBean(PidboxTransport.class);
			JsonMapper mapper = JsonMapper.builder().build();
			transport.listen("w1@test", (command, headers) -> {
				JsonNode request = mapper.readTree(command);
				transport.reply("reply.celery.pidbox", request.path("reply_to").path("routing_key").asString(),
						"{\"w1@test\":{\"ok\":\"pong\"}}".getBytes(StandardCharsets.UTF_8),
						Map.of("ticket", request.path("ticket").asString(), "clock", 1));
			});
			TaskControl control = context.getBean(TaskControl.class);
			assertThat(control.ping("w1@test").values()).containsOnly(Map.entry("w1@test", "pong"));
		});
	}

	@Test
	void anApplicationsOwnTransportIsUsed() {
		this.runner.withUserConfiguration(OwnTransport.class).run((context) -> {
			assertThat(context).hasSingleBean(PidboxTransport.class);
			assertThat(context.getBean(PidboxTransport.class)).isInstanceOf(RecordingTransport.class);
			context.getBean(TaskControl.class).ping(ControlOptions.defaults().withTimeout(Duration.ofMillis(10)));
			assertThat(context.getBean(RecordingTransport.class).broadcasts).isEqualTo(1);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnTransport {

		@Bean
		RecordingTransport pidboxTransport() {
			return new RecordingTransport();
		}

	}

	static class RecordingTransport extends InMemoryPidboxTransport {

		int broadcasts;

		@Override
		public void broadcast(byte[] command, Map<String, Object> headers) {
			this.broadcasts++;
			super.broadcast(command, headers);
		}

	}

}
