package dev.taskqueue.autoconfigure;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;

import dev.taskqueue.worker.WorkerSettings;

/**
 * What a worker tells Celery's remote control of its configuration, under Celery's and kombu's names: the
 * settings of {@code conf} and {@code report}, the broker connection of {@code stats}. Never a password.
 */
final class ControlSettings {

	private ControlSettings() {
	}

	/**
	 * The settings as Celery names them ({@code app.conf}).
	 */
	static Map<String, Object> conf(TaskQueueProperties properties, Environment environment,
			List<WorkerSettings> workers) {
		Map<String, Object> conf = new LinkedHashMap<>();
		conf.put("broker_url", brokerUrl(properties, environment));
		String backend = resultBackend(properties, environment);
		if (backend != null) {
			conf.put("result_backend", backend);
		}
		conf.put("result_expires", properties.getResultExpires().toSeconds());
		conf.put("task_default_queue", properties.getDefaultQueue());
		conf.put("task_serializer", properties.getSerializer());
		conf.put("accept_content", List.copyOf(properties.getAcceptContent()));
		if (properties.getCompression() != null) {
			conf.put("task_compression", properties.getCompression());
		}
		conf.put("task_acks_late", properties.getWorker().isAcksLate());
		if (!workers.isEmpty()) {
			WorkerSettings first = workers.get(0);
			conf.put("worker_concurrency", first.concurrency());
			conf.put("worker_prefetch_multiplier", Math.max(1, first.prefetch() / first.concurrency()));
		}
		return conf;
	}

	/**
	 * The broker connection as kombu describes it ({@code Connection.info()}).
	 */
	static Map<String, @Nullable Object> broker(TaskQueueProperties properties, Environment environment) {
		Endpoint endpoint = endpoint(properties, environment);
		Map<String, @Nullable Object> info = new LinkedHashMap<>();
		info.put("hostname", endpoint.host());
		info.put("userid", endpoint.user());
		info.put("virtual_host", endpoint.virtualHost());
		info.put("port", endpoint.port());
		info.put("insist", false);
		info.put("ssl", endpoint.ssl());
		info.put("transport", endpoint.transport());
		// kombu's: not known to this application, written as kombu writes what is not set
		info.put("connect_timeout", null);
		info.put("transport_options", Map.of());
		info.put("login_method", null);
		info.put("uri_prefix", null);
		info.put("heartbeat", null);
		info.put("failover_strategy", "round-robin");
		info.put("alternates", List.of());
		return info;
	}

	private static String brokerUrl(TaskQueueProperties properties, Environment environment) {
		Endpoint endpoint = endpoint(properties, environment);
		return switch (properties.getBroker()) {
			case REDIS -> "redis://" + endpoint.host() + ":" + endpoint.port() + "/" + endpoint.virtualHost();
			case RABBITMQ -> "amqp://" + ((endpoint.user() != null) ? endpoint.user() + "@" : "") + endpoint.host()
					+ ":" + endpoint.port() + "/" + ("/".equals(endpoint.virtualHost()) ? "" : endpoint.virtualHost());
			case SQS -> "sqs://" + endpoint.host() + ":" + endpoint.port() + "//";
			case MEMORY -> "memory://";
		};
	}

	private static @Nullable String resultBackend(TaskQueueProperties properties, Environment environment) {
		return switch (properties.getResultBackend()) {
			case REDIS -> {
				Endpoint redis = redis(environment);
				yield "redis://" + redis.host() + ":" + redis.port() + "/" + redis.virtualHost();
			}
			case RPC -> "rpc://";
			case MEMORY -> "memory://";
			case NONE -> null;
		};
	}

	private static Endpoint endpoint(TaskQueueProperties properties, Environment environment) {
		return switch (properties.getBroker()) {
			case REDIS -> redis(environment);
			case RABBITMQ -> rabbit(environment);
			case SQS -> sqs(properties);
			case MEMORY -> new Endpoint("memory", "localhost", 0, null, "/", false);
		};
	}

	private static Endpoint redis(Environment environment) {
		String url = environment.getProperty("spring.data.redis.url");
		boolean ssl = environment.getProperty("spring.data.redis.ssl.enabled", Boolean.class, false);
		if (url != null && !url.isBlank()) {
			URI uri = URI.create(url);
			String path = (uri.getPath() != null) ? uri.getPath().replace("/", "") : "";
			return new Endpoint("redis", uri.getHost(), (uri.getPort() > 0) ? uri.getPort() : 6379, null,
					path.isEmpty() ? "0" : path, ssl || "rediss".equals(uri.getScheme()));
		}
		return new Endpoint("redis", environment.getProperty("spring.data.redis.host", "localhost"),
				environment.getProperty("spring.data.redis.port", Integer.class, 6379),
				environment.getProperty("spring.data.redis.username"),
				environment.getProperty("spring.data.redis.database", "0"), ssl);
	}

	private static Endpoint sqs(TaskQueueProperties properties) {
		java.net.URI endpoint = properties.getSqs().getEndpoint();
		if (endpoint != null) {
			return new Endpoint("sqs", endpoint.getHost(), endpoint.getPort(), null, "/",
					"https".equals(endpoint.getScheme()));
		}
		String region = properties.getSqs().getRegion();
		return new Endpoint("sqs", "sqs." + ((region != null) ? region : "us-east-1") + ".amazonaws.com", 443, null,
				"/", true);
	}

	private static Endpoint rabbit(Environment environment) {
		String host = environment.getProperty("spring.rabbitmq.host", "localhost");
		int port = environment.getProperty("spring.rabbitmq.port", Integer.class, 5672);
		String addresses = environment.getProperty("spring.rabbitmq.addresses");
		if (addresses != null && !addresses.isBlank()) {
			String first = addresses.split(",")[0].trim().replaceFirst("^amqps?://", "").replaceFirst("^.*@", "");
			String[] hostAndPort = first.split("/")[0].split(":");
			host = hostAndPort[0];
			port = (hostAndPort.length > 1) ? Integer.parseInt(hostAndPort[1]) : port;
		}
		return new Endpoint("amqp", host, port, environment.getProperty("spring.rabbitmq.username", "guest"),
				environment.getProperty("spring.rabbitmq.virtual-host", "/"),
				environment.getProperty("spring.rabbitmq.ssl.enabled", Boolean.class, false));
	}

	private record Endpoint(String transport, String host, int port, @Nullable String user, String virtualHost,
			boolean ssl) {
	}

}
