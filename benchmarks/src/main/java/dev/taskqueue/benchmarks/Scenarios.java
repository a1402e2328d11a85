package dev.taskqueue.benchmarks;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.context.ConfigurableApplicationContext;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.TaskClient;
import dev.taskqueue.benchmarks.BenchApplication.BenchTasks;
import dev.taskqueue.benchmarks.Benchmarks.Result;
import dev.taskqueue.broker.memory.InMemoryBroker;
import dev.taskqueue.canvas.CanvasClient;
import dev.taskqueue.canvas.Chord;
import dev.taskqueue.canvas.Group;
import dev.taskqueue.canvas.Signature;
import dev.taskqueue.worker.Workers;

/**
 * The measurements: enqueue, throughput (drain a preloaded queue), latency (send then wait, one at a time) and
 * the broker's raw limit (Redis push and pop of a task-sized message, pipelined; RabbitMQ persistent publish
 * with confirms and consume with manual acks).
 */
final class Scenarios {

	private static final String QUEUE = "bench";

	private static final Duration WAIT = Duration.ofMinutes(2);

	private static final int IN_FLIGHT = 1000;

	private static final int LATENCY_WARM_UP = 5000;

	private static final int WARM_UP_ROUNDS = 3;

	private final ConfigurableApplicationContext context;

	private final String broker;

	private final TaskClient client;

	private final CanvasClient canvas;

	private final Workers workers;

	private final BenchTasks tasks;

	private final int warmUp;

	private final boolean results;

	Scenarios(ConfigurableApplicationContext context, String broker, int warmUp, boolean results) {
		this.context = context;
		this.broker = broker;
		this.warmUp = warmUp;
		this.results = results;
		this.client = context.getBean(TaskClient.class);
		this.canvas = context.getBean(CanvasClient.class);
		this.workers = context.getBean(Workers.class);
		this.tasks = context.getBean(BenchTasks.class);
	}

	/**
	 * Send and run {@code warmUp} tasks, unmeasured, {@value #WARM_UP_ROUNDS} times, so that the JIT has
	 * compiled the client's and the worker's paths before the measurement (as JMH warms up in iterations):
	 * otherwise a run of a few seconds measures the compiler threads as much as the code (JFR and perf: C1 and
	 * C2 took 45 % of the CPU of a cold 300,000-task run). One round was not enough: C2 raises its thresholds
	 * while its queue is long, and after one round of 20,000 tasks the worker's paths were still C1 code, which
	 * C2 compiled during the measured drain (-XX:+PrintCompilation; perf: C2 30 % of the machine in the drain).
	 */
	private void warmUp() throws InterruptedException {
		for (int round = 0; round < WARM_UP_ROUNDS; round++) {
			warmUpRound();
		}
	}

	private void warmUpRound() throws InterruptedException {
		if (this.warmUp <= 0) {
			return;
		}
		purge();
		this.tasks.runs.set(0);
		this.workers.start();
		AsyncResult<Object> last = null;
		for (int i = 0; i < this.warmUp; i++) {
			last = this.client.send("bench.add", i, 1);
		}
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (this.tasks.runs.get() < this.warmUp && System.nanoTime() < deadline) {
			Thread.sleep(1);
		}
		if (this.results) {
			last.get(WAIT);
		}
		this.workers.stop();
		purge();
		awaitCompilerIdle();
	}

