package dev.taskqueue.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.events.state.ClusterState;
import dev.taskqueue.worker.ArgumentBindingHotPath;

/**
 * Runs the scenarios and prints one line each, for example
 * {@code bench impl=taskqueue broker=redis scenario=throughput results=true tasks=100000 concurrency=16 tasks_per_s=23456 p50_ms= p90_ms= p99_ms= rss_mb=312}.
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar --broker=memory|redis|rabbitmq|sqs --tasks=N [--results=true|false]
 *      [--concurrency=C] [--scenario=throughput|latency|enqueue|enqueue-sync|chord|group|raw|jmh] [--warmup=W]
 *      [--observability=true|false] [--events=true|false|worker|dashboard] [--dashboard=off|on|tab]
 *      [--web=servlet|reactive] [--redis-port=P]
 * </pre>
 * With {@code --observability=true} the application has what the Actuator brings (a meter registry and an
 * observation registry whose observations become timers, no tracer), the task meters and observations, and one
 * listener that does nothing; by default (false) none of them. With {@code --events=true} the worker sends Celery's
 * task and worker events ({@code taskqueue.events.enabled=true}); with {@code worker} what it sends by default (its
 * worker events only, the task events' listener in place but off); with {@code dashboard} the task events and the
 * dashboard's {@code ClusterState} fed from them in the same application, without the web pages; by default
 * (false) the events' auto-configuration is left out. With {@code --dashboard=on} the application is a servlet web
 * application (Spring MVC on Tomcat; with {@code --web=reactive} WebFlux on Reactor Netty) on a free port serving
 * the whole dashboard ({@code taskqueue.dashboard.enabled=true}: its cluster
 * state fed by the events, its pages, its streams); with {@code tab} one {@link BrowserTab} is open on it too, from
 * the application's start to the end of the scenario; by default ({@code off}) the application is not a web
 * application. With the dashboard the events must be on (not {@code --events=false}). After the scenario
 * a line {@code dashboard ...} on stderr gives the heap used after a GC, and with the dashboard how many tasks its
 * cluster state holds (bounded by {@code taskqueue.dashboard.max-tasks}) and what the tab received.
 * Before enqueue and throughput, {@code W} tasks (by default {@code min(N, 20000)}) are sent and run
 * unmeasured, so that the JIT has compiled the paths measured.
 * Redis runs in database 1 (flushed first); RabbitMQ on the default virtual host, queue {@code bench} (purged
 * first); with RabbitMQ, results are stored in Redis.
 */
