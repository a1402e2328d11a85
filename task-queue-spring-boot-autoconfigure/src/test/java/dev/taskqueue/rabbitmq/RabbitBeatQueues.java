package dev.taskqueue.rabbitmq;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the beat left on a RabbitMQ virtual host, for the beat tests: the tasks it sent wait in the queue
 * {@code beat-it}, and the state messages (the last runs) in the beat's queue {@code taskqueue.beat}.
 */
final class RabbitBeatQueues {

	private static final String SENT = "beat-it";

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final ConnectionFactory connectionFactory;

	RabbitBeatQueues(ConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	void delete() {
		RabbitAdmin admin = new RabbitAdmin(this.connectionFactory);
		admin.deleteQueue(SENT);
		admin.deleteQueue(RabbitBeatStore.QUEUE);
	}

	int sentCount() {
		Properties queue = new RabbitAdmin(this.connectionFactory).getQueueProperties(SENT);
		return (queue != null) ? ((Number) queue.get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).intValue() : 0;
	}

	/**
	 * Takes the tasks sent out of their queue.
	 * @return their ids, oldest first, each checked to come from the entry {@code tick}
	 */
	List<String> takeSentIds() {
		RabbitTemplate template = new RabbitTemplate(this.connectionFactory);
		List<String> ids = new ArrayList<>();
		for (Message message = template.receive(SENT); message != null; message = template.receive(SENT)) {
			assertThat((String) message.getMessageProperties().getHeader("periodic_task_name")).isEqualTo("tick");
			ids.add(message.getMessageProperties().getHeader("id"));
		}
		return ids;
	}

	/**
	 * Takes the state messages out of the beat's queue, which no application may hold any more.
	 * @return the last run of the entry {@code tick} in the state of the highest version
	 */
	Instant takeLastRun() {
		RabbitTemplate template = new RabbitTemplate(this.connectionFactory);
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
