package dev.taskqueue.control;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link PidboxTransport} does, whatever broker carries Celery's remote control: a command reaches
 * every worker that listens, a reply reaches the client whose reply queue it names and no other, in order, from
 * the moment {@link PidboxTransport#replies} returns until the subscription is closed; a reply sent later is
 * dropped, a closed reply queue leaves nothing behind, and a handler that throws stops nothing. Each transport
 * made by {@link #createTransport()} stands for one application; they all share one broker.
 * <p>
 * A transport proves itself by extending this class in its tests, as with {@code BrokerContract}: implement
 * {@link #createTransport()}, and override the hooks where it differs by design, saying why there.
 */
public abstract class PidboxTransportContract {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final List<PidboxTransport> transports = new ArrayList<>();

	private final List<PidboxTransport.Subscription> subscriptions = new ArrayList<>();

	/**
	 * A transport for one more application, on the broker of the others.
	 * @return the transport
	 */
	protected abstract PidboxTransport createTransport();

	/**
	 * Assert that a client's closed reply queue is gone from the broker: by default nothing to check.
	 * @param oid the client's id
	 */
	protected void assertReplyQueueGone(String oid) {
	}

	@AfterEach
	void closeAll() {
		this.subscriptions.forEach(PidboxTransport.Subscription::close);
		this.transports.forEach(PidboxTransport::close);
	}

	@Test
	void aCommandReachesEveryWorkerListeningWithItsHeaders() {
		Recorder first = new Recorder();
		Recorder second = new Recorder();
		transport().listen("w1@contract", first);
		transport().listen("w2@contract", second);
		PidboxTransport client = transport();
		byte[] command = json("{\"method\":\"ping\",\"arguments\":{}}");
		// as in Celery, a broadcast reaches only the workers listening when it is sent: a pub/sub listener may take
		// a moment to be subscribed, so send until both have one
		await().atMost(WAIT).until(() -> {
			client.broadcast(command, Map.of("clock", 7, "expires", 1.5e9));
			return !first.messages.isEmpty() && !second.messages.isEmpty();
		});
		for (Recorder worker : List.of(first, second)) {
			Message received = worker.messages.get(0);
			assertThat(received.text()).isEqualTo("{\"method\":\"ping\",\"arguments\":{}}");
			assertThat(received.headers()).containsKeys("clock", "expires");
			assertThat(((Number) received.headers().get("clock")).intValue()).isEqualTo(7);
			assertThat(((Number) received.headers().get("expires")).doubleValue()).isEqualTo(1.5e9);
		}
	}

	@Test
	void aReplyReachesTheClientAsSoonAsItsReplyQueueIsDeclared() {
		String oid = UUID.randomUUID().toString();
		Recorder client = new Recorder();
		replies(transport(), oid, client);
		transport().reply("reply.celery.pidbox", oid, json("{\"w1@contract\":{\"ok\":\"pong\"}}"),
				Map.of("ticket", "ticket-1", "clock", 12));
		await().atMost(WAIT).until(() -> client.messages.size() == 1);
		Message reply = client.messages.get(0);
		assertThat(reply.text()).isEqualTo("{\"w1@contract\":{\"ok\":\"pong\"}}");
		assertThat(String.valueOf(reply.headers().get("ticket"))).isEqualTo("ticket-1");
		assertThat(((Number) reply.headers().get("clock")).intValue()).isEqualTo(12);
	}

	@Test
	void eachClientReceivesOnlyTheRepliesForItsOwnQueue() {
		String oidA = UUID.randomUUID().toString();
		String oidB = UUID.randomUUID().toString();
		Recorder clientA = new Recorder();
		Recorder clientB = new Recorder();
		replies(transport(), oidA, clientA);
		replies(transport(), oidB, clientB);
		PidboxTransport worker = transport();
		worker.reply("reply.celery.pidbox", oidA, json("{\"w\":\"a\"}"), Map.of("ticket", "a"));
		worker.reply("reply.celery.pidbox", oidB, json("{\"w\":\"b\"}"), Map.of("ticket", "b"));
		await().atMost(WAIT).until(() -> clientA.messages.size() == 1 && clientB.messages.size() == 1);
		assertThat(clientA.texts()).containsExactly("{\"w\":\"a\"}");
		assertThat(clientB.texts()).containsExactly("{\"w\":\"b\"}");
	}

	@Test
	void repliesArriveInTheOrderTheyWereSent() {
		String oid = UUID.randomUUID().toString();
		Recorder client = new Recorder();
		replies(transport(), oid, client);
		PidboxTransport worker = transport();
		for (int i = 0; i < 5; i++) {
			worker.reply("reply.celery.pidbox", oid, json("{\"n\":" + i + "}"), Map.of("ticket", "t"));
		}
		await().atMost(WAIT).until(() -> client.messages.size() == 5);
		assertThat(client.texts()).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
	}

	@Test
	void aReplySentAfterTheReplyQueueIsClosedIsDroppedNotKeptForTheNextConsumer() {
		String oid = UUID.randomUUID().toString();
		PidboxTransport client = transport();
		PidboxTransport worker = transport();
		Recorder first = new Recorder();
		client.replies(oid, first).close();
		worker.reply("reply.celery.pidbox", oid, json("{\"late\":true}"), Map.of("ticket", "old"));
		// a reply sent after it by the same worker to a client that listens: once it arrives, the late one has
		// been routed (dropped) too
		String probeOid = UUID.randomUUID().toString();
		Recorder probe = new Recorder();
		replies(transport(), probeOid, probe);
		worker.reply("reply.celery.pidbox", probeOid, json("{}"), Map.of("ticket", "probe"));
		await().atMost(WAIT).until(() -> !probe.messages.isEmpty());
		Recorder second = new Recorder();
		replies(client, oid, second);
		worker.reply("reply.celery.pidbox", oid, json("{\"fresh\":true}"), Map.of("ticket", "new"));
		await().atMost(WAIT).until(() -> !second.messages.isEmpty());
		assertThat(second.texts()).containsExactly("{\"fresh\":true}");
		assertThat(first.messages).isEmpty();
	}

	@Test
	void aClosedReplyQueueLeavesNothingBehind() {
		String oid = UUID.randomUUID().toString();
		PidboxTransport client = transport();
		Recorder recorder = new Recorder();
		PidboxTransport.Subscription subscription = client.replies(oid, recorder);
		transport().reply("reply.celery.pidbox", oid, json("{}"), Map.of("ticket", "t"));
		await().atMost(WAIT).until(() -> !recorder.messages.isEmpty());
		subscription.close();
		assertReplyQueueGone(oid);
	}

	@Test
	void aSecondConsumerOfOneReplyQueueIsRefusedUntilTheFirstIsClosed() {
		String oid = UUID.randomUUID().toString();
		PidboxTransport client = transport();
		PidboxTransport.Subscription first = client.replies(oid, new Recorder());
		assertThatIllegalStateException().isThrownBy(() -> client.replies(oid, new Recorder()));
		first.close();
		Recorder second = new Recorder();
		replies(client, oid, second);
		transport().reply("reply.celery.pidbox", oid, json("{}"), Map.of("ticket", "t"));
		await().atMost(WAIT).until(() -> !second.messages.isEmpty());
	}

	@Test
	void aHandlerThatThrowsDoesNotStopTheReplies() {
		String oid = UUID.randomUUID().toString();
		AtomicBoolean thrown = new AtomicBoolean();
		Recorder recorder = new Recorder();
		replies(transport(), oid, (reply, headers) -> {
			if (thrown.compareAndSet(false, true)) {
				throw new IllegalStateException("a handler's bug");
			}
			recorder.received(reply, headers);
		});
		PidboxTransport worker = transport();
		worker.reply("reply.celery.pidbox", oid, json("{\"n\":1}"), Map.of("ticket", "t"));
		worker.reply("reply.celery.pidbox", oid, json("{\"n\":2}"), Map.of("ticket", "t"));
		await().atMost(WAIT).until(() -> !recorder.messages.isEmpty());
		assertThat(recorder.texts()).containsExactly("{\"n\":2}");
	}

	private PidboxTransport transport() {
		PidboxTransport transport = createTransport();
		this.transports.add(transport);
		return transport;
	}

	private void replies(PidboxTransport transport, String oid, PidboxTransport.Handler handler) {
		this.subscriptions.add(transport.replies(oid, handler));
	}

	private static byte[] json(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** A message and its headers, as a handler received them. */
	record Message(String text, Map<String, Object> headers) {
	}

	/** Records what a handler receives. */
	static final class Recorder implements PidboxTransport.Handler {

		final List<Message> messages = new CopyOnWriteArrayList<>();

		@Override
		public void received(byte[] message, @Nullable Map<String, Object> headers) {
			this.messages.add(new Message(new String(message, StandardCharsets.UTF_8),
					(headers != null) ? headers : Map.of()));
		}

		List<String> texts() {
			return this.messages.stream().map(Message::text).toList();
		}

	}

}