public final class Benchmarks {

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		String broker = options.getOrDefault("broker", "memory");
		int tasks = Integer.parseInt(options.getOrDefault("tasks", "10000"));
		boolean results = Boolean.parseBoolean(options.getOrDefault("results", "true"));
		int concurrency = Integer.parseInt(options.getOrDefault("concurrency",
				String.valueOf(Runtime.getRuntime().availableProcessors() * 4)));
		// tasks sent and run, unmeasured, before enqueue and throughput (latency has its own warm-up)
		int warmUp = Integer.parseInt(options.getOrDefault("warmup", String.valueOf(Math.min(tasks, 20_000))));
		boolean observability = Boolean.parseBoolean(options.getOrDefault("observability", "false"));
		String events = options.getOrDefault("events", "false");
		String dashboard = options.getOrDefault("dashboard", "off");
		String web = options.getOrDefault("web", "servlet");
		// a Redis of the run's own (database 1 there too), for a run beside other users of the shared one
		if (options.containsKey("sqs-endpoint")) {
			System.setProperty("bench.sqs-endpoint", options.get("sqs-endpoint"));
		}
		System.setProperty("spring.data.redis.port",
				options.getOrDefault("redis-port", System.getProperty("spring.data.redis.port", "6379")));
		List<String> scenarios = Arrays.asList(options.getOrDefault("scenario", "enqueue,throughput,latency").split(","));
		if (scenarios.contains("jmh")) {
			// in this JVM (forks 0): the repackaged jar's classes are not on a forked JVM's class path
			new org.openjdk.jmh.runner.Runner(new org.openjdk.jmh.runner.options.OptionsBuilder()
				.include(HotPaths.class.getName())
				.include(ArgumentBindingHotPath.class.getName())
				.forks(0)
				.warmupIterations(2)
				.measurementIterations(3)
				.build()).run();
			return;
		}
		for (String scenario : scenarios) {
			try (ConfigurableApplicationContext context = start(broker, results || scenario.equals("latency"),
					concurrency, observability, events, dashboard, web);
					BrowserTab tab = dashboard.equals("tab") ? new BrowserTab(
							context.getEnvironment().getRequiredProperty("local.server.port", Integer.class),
							context.getEnvironment().getProperty("taskqueue.dashboard.path", "/taskqueue")) : null) {
				Scenarios run = new Scenarios(context, broker, warmUp, results || scenario.equals("latency"));
				Result result = switch (scenario) {
					case "enqueue" -> run.enqueue(tasks);
					case "enqueue-sync" -> run.enqueueSync(tasks);
					case "throughput" -> run.throughput(tasks, results);
					case "latency" -> run.latency(tasks);
					case "raw" -> run.raw(tasks);
					case "chord" -> run.chord(tasks);
					case "group" -> run.group(tasks);
					default -> throw new IllegalArgumentException("unknown scenario " + scenario);
				};
				// raw: what one Java client moves through the broker (the broker's own limit: benchmarks/redis/raw.sh,
				// benchmarks/rabbitmq/perftest.sh)
				System.out.println(line(scenario.equals("raw") ? "raw-client"
						: impl(observability, events, dashboard, web), broker, scenario,
						results || scenario.equals("latency"), tasks, concurrency, result));
				System.err.println(memory(context, tab));
			}
		}
	}

	private static String impl(boolean observability, String events, String dashboard, String web) {
		String impl = observability ? "taskqueue+observability" : "taskqueue";
		impl = switch (events) {
			case "true" -> impl + "+events";
			case "worker" -> impl + "+worker-events";
			case "dashboard" -> impl + "+events+dashboard";
			default -> impl;
		};
		return switch (dashboard) {
			case "on" -> impl + (web.equals("reactive") ? "+dashboard-webflux" : "+dashboard-web");
			case "tab" -> impl + (web.equals("reactive") ? "+dashboard-webflux+tab" : "+dashboard-web+tab");
			default -> impl;
		};
	}

	/**
	 * The heap used after a full GC and, with the dashboard, what its cluster state holds and what the tab got:
	 * bounded memory whatever the number of tasks run.
	 */
	private static String memory(ConfigurableApplicationContext context, @Nullable BrowserTab tab) {
		ClusterState state = context.getBeanProvider(ClusterState.class).getIfAvailable();
		System.gc();
		MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
		return String.format(Locale.ROOT, "dashboard state_tasks=%s heap_used_after_gc_mb=%d heap_committed_mb=%d %s",
				(state != null) ? state.taskCount() : "", heap.getUsed() / (1024 * 1024),
				heap.getCommitted() / (1024 * 1024), (tab != null) ? tab.summary() : "").trim();
	}

	static ConfigurableApplicationContext start(String broker, boolean results, int concurrency,
			boolean observability, String events, String dashboard, String stack) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("bench.observability", observability);
		List<String> excluded = new ArrayList<>();
		if (!observability) {
			excluded.addAll(List.of("dev.taskqueue.autoconfigure.TaskQueueMetricsAutoConfiguration",
					"dev.taskqueue.autoconfigure.TaskQueueObservationAutoConfiguration",
					"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
					"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"));
		}
		switch (events) {
			case "true" -> properties.put("taskqueue.events.enabled", true);
			case "dashboard" -> {
				properties.put("taskqueue.events.enabled", true);
				properties.put("bench.dashboard", true);
			}
			case "worker" -> properties.put("taskqueue.events.enabled", false);
			case "false" -> excluded.add("dev.taskqueue.autoconfigure.TaskQueueEventsAutoConfiguration");
			default -> throw new IllegalArgumentException("--events=true|false|worker|dashboard, not " + events);
		}
		WebApplicationType web = switch (dashboard) {
			case "off" -> WebApplicationType.NONE;
			case "on", "tab" -> {
				if (events.equals("false")) {
					throw new IllegalArgumentException("the dashboard is fed by the events: --events=true, worker or dashboard");
				}
				properties.put("taskqueue.dashboard.enabled", true);
				properties.put("server.port", 0);
				properties.put("server.address", "127.0.0.1");
				yield switch (stack) {
					case "servlet" -> WebApplicationType.SERVLET;
					case "reactive" -> WebApplicationType.REACTIVE;
					default -> throw new IllegalArgumentException("--web=servlet|reactive, not " + stack);
				};
			}
			default -> throw new IllegalArgumentException("--dashboard=off|on|tab, not " + dashboard);
		};
		if (!excluded.isEmpty()) {
			properties.put("spring.autoconfigure.exclude", String.join(",", excluded));
		}
		properties.put("logging.level.root", "WARN");
		properties.put("taskqueue.broker", broker);
		properties.put("taskqueue.result-backend", !results ? "none" : broker.equals("memory") ? "memory" : "redis");
		properties.put("taskqueue.default-queue", "bench");
		properties.put("taskqueue.worker.concurrency", concurrency);
		properties.put("taskqueue.worker.prefetch", Math.max(4 * concurrency, 64));
		properties.put("taskqueue.worker.shutdown-timeout", "5s");
		properties.put("spring.data.redis.database", 1);
		properties.put("management.health.redis.enabled", false);
		if (broker.equals("sqs")) {
			// an SQS-compatible server: ElasticMQ from benchmarks/sqs/elasticmq.sh unless --sqs-endpoint says otherwise
			properties.put("taskqueue.sqs.endpoint", System.getProperty("bench.sqs-endpoint", "http://127.0.0.1:9324"));
			properties.put("taskqueue.sqs.region", "elasticmq");
			properties.put("taskqueue.sqs.wait-time", "1s");
			// ElasticMQ takes any credentials; the SDK's default chain reads these system properties
			System.setProperty("aws.accessKeyId", System.getProperty("aws.accessKeyId", "x"));
			System.setProperty("aws.secretAccessKey", System.getProperty("aws.secretAccessKey", "x"));
		}
		return new SpringApplicationBuilder(BenchApplication.class).web(web)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(properties)
			.run();
	}

	static String line(String impl, String broker, String scenario, boolean results, int tasks, int concurrency,
			Result result) {
		return String.format(Locale.ROOT,
				"bench impl=%s broker=%s scenario=%s results=%s tasks=%d concurrency=%d tasks_per_s=%s p50_ms=%s "
						+ "p90_ms=%s p99_ms=%s rss_mb=%d",
				impl, broker, scenario, results, tasks, concurrency, format(result.tasksPerSecond(), "%.0f"),
				format(result.p50(), "%.3f"), format(result.p90(), "%.3f"), format(result.p99(), "%.3f"), rssMegabytes());
	}

	private static String format(Double value, String pattern) {
		return (value != null) ? String.format(Locale.ROOT, pattern, value) : "";
	}

	static long rssMegabytes() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// not on Linux: report 0
		}
		return 0;
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (String arg : args) {
			if (!arg.startsWith("--") || !arg.contains("=")) {
				throw new IllegalArgumentException("arguments are --name=value, got " + arg);
			}
			options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
		}
		return options;
	}

	/**
	 * What a scenario measured; fields that do not apply are {@code null}.
	 *
	 * @param tasksPerSecond the rate
	 * @param p50 median latency in ms
	 * @param p90 90th percentile in ms
	 * @param p99 99th percentile in ms
	 */
	record Result(Double tasksPerSecond, Double p50, Double p90, Double p99) {

		static Result rate(long count, Duration elapsed) {
			return new Result(count / (elapsed.toNanos() / 1e9), null, null, null);
		}

		static Result latencies(List<Long> nanos) {
			List<Long> sorted = new ArrayList<>(nanos);
			sorted.sort(null);
			return new Result(null, percentile(sorted, 0.50), percentile(sorted, 0.90), percentile(sorted, 0.99));
		}

		private static double percentile(List<Long> sorted, double p) {
			int index = (int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1);
			return sorted.get(Math.max(0, index)) / 1e6;
		}

	}

}
