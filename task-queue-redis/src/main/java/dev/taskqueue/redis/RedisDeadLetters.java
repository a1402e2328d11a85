package dev.taskqueue.redis;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.DeadLetterQueue;
import dev.taskqueue.broker.DeadLetterRetention;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.IsoTime;

/**
 * The Redis broker's dead letters: each queue's list {@code <queue>.dead-letter}, newest first as LPUSH leaves
 * it, of JSON entries {@code {"id", "queue", "reason", "rejected_at", "envelope"}} where the envelope is kombu's
 * message as it was taken (or its raw text if it was not kombu's), and the set
 * {@code taskqueue.dead-letter-queues} of the queues that have some.
 * <p>
 * Removing a dead letter, and publishing it back for a redrive, is one Lua script on the exact entry, so two
 * callers acting on the same dead letter never redrive it twice. Redis has no index by id: finding one by id
 * reads the dead-letter lists of every queue that has any; counting them per queue reads none (the set, then the
 * lists' lengths).
 */
final class RedisDeadLetters implements DeadLetterQueue {

	/** The most dead letters one script run drops for their age, so that Redis is not held up long. */
	private static final long EXPIRY_BATCH = 1000;

	private final StringRedisTemplate redis;

	private final KombuMessageCodec codec;

	private final RedisKeys keys;

	private final RedisBrokerScripts scripts;

	RedisDeadLetters(StringRedisTemplate redis, KombuMessageCodec codec, RedisKeys keys, RedisBrokerScripts scripts) {
		this.redis = redis;
		this.codec = codec;
		this.keys = keys;
		this.scripts = scripts;
	}

	/**
	 * A dead letter for a message kept as its raw text, not parsed (one refused for its size): read back, the
	 * text is read as kombu's message, as the entries the claim script writes.
	 * @param queue the queue it was taken from
	 * @param message the message, exactly as it was in its list
	 * @param reason why it was rejected
	 * @param rejectedAt when
	 * @return the entry, as stored in the dead-letter list
	 */
	String unparsedEntry(String queue, String message, String reason, Instant rejectedAt) {
		Map<String, Object> entry = new LinkedHashMap<>();
		entry.put("id", UUID.randomUUID().toString());
		entry.put("queue", queue);
		entry.put("reason", reason);
		entry.put("rejected_at", IsoTime.format(rejectedAt));
		entry.put("envelope", message);
		return this.codec.mapper().writeValueAsString(entry);
	}

	/**
	 * The entry that records a rejected message, under a fresh id.
	 * @param queue the queue it was taken from
	 * @param message the message as it was taken
	 * @param reason why it was rejected
	 * @param rejectedAt when
	 * @return the entry's JSON text
	 */
	String entry(String queue, String message, String reason, Instant rejectedAt) {
		Map<String, Object> entry = new LinkedHashMap<>();
		// the id first: finding one by id skips entries that do not contain it without parsing them
		entry.put("id", UUID.randomUUID().toString());
		entry.put("queue", queue);
		entry.put("reason", reason);
		entry.put("rejected_at", IsoTime.format(rejectedAt));
		Object envelope;
		try {
			envelope = this.codec.parse(message);
		}
		catch (RuntimeException ex) {
			envelope = message;
		}
		entry.put("envelope", envelope);
		return this.codec.mapper().writeValueAsString(entry);
	}

	@Override
	public List<DeadLetter> listDeadLetters(@Nullable String queue, int limit) {
		return stored(queue, limit).stream().map(Stored::letter).toList();
	}

