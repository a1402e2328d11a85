package dev.taskqueue.rabbitmq;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;

import dev.taskqueue.beat.BeatLease;
import dev.taskqueue.beat.BeatStore;
import dev.taskqueue.broker.BrokerException;

/**
 * The beat's {@link BeatStore} in RabbitMQ, with what RabbitMQ offers and no other database: a durable queue,
 * {@code taskqueue.beat}, with a single active consumer ({@code x-single-active-consumer}). Every application
 * consumes it; RabbitMQ delivers to one of them only, and that one leads.
 * <p>
 * <b>The state</b> (the last runs, the entries added at run time, a term that counts leaders) is one persistent
 * message in that queue, which the leader holds unacknowledged. To change it, the leader publishes the next
 * version (with a publisher confirm) and then acknowledges the one it held, so the queue always holds the state.
 * When the leader dies, or its connection does, RabbitMQ puts what it held back in the queue and delivers it to
 * the next consumer in line, which leads from there: the lead passes as soon as the broker sees the connection
 * close, and nothing is lost.
 * <p>
 * <b>Taking the lead.</b> A consumer learns it is the active one by receiving anything. It then publishes a
 * marker of its own and reads until the marker comes back, so it has seen every message that was in the queue
 * before (the state, perhaps a stale second one, changes): it keeps the state of the highest version, applies
 * the changes it has not applied yet, and publishes the next version with the next term, its fencing token. An
 * application that subscribes publishes such a marker at once, so that on an empty queue the first consumer
 * leads.
 * <p>
 * <b>Changes.</b> Any application adds or removes an entry by publishing a change message to the queue; the
 * leader folds it into the next state. A stale leader cannot write: its channel, and with it its hold on the
 * state, is gone. Applications that do not lead cannot read the state.
 */
public class RabbitBeatStore implements BeatStore, AutoCloseable {

	/** The queue of the beat. */
	public static final String QUEUE = "taskqueue.beat";

	private static final Logger logger = LoggerFactory.getLogger(RabbitBeatStore.class);

	private static final int MAX_APPLIED = 1000;

	private static final Duration FIRST_DELIVERY = Duration.ofSeconds(2);

	private final ConnectionFactory connectionFactory;

	private final JsonMapper mapper;

	private final Duration confirmTimeout;

	private final LinkedBlockingQueue<Delivery> inbox = new LinkedBlockingQueue<>();

	private @Nullable Channel proxy;

	private volatile @Nullable Channel channel;

	private volatile boolean channelLost;

	private @Nullable String pendingMarker;

	private boolean markerAfterActivation;

	private final List<Delivery> gathered = new ArrayList<>();

	private @Nullable State state;

	private @Nullable String owner;

	private final List<Delivery> heldStates = new ArrayList<>();

	/**
	 * Create a store; it consumes the beat's queue from its first {@link #acquire}.
	 * @param connectionFactory where its channel comes from
	 * @param mapper writes and reads the state
	 * @param confirmTimeout how long a publish waits for the broker's confirm
	 */
	public RabbitBeatStore(ConnectionFactory connectionFactory, JsonMapper mapper, Duration confirmTimeout) {
		this.connectionFactory = connectionFactory;
		this.mapper = mapper;
		this.confirmTimeout = confirmTimeout;
	}

	@Override
	public synchronized @Nullable BeatLease acquire(String owner, Duration duration) {
		if (this.state != null && !isLost()) {
			return null;
		}
		if (this.state != null) {
			reset();
		}
		boolean subscribed = subscribe();
		Delivery first = subscribed ? poll(FIRST_DELIVERY) : null;
		if (first != null) {
			take(first);
		}
		drain();
		if (this.pendingMarker != null && this.markerAfterActivation && !this.gathered.isEmpty()) {
			// active: wait a little for our marker, which follows what we were handed
			Delivery next;
			while (this.pendingMarker != null && (next = poll(FIRST_DELIVERY)) != null) {
				take(next);
			}
		}
		if (!markerReturned()) {
			return null;
		}
		return lead(owner);
	}

	@Override
	public synchronized boolean renew(BeatLease lease, Duration duration) {
		if (!holds(lease)) {
			return false;
		}
		drain();
		foldChanges();
		return holds(lease);
	}

	@Override
	public synchronized void release(BeatLease lease) {
		if (holds(lease)) {
			logger.debug("Giving the beat's lead up");
		}
		reset();
	}

