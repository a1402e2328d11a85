package dev.taskqueue.rabbitmq;

import java.time.Duration;
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
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.beatit.BeatKillSemantics;
import dev.taskqueue.redis.OwnRedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A killed beat leader on RabbitMQ (a virtual host of this test's own): the broker sees the leader's connection
 * close, puts the state it held back in the queue and makes the next consumer the active one, which leads
 * within seconds. The processes' events go to a redis-server of this test's own.
 */
class RabbitBeatKillIT extends BeatKillSemantics {

	private static RabbitVhost vhost;

	private static CachingConnectionFactory connectionFactory;

	private static OwnRedisServer eventServer;

	private static LettuceConnectionFactory eventConnections;

	private final JsonMapper mapper = JsonMapper.builder().build();

	@BeforeAll
	static void createVhost() {
		vhost = RabbitVhost.create("taskqueue-it-rabbit-beat-kill");
		connectionFactory = vhost.connectionFactory();
		eventServer = OwnRedisServer.start();
		eventConnections = eventServer.connectionFactory();
	}

	@AfterAll
	static void deleteVhost() {
		connectionFactory.destroy();
		vhost.delete();
		eventConnections.destroy();
		eventServer.close();
	}

	@Override
	protected void clean() {
		RabbitAdmin admin = new RabbitAdmin(connectionFactory);
		admin.deleteQueue("beat-it");
		admin.deleteQueue(RabbitBeatStore.QUEUE);
		events().execute((RedisCallback<Object>) (connection) -> {
			connection.serverCommands().flushAll();
			return null;
		});
	}

	@Override
	protected String[] brokerProperties() {
		return new String[] { "spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=5672",
				"spring.rabbitmq.username=guest", "spring.rabbitmq.password=guest",
				"spring.rabbitmq.virtual-host=" + vhost.name(), "taskqueue.broker=rabbitmq",
				"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + eventServer.port() };
	}

	@Override
	protected StringRedisTemplate events() {
		return new StringRedisTemplate(eventConnections);
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
			ids.add(message.getMessageProperties().getHeader("id"));
		}
		return ids;
	}

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

	/**
	 * The broker notices a killed process's connection at once; a few seconds for the new leader to read the
	 * queue and the processes.
	 */
	@Override
	protected Duration takeover() {
		return Duration.ofSeconds(5);
	}

}