	/**
	 * Two round trips whatever the dead letters hold: the set of the queues that have some, then the lengths of
	 * their lists, pipelined. No entry is read.
	 */
	@Override
	public Map<String, Long> countDeadLetters() {
		List<String> queues = new ArrayList<>(queues());
		if (queues.isEmpty()) {
			return Map.of();
		}
		List<Object> lengths = this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
			for (String queue : queues) {
				connection.listCommands().lLen(this.keys.deadLetter(queue).getBytes(StandardCharsets.UTF_8));
			}
			return null;
		});
		Map<String, Long> counts = new TreeMap<>();
		for (int i = 0; i < queues.size() && i < lengths.size(); i++) {
			if (lengths.get(i) instanceof Number length && length.longValue() > 0) {
				counts.put(queues.get(i), length.longValue());
			}
		}
		return counts;
	}

	@Override
	public boolean redriveDeadLetter(String id) {
		Stored stored = find(id);
		return stored != null && redrive(stored);
	}

	@Override
	public int redriveDeadLetters(@Nullable String queue) {
		return (int) stored(queue, Integer.MAX_VALUE).stream().filter(this::redrive).count();
	}

	@Override
	public boolean purgeDeadLetter(String id) {
		Stored stored = find(id);
		return stored != null && take(stored, null, null);
	}

	@Override
	public int purgeDeadLetters(@Nullable String queue) {
		long purged = 0;
		for (String each : (queue != null) ? Set.of(queue) : queues()) {
			Long count = this.redis.execute(this.scripts.purgeDeadLetters,
					List.of(this.keys.deadLetter(each), this.keys.deadLetterQueues()), each);
			purged += (count != null) ? count : 0;
		}
		return (int) purged;
	}

	/**
	 * Drop the dead letters of every queue rejected before the retention's cut-off, and count them in the log.
	 * @param retention the retention
	 * @param now the time now
	 * @return how many were dropped
	 */
	long expire(DeadLetterRetention retention, Instant now) {
		String cutoff = IsoTime.format(retention.cutoff(now));
		long total = 0;
		for (String queue : queues()) {
			long dropped = 0;
			Long count;
			do {
				count = this.redis.execute(this.scripts.expireDeadLetters,
						List.of(this.keys.deadLetter(queue), this.keys.deadLetterQueues()), cutoff, queue,
						String.valueOf(EXPIRY_BATCH));
				dropped += (count != null) ? count : 0;
			}
			while (count != null && count == EXPIRY_BATCH);
			retention.droppedOverMaxAge("queue '" + queue + "'", dropped);
			total += dropped;
		}
		return total;
	}

	private boolean redrive(Stored stored) {
		DeadLetter letter = stored.letter();
		return take(stored, this.keys.bucket(letter.queue(), letter.envelope().priority()), republished(stored.envelope()));
	}

	private boolean take(Stored stored, @Nullable String bucket, @Nullable String message) {
		List<String> scriptKeys = new ArrayList<>(List.of(this.keys.deadLetter(stored.letter().queue()),
				this.keys.deadLetterQueues()));
		List<Object> args = new ArrayList<>(List.of(stored.entry(), stored.letter().queue()));
		if (bucket != null) {
			scriptKeys.add(bucket);
			args.add(message);
		}
		Long taken = this.redis.execute(this.scripts.takeDeadLetter, scriptKeys, args.toArray());
		return taken != null && taken == 1;
	}

	/**
	 * The message as it was published, with a fresh delivery tag and without the marks of a redelivery: a
	 * redrive is a new publish. A message that was not kombu's goes back as it was.
	 */
	private String republished(JsonNode envelope) {
		if (!(envelope instanceof ObjectNode original)) {
			return envelope.isString() ? envelope.asString() : envelope.toString();
		}
		ObjectNode message = original.deepCopy();
		if (message.get("headers") instanceof ObjectNode headers) {
			headers.remove("redelivered");
		}
		if (message.get("properties") instanceof ObjectNode properties) {
			properties.put("delivery_tag", UUID.randomUUID().toString());
			if (properties.get("delivery_info") instanceof ObjectNode info) {
				info.remove("redelivered");
			}
		}
		return this.codec.mapper().writeValueAsString(message);
	}

	/**
	 * The oldest dead letters of a queue, or of all queues merged by the time they were rejected.
	 */
	private List<Stored> stored(@Nullable String queue, int limit) {
		if (queue != null) {
			return oldest(queue, limit);
		}
		List<Stored> all = new ArrayList<>();
		for (String each : queues()) {
			all.addAll(oldest(each, limit));
		}
		// stable: dead letters of one queue rejected in the same instant keep their order
		all.sort(Comparator.comparing((Stored stored) -> stored.letter().rejectedAt()));
		return all.subList(0, Math.min(limit, all.size()));
	}

	private List<Stored> oldest(String queue, int limit) {
		if (limit <= 0) {
			return List.of();
		}
		// the list is newest first: its oldest are at the end
		List<String> entries = this.redis.opsForList().range(this.keys.deadLetter(queue), -limit, -1);
		List<Stored> stored = new ArrayList<>();
		for (String entry : (entries != null) ? entries : List.<String>of()) {
			stored.add(read(queue, entry));
		}
		Collections.reverse(stored);
		return stored;
	}

	private @Nullable Stored find(String id) {
		for (String queue : queues()) {
			List<String> entries = this.redis.opsForList().range(this.keys.deadLetter(queue), 0, -1);
			for (String entry : (entries != null) ? entries : List.<String>of()) {
				if (entry.contains(id)) {
					Stored stored = read(queue, entry);
					if (stored.letter().id().equals(id)) {
						return stored;
					}
				}
			}
		}
		return null;
	}

	private Set<String> queues() {
		Set<String> queues = this.redis.opsForSet().members(this.keys.deadLetterQueues());
		return (queues != null) ? new TreeSet<>(queues) : Set.of();
	}

	private Stored read(String queue, String entry) {
		JsonNode node = this.codec.parse(entry);
		JsonNode envelope = node.path("envelope");
		// reject.lua writes every entry with its id
		String id = node.path("id").asString();
		String from = node.hasNonNull("queue") ? node.get("queue").asString() : queue;
		DeadLetter letter = new DeadLetter(from, deadEnvelope(envelope), node.path("reason").asString(),
				IsoTime.parse(node.path("rejected_at").asString()), id);
		return new Stored(letter, entry, envelope);
	}

	/**
	 * The envelope of a dead letter; a message that was not kombu's comes back as its raw text in the body.
	 */
	private Envelope deadEnvelope(JsonNode envelope) {
		String message = envelope.isString() ? envelope.asString() : envelope.toString();
		try {
			return this.codec.read(message);
		}
		catch (RuntimeException ex) {
			return new Envelope(message.getBytes(StandardCharsets.UTF_8), null, null, Map.of(), null, null, 0, null);
		}
	}

	/**
	 * A dead letter with its entry exactly as stored (what the scripts remove) and its kombu message.
	 */
	private record Stored(DeadLetter letter, String entry, JsonNode envelope) {
	}

}