	@Override
	public synchronized @Nullable String leader() {
		return (this.state != null && !isLost()) ? this.owner : null;
	}

	@Override
	public synchronized Map<String, Instant> lastRuns() {
		Map<String, Instant> runs = new LinkedHashMap<>();
		if (this.state != null) {
			this.state.lastRuns.forEach((entry, millis) -> runs.put(entry, Instant.ofEpochMilli(millis)));
		}
		return runs;
	}

	@Override
	public synchronized boolean recordRun(BeatLease lease, String entry, @Nullable Instant expected, Instant lastRun) {
		if (!holds(lease)) {
			return false;
		}
		State current = this.state;
		Long recorded = current.lastRuns.get(entry);
		Long expectedMillis = (expected != null) ? expected.toEpochMilli() : null;
		if (!Objects.equals(recorded, expectedMillis)) {
			return false;
		}
		State next = current.next();
		next.lastRuns.put(entry, lastRun.toEpochMilli());
		return write(next, List.of());
	}

	@Override
	public synchronized Map<String, String> entries() {
		return (this.state != null) ? new LinkedHashMap<>(this.state.entries) : Map.of();
	}

	@Override
	public void putEntry(String name, String definition) {
		ObjectNode change = this.mapper.createObjectNode();
		change.put("kind", "change").put("id", UUID.randomUUID().toString()).put("op", "put").put("name", name)
			.put("definition", definition);
		publishAlone(change);
	}

	@Override
	public void removeEntry(String name) {
		ObjectNode change = this.mapper.createObjectNode();
		change.put("kind", "change").put("id", UUID.randomUUID().toString()).put("op", "remove").put("name", name);
		publishAlone(change);
	}

	@Override
	public synchronized void close() {
		reset();
	}

	/**
	 * Drop the channel as a dying application would, without giving anything back first: RabbitMQ puts what it
	 * held back in the queue. For tests.
	 */
	synchronized void crash() {
		Channel current = this.channel;
		if (current != null) {
			try {
				current.abort();
			}
			catch (IOException ex) {
				// gone already
			}
		}
		this.channelLost = true;
	}

	private boolean holds(BeatLease lease) {
		return this.state != null && !isLost() && this.state.term == lease.token();
	}

	private boolean isLost() {
		Channel current = this.channel;
		return this.channelLost || current == null || !current.isOpen();
	}

	/**
	 * Consume the queue on a channel of our own, if not already, and publish a marker so that the first
	 * consumer of an empty queue learns it is the active one.
	 * @return whether a new subscription was made
	 */
	private boolean subscribe() {
		if (!isLost()) {
			return false;
		}
		reset();
		Channel newProxy = this.connectionFactory.createConnection().createChannel(false);
		Channel target = (newProxy instanceof ChannelProxy channelProxy) ? channelProxy.getTargetChannel() : newProxy;
		try {
			target.addShutdownListener((cause) -> {
				if (this.channel == target) {
					this.channelLost = true;
				}
			});
			target.queueDeclare(QUEUE, true, false, false, Map.of("x-single-active-consumer", true));
			target.confirmSelect();
			target.basicQos(1000);
			target.basicConsume(QUEUE, false, new InboxConsumer(target));
			this.proxy = newProxy;
			this.channel = target;
			this.channelLost = false;
			this.pendingMarker = publishMarker();
			this.markerAfterActivation = false;
			return true;
		}
		catch (IOException | RuntimeException ex) {
			closePhysically(newProxy);
			this.proxy = null;
			this.channel = null;
			throw new BrokerException("Could not consume the beat's queue " + QUEUE + ": " + ex, ex);
		}
	}

	private void reset() {
		Channel current = this.proxy;
		this.proxy = null;
		this.channel = null;
		this.channelLost = true;
		this.state = null;
		this.pendingMarker = null;
		this.gathered.clear();
		this.heldStates.clear();
		this.inbox.clear();
		if (current != null) {
			// closing the channel puts what it held back in the queue, for the next consumer
			closePhysically(current);
		}
	}

