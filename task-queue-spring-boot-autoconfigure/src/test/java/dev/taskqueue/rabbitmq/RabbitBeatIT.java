package dev.taskqueue.rabbitmq;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import dev.taskqueue.beatit.BeatSemantics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The beat's semantics on RabbitMQ, in a virtual host of this test's own: the lead is the single active consumer
 * of {@code taskqueue.beat}, whose one state message holds the last runs; the tasks sent wait in the queue
 * {@code beat-it}.
 */
class RabbitBeatIT extends BeatSemantics {

	private static RabbitVhost vhost;

	private static CachingConnectionFactory connectionFactory;

	private final JsonMapper mapper = JsonMapper.builder().build();

	@BeforeAll
	static void createVhost() {
		vhost = RabbitVhost.create("taskqueue-it-rabbit-beat");
		connectionFactory = vhost.connectionFactory();
	}

	@AfterAll
	static void deleteVhost() {
		connectionFactory.destroy();
		vhost.delete();
	}

	@Override
	protected void clean() {
		RabbitAdmin admin = new RabbitAdmin(connectionFactory);
		admin.deleteQueue("beat-it");
		admin.deleteQueue(RabbitBeatStore.QUEUE);
	}

	@Override
	protected String[] brokerProperties() {
		return new String[] { "spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=5672",
				"spring.rabbitmq.username=guest", "spring.rabbitmq.password=guest",
				"spring.rabbitmq.virtual-host=" + vhost.name(), "taskqueue.broker=rabbitmq" };
	}

	@Override
	protected int sentCount() {
		Properties queue = new RabbitAdmin(connectionFactory).getQueueProperties("beat-it");
		return (queue != null) ? ((Number) queue.get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).intValue() : 0;
	}

	@Override
	protected List<String> sentIds() {
		RabbitTemplate template = new RabbitTemplate(connectionFactory);
		List<String> ids = new ArrayList<>();
		for (Message message = template.receive("beat-it"); message != null; message = template.receive("beat-it")) {
			assertThat((String) message.getMessageProperties().getHeader("periodic_task_name")).isEqualTo("tick");
			ids.add(message.getMessageProperties().getHeader("id"));
		}
		return ids;
	}

	/**
	 * The state of the highest version in the beat's queue, which no application holds any more.
	 */
	@Override
	protected Instant lastRun() {
		RabbitTemplate template = new RabbitTemplate(connectionFactory);
		JsonNode newest = null;
		for (Message message = template.receive(RabbitBeatStore.QUEUE); message != null;
				message = template.receive(RabbitBeatStore.QUEUE)) {
			JsonNode body = this.mapper.readTree(message.getBody());
			if (body.path("kind").asString("").equals("state")
					&& (newest == null || body.path("version").asLong() > newest.path("version").asLong())) {
				newest = body;
			}
		}
		assertThat(newest).as("the beat's state").isNotNull();
		return Instant.ofEpochMilli(newest.path("lastRuns").path("tick").asLong());
	}

}
