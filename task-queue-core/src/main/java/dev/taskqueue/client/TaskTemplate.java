package dev.taskqueue.client;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.SendOptions;
import dev.taskqueue.TaskClient;
import dev.taskqueue.TaskContext;
import dev.taskqueue.TaskContextHolder;
import dev.taskqueue.TaskReference;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.Destination;
import dev.taskqueue.broker.PublishRetry;
import dev.taskqueue.canvas.Canvas;
import dev.taskqueue.canvas.CanvasClient;
import dev.taskqueue.canvas.Chain;
import dev.taskqueue.canvas.Chord;
import dev.taskqueue.canvas.Group;
import dev.taskqueue.canvas.GroupResult;
import dev.taskqueue.canvas.Signature;
import dev.taskqueue.listener.TaskEvent;
import dev.taskqueue.listener.TaskListener;
import dev.taskqueue.listener.TaskListeners;
import dev.taskqueue.protocol.Envelope;
import dev.taskqueue.protocol.ProtocolHeaders;
import dev.taskqueue.protocol.PythonRepr;
import dev.taskqueue.protocol.TaskMessage;
import dev.taskqueue.protocol.TimeLimit;
import dev.taskqueue.registry.TaskNames;
import dev.taskqueue.registry.TaskReferences;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.result.ResultTuples;
import dev.taskqueue.routing.Route;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.serialization.TaskMessageConverter;

/**
 * The {@link TaskClient}: routes a task, builds its protocol v2 message, serializes it and publishes it to
 * the broker, then hands back a result handle. Thread-safe; one per application is enough.
 * <p>
 * Every message it sends carries a {@link ProtocolHeaders#SENT taskqueue_sent} header, the time it was sent, so
 * that a worker can tell how long the task waited. Its {@link TaskListener listeners} are told before each
 * publish (and may add headers to the message, as tracing adds {@code traceparent}) and after it, on the
 * sender's thread (for {@link #sendAsync}, on the thread that completes the broker's future).
 */
public class TaskTemplate implements CanvasClient {

	/** What this client writes in the {@code lang} header. */
	public static final String LANG = "java";

	private final Broker broker;

	private final TaskMessageConverter converter;

	private final TaskRouter router;

	private final AsyncResultFactory results;

	private final Clock clock;

	private final SendOptions options;

	private final String replyTo;

	private final String origin;

	private final PublishRetry publishRetry;

	private final TaskListeners listeners;

	private final CanvasSender canvas;

	/**
	 * Start building a client.
	 * @param broker where tasks are published
	 * @param converter how messages are serialized
	 * @param router where tasks go
	 * @param backend where results are read
	 * @return a builder; every other setting has a default
	 */
	public static Builder builder(Broker broker, TaskMessageConverter converter, TaskRouter router,
			ResultBackend backend) {
		return new Builder(broker, converter, router, backend);
	}

	private TaskTemplate(Builder builder) {
		this(builder.broker, builder.converter, builder.router,
				new AsyncResultFactory(builder.backend,
						(builder.jsonMapper != null) ? builder.jsonMapper : JsonMapper.builder().build()),
				(builder.clock != null) ? builder.clock : Clock.systemUTC(), builder.publishRetry, builder.listeners);
	}

	private TaskTemplate(Broker broker, TaskMessageConverter converter, TaskRouter router, AsyncResultFactory results,
			Clock clock, PublishRetry publishRetry, TaskListeners listeners) {
		this(broker, converter, router, results, clock, SendOptions.defaults(), replyTo(results),
				"gen" + ProcessHandle.current().pid() + "@" + hostname(), publishRetry, listeners);
	}

	private TaskTemplate(Broker broker, TaskMessageConverter converter, TaskRouter router, AsyncResultFactory results,
			Clock clock, SendOptions options, String replyTo, String origin, PublishRetry publishRetry,
			TaskListeners listeners) {
		this.broker = broker;
		this.converter = converter;
		this.router = router;
		this.results = results;
		this.clock = clock;
		this.options = options;
		this.replyTo = replyTo;
		this.origin = origin;
		this.publishRetry = publishRetry;
		this.listeners = listeners;
		this.canvas = new CanvasSender(this, results.backend());
	}