	/**
	 * Wait (5 s at most) until the JIT has compiled nothing for a quarter of a second: the warm-up queued
	 * compilations that would otherwise run during the measurement, on the same two cores (perf: C2 took 29 %
	 * of the CPU of a measured drain right after a warm-up without this wait).
	 */
	private static void awaitCompilerIdle() throws InterruptedException {
		CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
		if (compiler == null || !compiler.isCompilationTimeMonitoringSupported()) {
			return;
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		long compiled;
		do {
			compiled = compiler.getTotalCompilationTime();
			Thread.sleep(250);
		}
		while (compiler.getTotalCompilationTime() != compiled && System.nanoTime() < deadline);
	}

	/**
	 * One producer thread sends with {@link TaskClient#sendAsync}, holding up to {@value #IN_FLIGHT} sends in
	 * flight (pipelined on Redis); the time runs until the broker has taken the last one.
	 */
	Result enqueue(int count) throws InterruptedException {
		warmUp();
		this.workers.stop();
		purge();
		Deque<CompletableFuture<?>> inFlight = new ArrayDeque<>(IN_FLIGHT);
		long start = System.nanoTime();
		for (int i = 0; i < count; i++) {
			if (inFlight.size() == IN_FLIGHT) {
				inFlight.poll().join();
			}
			inFlight.add(this.client.sendAsync("bench.add", List.of(i, 1), Map.of()));
		}
		inFlight.forEach(CompletableFuture::join);
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		purge();
		return Result.rate(count, elapsed);
	}

	/**
	 * One producer thread sends with {@link TaskClient#send}, one at a time: each send returns once the broker
	 * has the message.
	 */
	Result enqueueSync(int count) throws InterruptedException {
		warmUp();
		this.workers.stop();
		purge();
		long start = System.nanoTime();
		for (int i = 0; i < count; i++) {
			this.client.send("bench.add", i, 1);
		}
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		purge();
		return Result.rate(count, elapsed);
	}

	Result throughput(int count, boolean results) throws InterruptedException {
		warmUp();
		this.workers.stop();
		purge();
		List<AsyncResult<Object>> last = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			AsyncResult<Object> sent = this.client.send("bench.add", i, 1);
			if (i >= count - 100) {
				last.add(sent);
			}
		}
		this.tasks.runs.set(0);
		long startCpu = processCpuNanos();
		long start = System.nanoTime();
		this.workers.start();
		long deadline = start + WAIT.toNanos();
		while (this.tasks.runs.get() < count && System.nanoTime() < deadline) {
			Thread.sleep(1);
		}
		if (results) {
			// the last tasks sent are among the last to finish: their results close the measurement
			last.forEach((result) -> result.get(WAIT));
		}
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		// CPU per task moves less than tasks/s on a shared machine: on stderr, not in the compared line
		System.err.printf("drain cpu_us_per_task=%.1f%n", (processCpuNanos() - startCpu) / 1000.0 / count);
		if (this.tasks.runs.get() < count) {
			throw new IllegalStateException("only " + this.tasks.runs.get() + " of " + count + " tasks ran in " + WAIT);
		}
		return Result.rate(count, elapsed);
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
			.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	/**
	 * One caller sends and waits for the result, one task at a time, after {@value #LATENCY_WARM_UP} unmeasured
	 * round trips and a quiet compiler (after 1,000 round trips the JIT still took a quarter of the CPU of the
	 * measured part, perf; the p50 of the same code fell from 1.4 to 1.1 ms once warm).
	 */
	Result latency(int count) throws InterruptedException {
		purge();
		for (int i = 0; i < LATENCY_WARM_UP; i++) {
			this.client.send("bench.add", i, 1).get(WAIT);
		}
		awaitCompilerIdle();
		List<Long> nanos = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			long start = System.nanoTime();
			this.client.send("bench.add", i, 1).get(WAIT);
			nanos.add(System.nanoTime() - start);
		}
		return Result.latencies(nanos);
	}

	/**
	 * A chord of {@code count} header tasks ({@code bench.add}) whose body sums their results ({@code bench.sum}),
	 * sent to running workers: the time from the first header task sent to the body's result. Each header task
	 * reports to the chord's join (on Redis, one {@code chord_part.lua} run) and the last sends the body.
	 */
	Result chord(int count) throws InterruptedException {
		warmUp();
		purge();
		Group header = header(count);
		this.workers.start();
		long start = System.nanoTime();
		AsyncResult<Object> body = this.canvas.send(Chord.of(header, Signature.of("bench.sum")));
		long sent = System.nanoTime();
		Object sum = body.get(WAIT);
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		// how much of it was sending the header: on stderr, not in the compared line
		System.err.printf("chord sent_ms=%d total_ms=%d%n", (sent - start) / 1_000_000, elapsed.toMillis());
		this.workers.stop();
		long expected = (long) count * (count + 1) / 2;
		if (((Number) sum).longValue() != expected) {
			throw new IllegalStateException("the chord's body gave " + sum + ", not " + expected);
		}
		return Result.rate(count, elapsed);
	}

	/**
	 * The same tasks as {@link #chord} as a group whose results are joined by the sender: what the chord's tasks
	 * cost without the chord.
	 */
	Result group(int count) throws InterruptedException {
		warmUp();
		purge();
		Group header = header(count);
		this.workers.start();
		long start = System.nanoTime();
		List<Object> values = this.canvas.send(header).join(WAIT);
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		this.workers.stop();
		if (values.size() != count) {
			throw new IllegalStateException("the group gave " + values.size() + " results, not " + count);
		}
		return Result.rate(count, elapsed);
	}

