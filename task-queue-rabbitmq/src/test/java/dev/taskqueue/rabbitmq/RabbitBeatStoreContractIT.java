package dev.taskqueue.rabbitmq;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import dev.taskqueue.beat.BeatStore;
import dev.taskqueue.beat.BeatStoreContract;

/**
 * The RabbitMQ beat store keeps the beat store contract, in a virtual host of its own, each test on an empty
 * beat queue. Its hooks differ by design: the lead is the queue's single active consumer, so it lapses when
 * the holder's channel goes (as with a process killed, whose connection the broker sees close) rather than by
 * time; and an application that does not lead cannot read the state, nor tell who leads.
 */
class RabbitBeatStoreContractIT extends BeatStoreContract {

	private static @Nullable RabbitVhost vhost;

	private static @Nullable CachingConnectionFactory connectionFactory;

	@BeforeAll
	static void createVhost() {
		vhost = RabbitVhost.create("taskqueue-it-rabbit-beat-store-contract");
		connectionFactory = vhost.connectionFactory();
	}

	@AfterAll
	static void deleteVhost() {
		if (connectionFactory != null) {
			connectionFactory.destroy();
		}
		if (vhost != null) {
			vhost.delete();
		}
	}

	@BeforeEach
	void emptyTheBeatQueue() {
		new RabbitAdmin(connectionFactory).deleteQueue(RabbitBeatStore.QUEUE);
	}

	@Override
	protected BeatStore createStore() {
		return new RabbitBeatStore(connectionFactory, JsonMapper.builder().build(), Duration.ofSeconds(5));
	}

	@Override
	protected void close(BeatStore store) {
		((RabbitBeatStore) store).close();
	}

	/**
	 * The holder's channel closes as its process's would: what it held goes back to the queue.
	 */
	@Override
	protected void lapse(BeatStore holder) {
		((RabbitBeatStore) holder).crash();
	}

	@Override
	protected boolean followersKnowTheLeader() {
		return false;
	}

}