	@Override
	public AsyncResult<Object> send(String name, List<?> args, Map<String, ?> kwargs) {
		return publish(name, args, kwargs, Object.class);
	}

	@Override
	public CompletableFuture<AsyncResult<Object>> sendAsync(String name, List<?> args, Map<String, ?> kwargs) {
		return publishAsync(Publication.of(name, args, kwargs, this.options))
			.thenApply((id) -> this.results.create(id, Object.class));
	}

	/**
	 * Publish one task message without waiting for the broker where it allows (Redis pipelines): the future
	 * completes with the task's id once the broker has the message.
	 */
	CompletableFuture<String> publishAsync(Publication publication) {
		Outgoing outgoing;
		try {
			outgoing = outgoing(publication);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		CompletableFuture<Void> published;
		try {
			published = this.broker.publishAsync(outgoing.destination(), outgoing.envelope());
		}
		catch (RuntimeException ex) {
			published = CompletableFuture.failedFuture(ex);
		}
		TaskEvent event = outgoing.event();
		if (event != null) {
			published = published.whenComplete((ignored, error) -> this.listeners.afterPublish(event, unwrap(error)));
		}
		return published.thenApply((ignored) -> outgoing.id());
	}

	@Override
	public <R> AsyncResult<R> send(TaskReference task, List<?> args) {
		Method method = TaskReferences.resolve(task);
		return publish(TaskNames.of(method), args, Map.of(), method.getGenericReturnType());
	}

	@Override
	public <R> AsyncResult<R> send(Signature<R> signature) {
		return sent(this.canvas.apply(signature, List.of(), Map.of()), signature);
	}

	@Override
	public <R> AsyncResult<R> send(Chain<R> chain) {
		return sent(this.canvas.apply(chain, List.of(), Map.of()), chain);
	}

	@Override
	public GroupResult send(Group group) {
		CanvasSender.Sent sent = this.canvas.apply(group, List.of(), Map.of());
		addToParent(sent);
		return this.results.group(sent.id(), ResultTuples.taskIds(sent.tuple()));
	}

	@Override
	public <R> AsyncResult<R> send(Chord<R> chord) {
		return sent(this.canvas.apply(chord, List.of(), Map.of()), chord);
	}

	@Override
	public List<@Nullable Object> apply(Canvas<?> canvas, List<?> args, Map<String, ?> options) {
		return this.canvas.apply(canvas, args, options).tuple();
	}

	@Override
	public @Nullable GroupResult restoreGroup(String groupId) {
		List<String> taskIds = this.results.backend().restoreGroup(groupId);
		return (taskIds != null) ? this.results.group(groupId, taskIds) : null;
	}

	/**
	 * The handle on what a canvas sent: its last task's, whose parents are the steps before it.
	 */
	private <R> AsyncResult<R> sent(CanvasSender.Sent sent, Canvas<R> canvas) {
		addToParent(sent);
		AsyncResult<Object> parent = null;
		List<String> path = sent.path();
		for (int i = 0; i < path.size() - 1; i++) {
			parent = this.results.create(path.get(i), Object.class, parent);
		}
		return this.results.create(sent.id(), canvas.resultType(), parent);
	}

	private void addToParent(CanvasSender.Sent sent) {
		TaskContext parent = TaskContextHolder.get();
		if (parent != null) {
			parent.addChild(sent.tuple());
		}
	}

	/**
	 * The options this client sends with, under those of a signature.
	 */
	SendOptions options() {
		return this.options;
	}

	/**
	 * Where an {@code rpc} backend sends this client's results (Celery's {@code oid}), given to every task a
	 * canvas freezes.
	 */
	String replyTo() {
		return this.replyTo;
	}

	/**
	 * The queue a task is routed to, as configured (for {@code celery.chord_unlock}, routed as the chord's body).
	 */
	String queueOf(String name) {
		return this.router.route(name, List.of(), Map.of(), this.options).queue();
	}

	@Override
	public CanvasClient withOptions(SendOptions options) {
		return new TaskTemplate(this.broker, this.converter, this.router, this.results, this.clock,
				this.options.mergedWith(options), this.replyTo, this.origin, this.publishRetry, this.listeners);
	}

	@Override
	public AsyncResult<Object> result(String taskId) {
		return this.results.create(taskId, Object.class);
	}

	private <R> AsyncResult<R> publish(String name, List<?> args, Map<String, ?> kwargs, Type resultType) {
		return publish(Publication.of(name, args, kwargs, this.options), resultType);
	}

	/**
	 * Publish one task message as a publication describes it, and tell the running task, if the sender is one,
	 * that it sent a child.
	 */
	<R> AsyncResult<R> publish(Publication publication, Type resultType) {
		Outgoing outgoing = outgoing(publication);
		try {
			this.publishRetry.send("task " + publication.name() + "[" + outgoing.id() + "]",
					() -> this.broker.publish(outgoing.destination(), outgoing.envelope()));
		}
		catch (RuntimeException ex) {
			afterPublish(outgoing.event(), ex);
			throw ex;
		}
		afterPublish(outgoing.event(), null);
		TaskContext parent = TaskContextHolder.get();
		if (parent != null && publication.addToParent()) {
			parent.addChild(ResultTuples.task(outgoing.id()));
		}
		return this.results.create(outgoing.id(), resultType);
	}

	private Outgoing outgoing(Publication publication) {
		SendOptions options = publication.options();
		String name = publication.name();
		List<?> args = publication.args();
		Map<String, ?> kwargs = publication.kwargs();
		String id = (publication.id() != null) ? publication.id() : TaskIds.next();
		Route route = this.router.route(name, args, kwargs, options);
		long sent = this.clock.millis();
		Map<String, Object> headers = headers(sent, options);
		// no listener (the usual case): no event, no copy of the headers
		TaskEvent event = null;
		if (!this.listeners.isEmpty()) {
			event = new TaskEvent(id, name, route.queue(), 0, headers, null, Instant.ofEpochMilli(sent));
			this.listeners.beforePublish(event, headers);
		}
		try {
			// as Celery's send_task: a task sent while another runs is its child, in the same workflow
			TaskContext parent = TaskContextHolder.get();
			String parentId = publication.parentId();
			String rootId = publication.rootId();
			if (parent != null) {
				parentId = (parentId != null) ? parentId : parent.taskId();
				rootId = (rootId != null) ? rootId : parent.rootId();
			}
			TaskMessage message = new TaskMessage(id, name, LANG, publication.shadow(), options.resolveEta(this.clock),
					expires(route, options), publication.groupId(), publication.groupIndex(), 0,
					publication.timeLimit(), (rootId != null) ? rootId : id, parentId, PythonRepr.ofArgs(args),
					PythonRepr.ofKwargs(kwargs), this.origin, publication.ignoreResult(), headers,
					new ArrayList<>(args), new LinkedHashMap<>(kwargs), publication.embed());
			int priority = (route.priority() != null) ? route.priority() : 0;
			Envelope envelope = this.converter.toEnvelope(message, route.serializer(), route.compression(),
					(publication.replyTo() != null) ? publication.replyTo() : this.replyTo, priority);
			if (event != null) {
				// from now on the listeners' event shows every header of the message (argsrepr, eta, root_id...),
				// as a worker's does: the map is the message's no longer, the envelope has its own copy
				headers.putAll(envelope.headers());
			}
			return new Outgoing(id, new Destination(route.queue(), route.exchange(), route.routingKey()), envelope,
					event);
		}
		catch (RuntimeException ex) {
			// the arguments did not serialize: the listeners that saw it go out hear that it did not
			afterPublish(event, ex);
			throw ex;
		}
	}

	/**
	 * The message's extra headers: {@code taskqueue_sent}, then the caller's. Mutable when listeners may add to
	 * them; otherwise, for a send with no headers of its own, one small map.
	 */
	private Map<String, Object> headers(long sent, SendOptions options) {
		Map<String, ?> own = options.headers();
		if (own.isEmpty() && this.listeners.isEmpty()) {
			return Map.of(ProtocolHeaders.SENT, sent);
		}
		Map<String, Object> headers = new LinkedHashMap<>(own.size() + 4);
		headers.put(ProtocolHeaders.SENT, sent);
		headers.putAll(own);
		// ours, whatever the caller put there: the worker reads it as a time
		headers.put(ProtocolHeaders.SENT, sent);
		return headers;
	}

	private void afterPublish(@Nullable TaskEvent event, @Nullable Throwable error) {
		if (event != null) {
			this.listeners.afterPublish(event, error);
		}
	}

	private static @Nullable Throwable unwrap(@Nullable Throwable error) {
		return (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
	}

	private @Nullable Instant expires(Route route, SendOptions options) {
		Instant expires = options.resolveExpires(this.clock);
		if (expires == null && route.expires() != null) {
			expires = this.clock.instant().plus(route.expires());
		}
		return expires;
	}

	private static String replyTo(AsyncResultFactory results) {
		// Celery's oid: one per client; an rpc backend names it, since results come back there
		String replyTo = results.replyTo();
		return (replyTo != null) ? replyTo : TaskIds.next();
	}

	/**
	 * A task message ready to publish, with the event its listeners were told of ({@code null} without
	 * listeners).
	 */
	private record Outgoing(String id, Destination destination, Envelope envelope, @Nullable TaskEvent event) {
	}

	private static String hostname() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

	/**
	 * Builds a {@link TaskTemplate}: what it cannot do without is given up front, the rest has defaults.
	 */
	public static final class Builder {

		private final Broker broker;

		private final TaskMessageConverter converter;

		private final TaskRouter router;

		private final ResultBackend backend;

		private @Nullable JsonMapper jsonMapper;

		private @Nullable Clock clock;

		private PublishRetry publishRetry = PublishRetry.DEFAULTS;

		private TaskListeners listeners = TaskListeners.NONE;

		private Builder(Broker broker, TaskMessageConverter converter, TaskRouter router, ResultBackend backend) {
			this.broker = broker;
			this.converter = converter;
			this.router = router;
			this.backend = backend;
		}

		/**
		 * The application's Jackson mapper, that converts results to the declared return types; by default a
		 * mapper with Jackson's defaults.
		 * @param jsonMapper the mapper
		 * @return this builder
		 */
		public Builder jsonMapper(JsonMapper jsonMapper) {
			this.jsonMapper = jsonMapper;
			return this;
		}

		/**
		 * The clock countdowns and expiries are computed with; by default the system's, in UTC.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = clock;
			return this;
		}

		/**
		 * How a send the broker did not take is retried before it fails with a
		 * {@link dev.taskqueue.broker.BrokerException} ({@code taskqueue.publish-retry.*}); by default Celery's
		 * policy, {@link PublishRetry#DEFAULTS}.
		 * @param publishRetry the policy
		 * @return this builder
		 */
		public Builder publishRetry(PublishRetry publishRetry) {
			this.publishRetry = publishRetry;
			return this;
		}

		/**
		 * The listeners told before and after each publish (Celery's {@code before_task_publish} and
		 * {@code after_task_publish}), in this order; by default none.
		 * @param listeners the listeners
		 * @return this builder
		 */
		public Builder listeners(List<? extends TaskListener> listeners) {
			this.listeners = TaskListeners.of(listeners);
			return this;
		}

		/**
		 * Build the client.
		 * @return a new client
		 */
		public TaskTemplate build() {
			return new TaskTemplate(this);
		}

	}

}
