package dev.taskqueue.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.redis.OwnRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The issue's demonstration of remote control: the sample on Redis of its own, as a user runs it, and a Celery
 * 5.2 client's {@code app.control.inspect().registered()} lists the sample's {@code @Task} names under the Java
 * worker's node name, which follows Celery's {@code name@host} form.
 */
class SampleRemoteControlIT {

	private static final Path PYTHON = Path.of("src/test/python").toAbsolutePath();

	private OwnRedisServer redis;

	private ConfigurableApplicationContext sample;

	@BeforeEach
	void start() {
		this.redis = OwnRedisServer.start();
		// the worker's name left to its default: "taskqueue@" and the host's name
		this.sample = new SpringApplicationBuilder(SampleApplication.class).run("--server.port=0",
				"--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + this.redis.port(),
				"--taskqueue.broker=redis", "--taskqueue.result-backend=redis",
				"--taskqueue.worker.shutdown-timeout=2s");
	}

	@AfterEach
	void stop() {
		try {
			this.sample.close();
		}
		finally {
			this.redis.close();
		}
	}

	@Test
	void aCeleryClientListsTheSamplesTasksUnderTheJavaWorkersNameAtHost() throws Exception {
		JsonNode registered = registered();

		String node = "taskqueue@" + InetAddress.getLocalHost().getHostName();
		assertThat(registered.propertyNames()).containsExactly(node);
		assertThat(node).matches("[^@]+@[^@]+");
		assertThat(registered.path(node).valueStream().map(JsonNode::asString)).containsExactly("sample.add",
				"sample.echo", "sample.fail", "sample.greet", "sample.sleep");
	}

	private JsonNode registered() throws IOException, InterruptedException {
		Path out = Files.createTempFile("inspect-registered", ".out");
		Path err = Files.createTempFile("inspect-registered", ".err");
		try {
			ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", "inspect_registered.py")
				.directory(PYTHON.toFile())
				.redirectOutput(out.toFile())
				.redirectError(err.toFile());
			builder.environment().put("TQ_BROKER", "redis://127.0.0.1:" + this.redis.port() + "/0");
			Process process = builder.start();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				fail("inspect_registered.py did not end within 30 s: %s", Files.readString(err));
			}
			assertThat(process.exitValue()).as("inspect_registered.py exit code; stderr: %s", Files.readString(err))
				.isZero();
			return JsonMapper.builder().build().readTree(Files.readString(out, StandardCharsets.UTF_8).trim());
		}
		finally {
			Files.deleteIfExists(out);
			Files.deleteIfExists(err);
		}
	}

}