	private static Group header(int count) {
		List<Signature<Object>> tasks = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			tasks.add(Signature.of("bench.add", i, 1));
		}
		return Group.of(tasks);
	}

	Result raw(int count) throws Exception {
		return switch (this.broker) {
			case "redis" -> rawRedis(count);
			case "rabbitmq" -> rawRabbit(count);
			default -> throw new IllegalArgumentException("the raw scenario is for redis and rabbitmq");
		};
	}

	/**
	 * LPUSH then RPOP of {@code count} task-sized messages, 1,000 commands per flush on a connection of its own
	 * (Spring's pipeline writes each command on its own, which measures system calls rather than Redis).
	 */
	private Result rawRedis(int count) {
		byte[] key = "bench.raw".getBytes(StandardCharsets.UTF_8);
		byte[] message = taskSizedMessage();
		LettuceConnectionFactory factory = this.context.getBean(LettuceConnectionFactory.class);
		RedisClient client = (RedisClient) factory.getRequiredNativeClient();
		RedisURI uri = RedisURI.create(factory.getHostName(), factory.getPort());
		uri.setDatabase(factory.getDatabase());
		try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE, uri)) {
			RedisAsyncCommands<byte[], byte[]> commands = connection.async();
			connection.sync().del(key);
			connection.setAutoFlushCommands(false);
			long start = System.nanoTime();
			pipelined(connection, count, () -> commands.lpush(key, message));
			pipelined(connection, count, () -> commands.rpop(key));
			return Result.rate(count, Duration.ofNanos(System.nanoTime() - start));
		}
	}

	private static void pipelined(StatefulRedisConnection<byte[], byte[]> connection, int count,
			Supplier<RedisFuture<?>> command) {
		for (int done = 0; done < count; done += 1000) {
			List<RedisFuture<?>> batch = new ArrayList<>(1000);
			for (int i = done; i < Math.min(count, done + 1000); i++) {
				batch.add(command.get());
			}
			connection.flushCommands();
			LettuceFutures.awaitAll(WAIT, batch.toArray(RedisFuture[]::new));
		}
	}

	private Result rawRabbit(int count) throws Exception {
		byte[] message = taskSizedMessage();
		Connection connection = this.context.getBean(ConnectionFactory.class).createConnection();
		Channel channel = connection.createChannel(false);
		try {
			channel.queueDeclare("bench.raw", true, false, false, null);
			channel.queuePurge("bench.raw");
			channel.confirmSelect();
			AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
			CountDownLatch consumed = new CountDownLatch(count);
			AtomicInteger acked = new AtomicInteger();
			channel.basicQos(100);
			long start = System.nanoTime();
			channel.basicConsume("bench.raw", false, new DefaultConsumer(channel) {
				@Override
				public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
						throws java.io.IOException {
					getChannel().basicAck(envelope.getDeliveryTag(), false);
					acked.incrementAndGet();
					consumed.countDown();
				}
			});
			for (int i = 0; i < count; i++) {
				channel.basicPublish("", "bench.raw", true, persistent, message);
				if (i % 1000 == 999) {
					channel.waitForConfirmsOrDie(WAIT.toMillis());
				}
			}
			channel.waitForConfirmsOrDie(WAIT.toMillis());
			if (!consumed.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
				throw new IllegalStateException("only " + acked.get() + " of " + count + " consumed");
			}
			return Result.rate(count, Duration.ofNanos(System.nanoTime() - start));
		}
		finally {
			channel.close();
			connection.close();
		}
	}

	private static byte[] taskSizedMessage() {
		// about the size of a kombu envelope for sample.add(2, 3): headers, properties and a base64 body
		return ("{\"body\": \"W1syLCAzXSwge30sIHsiY2FsbGJhY2tzIjogbnVsbCwgImVycmJhY2tzIjogbnVsbCwgImNoYWluIjogbnVsbCwg"
				+ "ImNob3JkIjogbnVsbH1d\", \"content-encoding\": \"utf-8\", \"content-type\": \"application/json\", "
				+ "\"headers\": {\"lang\": \"py\", \"task\": \"sample.add\", \"id\": \"7d4e0c6a-3b2b-4c55-9a0e-1c5f"
				+ "2f0f8a11\", \"shadow\": null, \"eta\": null, \"expires\": null, \"group\": null, \"group_index\": "
				+ "null, \"retries\": 0, \"timelimit\": [null, null], \"root_id\": \"7d4e0c6a-3b2b-4c55-9a0e-1c5f2f0f"
				+ "8a11\", \"parent_id\": null, \"argsrepr\": \"(2, 3)\", \"kwargsrepr\": \"{}\", \"origin\": \"gen1@"
				+ "host\", \"ignore_result\": false}, \"properties\": {\"correlation_id\": \"7d4e0c6a-3b2b-4c55-9a0e"
				+ "-1c5f2f0f8a11\", \"reply_to\": \"3c0f9d1e-0c2e-3a8b-b3a1-7a0b0a1f2c3d\", \"delivery_mode\": 2, "
				+ "\"delivery_info\": {\"exchange\": \"\", \"routing_key\": \"celery\"}, \"priority\": 0, "
				+ "\"body_encoding\": \"base64\", \"delivery_tag\": \"5b1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f\"}}")
			.getBytes(StandardCharsets.UTF_8);
	}

	private void purge() {
		switch (this.broker) {
			case "memory" -> this.context.getBean(InMemoryBroker.class).purge(QUEUE);
			case "redis" -> {
				try (RedisConnection connection = this.context.getBean(RedisConnectionFactory.class).getConnection()) {
					connection.serverCommands().flushDb();
				}
			}
			case "rabbitmq" -> this.context.getBean(AmqpAdmin.class).purgeQueue(QUEUE, false);
			case "sqs" -> {
				this.context.getBean(dev.taskqueue.broker.Broker.class).purge(QUEUE);
				// the results, in Redis
				try (RedisConnection connection = this.context.getBean(RedisConnectionFactory.class).getConnection()) {
					connection.serverCommands().flushDb();
				}
			}
			default -> throw new IllegalArgumentException("unknown broker " + this.broker);
		}
	}

}