	private @Nullable Delivery poll(Duration timeout) {
		try {
			return this.inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private void drain() {
		for (Delivery delivery = this.inbox.poll(); delivery != null; delivery = this.inbox.poll()) {
			take(delivery);
		}
	}

	/**
	 * Sort one delivery: while following, gather it (any delivery says we are the active consumer); while
	 * leading, keep our newest state, acknowledge the stale, gather changes for the next state.
	 */
	private void take(Delivery delivery) {
		if (delivery.channel != this.channel) {
			return;
		}
		String kind = delivery.body.path("kind").asString("");
		if (this.state == null) {
			if (kind.equals("marker") && delivery.body.path("id").asString("").equals(this.pendingMarker)) {
				this.pendingMarker = null;
				ack(delivery);
				return;
			}
			this.gathered.add(delivery);
			if (!this.markerAfterActivation) {
				this.markerAfterActivation = true;
				this.pendingMarker = publishMarker();
			}
			return;
		}
		switch (kind) {
			case "state" -> {
				if (delivery.body.path("version").asLong() == this.state.version) {
					this.heldStates.add(delivery);
				}
				else {
					ack(delivery);
				}
			}
			case "change" -> this.gathered.add(delivery);
			default -> ack(delivery);
		}
	}

	private boolean markerReturned() {
		return this.pendingMarker == null && this.channel != null && !isLost();
	}

	/**
	 * Everything the queue held is in hand: take the newest state, apply the changes not yet in it, and publish
	 * the next version under the next term.
	 */
	private @Nullable BeatLease lead(String owner) {
		State newest = new State(0, 0);
		for (Delivery delivery : this.gathered) {
			if (delivery.body.path("kind").asString("").equals("state")) {
				State read = State.read(delivery.body);
				if (read.version > newest.version) {
					newest = read;
				}
			}
		}
		State next = newest.next();
		next.term = newest.term + 1;
		next.owner = owner;
		List<Delivery> consumed = new ArrayList<>(this.gathered);
		applyChanges(next, consumed);
		this.gathered.clear();
		this.state = newest;
		if (!write(next, consumed)) {
			return null;
		}
		this.owner = owner;
		return new BeatLease(next.term, owner);
	}

	private void foldChanges() {
		if (this.gathered.isEmpty() || this.state == null) {
			return;
		}
		State next = this.state.next();
		List<Delivery> consumed = new ArrayList<>(this.gathered);
		applyChanges(next, consumed);
		this.gathered.clear();
		write(next, consumed);
	}

	private static void applyChanges(State state, List<Delivery> deliveries) {
		for (Delivery delivery : deliveries) {
			JsonNode change = delivery.body;
			if (!change.path("kind").asString("").equals("change")) {
				continue;
			}
			String id = change.path("id").asString("");
			if (!state.applied.add(id)) {
				continue;
			}
			String name = change.path("name").asString("");
			if (change.path("op").asString("").equals("put")) {
				state.entries.put(name, change.path("definition").asString(""));
			}
			else {
				state.entries.remove(name);
				state.lastRuns.remove(name);
			}
		}
		while (state.applied.size() > MAX_APPLIED) {
			state.applied.remove(state.applied.iterator().next());
		}
	}

	/**
	 * Publish the next state, confirmed, then give back the state held before and what it absorbed.
	 */
	private boolean write(State next, List<Delivery> consumed) {
		Channel current = this.channel;
		if (current == null || isLost()) {
			return false;
		}
		try {
			publish(current, next.write(this.mapper));
		}
		catch (IOException | RuntimeException | TimeoutException ex) {
			// whether the broker took it is unknown: give the lead up, so that the next leader reads the queue
			logger.warn("Could not write the beat's state to RabbitMQ, giving the lead up: {}", ex.toString());
			reset();
			return false;
		}
		this.state = next;
		List<Delivery> done = new ArrayList<>(this.heldStates);
		done.addAll(consumed);
		this.heldStates.clear();
		for (Delivery delivery : done) {
			if (delivery.body.path("kind").asString("").equals("state")
					&& delivery.body.path("version").asLong() == next.version) {
				this.heldStates.add(delivery);
			}
			else {
				ack(delivery);
			}
		}
		return true;
	}

	private void publish(Channel target, byte[] body) throws IOException, TimeoutException {
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
			.deliveryMode(2)
			.build();
		target.basicPublish("", QUEUE, properties, body);
		try {
			target.waitForConfirmsOrDie(this.confirmTimeout.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted waiting for RabbitMQ's confirm", ex);
		}
	}

	private String publishMarker() {
		String id = UUID.randomUUID().toString();
		ObjectNode marker = this.mapper.createObjectNode();
		marker.put("kind", "marker").put("id", id);
		Channel current = this.channel;
		if (current == null) {
			throw new BrokerException("The beat's channel is closed");
		}
		try {
			publish(current, this.mapper.writeValueAsBytes(marker));
		}
		catch (IOException | TimeoutException ex) {
			throw new BrokerException("Could not publish to the beat's queue: " + ex, ex);
		}
		return id;
	}

	/**
	 * Publish a change on a channel of its own: any application may, leader or not.
	 */
	private void publishAlone(ObjectNode change) {
		Channel newProxy = this.connectionFactory.createConnection().createChannel(false);
		Channel target = (newProxy instanceof ChannelProxy channelProxy) ? channelProxy.getTargetChannel() : newProxy;
		try {
			target.queueDeclare(QUEUE, true, false, false, Map.of("x-single-active-consumer", true));
			target.confirmSelect();
			publish(target, this.mapper.writeValueAsBytes(change));
		}
		catch (IOException | TimeoutException | RuntimeException ex) {
			throw new BrokerException("Could not change the beat's schedule in RabbitMQ: " + ex, ex);
		}
		finally {
			closePhysically(newProxy);
		}
	}

	private void ack(Delivery delivery) {
		try {
			delivery.channel.basicAck(delivery.tag, false);
		}
		catch (IOException | RuntimeException ex) {
			// the channel is gone, and RabbitMQ gives the message to the next consumer
		}
	}

	private static void closePhysically(Channel proxy) {
		RabbitUtils.setPhysicalCloseRequired(proxy, true);
		RabbitUtils.closeChannel(proxy);
	}

	/**
	 * A message of the beat's queue, as delivered on a channel.
	 */
	private record Delivery(Channel channel, long tag, JsonNode body) {
	}

	/**
	 * Hands deliveries to the store's thread, which does everything else.
	 */
	private final class InboxConsumer extends DefaultConsumer {

		InboxConsumer(Channel channel) {
			super(channel);
		}

		@Override
		public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
				byte[] body) {
			JsonNode json;
			try {
				json = RabbitBeatStore.this.mapper.readTree(body);
			}
			catch (RuntimeException ex) {
				logger.warn("Dropping a message of the beat's queue that is not JSON: {}",
						new String(body, StandardCharsets.UTF_8));
				json = RabbitBeatStore.this.mapper.createObjectNode();
			}
			RabbitBeatStore.this.inbox.add(new Delivery(getChannel(), envelope.getDeliveryTag(), json));
		}

		@Override
		public void handleCancel(String consumerTag) {
			RabbitBeatStore.this.channelLost = true;
		}

	}

	/**
	 * The beat's state, one message: version, term (the fencing token of the leader that wrote it), the last runs
	 * in epoch milliseconds, the entries added at run time, and the ids of the changes already applied.
	 */
	private static final class State {

		final long version;

		long term;

		@Nullable String owner;

		final Map<String, Long> lastRuns = new LinkedHashMap<>();

		final Map<String, String> entries = new LinkedHashMap<>();

		final Set<String> applied = new LinkedHashSet<>();

		State(long version, long term) {
			this.version = version;
			this.term = term;
		}

		State next() {
			State next = new State(this.version + 1, this.term);
			next.owner = this.owner;
			next.lastRuns.putAll(this.lastRuns);
			next.entries.putAll(this.entries);
			next.applied.addAll(this.applied);
			return next;
		}

		byte[] write(JsonMapper mapper) {
			ObjectNode node = mapper.createObjectNode();
			node.put("kind", "state").put("version", this.version).put("term", this.term).put("owner", this.owner);
			ObjectNode runs = node.putObject("lastRuns");
			this.lastRuns.forEach(runs::put);
			ObjectNode entries = node.putObject("entries");
			this.entries.forEach(entries::put);
			this.applied.forEach(node.putArray("applied")::add);
			return mapper.writeValueAsBytes(node);
		}

		static State read(JsonNode node) {
			State state = new State(node.path("version").asLong(), node.path("term").asLong());
			state.owner = node.path("owner").asString(null);
			node.path("lastRuns").properties().forEach((field) -> state.lastRuns.put(field.getKey(), field.getValue().asLong()));
			node.path("entries").properties()
				.forEach((field) -> state.entries.put(field.getKey(), field.getValue().asString("")));
			node.path("applied").forEach((id) -> state.applied.add(id.asString("")));
			return state;
		}

	}

}
