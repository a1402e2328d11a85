package dev.taskqueue.sample;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's actuator as an operator reaches it over HTTP, as configured in {@code application.yml}: health with
 * {@code taskQueue} and the probes, the {@code taskqueue} endpoint read-only, metrics, and no Prometheus unless
 * asked for.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@SuppressWarnings("unchecked")
class SampleActuatorTests extends ActuatorHttpSupport {

	@Test
	void healthShowsTaskQueueUpWithItsBrokerResultBackendAndWorkers() throws Exception {
		HttpResponse<String> response = get("/actuator/health");
		assertThat(response.statusCode()).isEqualTo(200);
		Map<String, Object> taskQueue = (Map<String, Object>) ((Map<String, Object>) read(response).get("components"))
			.get("taskQueue");
		assertThat(taskQueue).containsEntry("status", "UP");
		Map<String, Object> components = (Map<String, Object>) taskQueue.get("components");
		assertThat(components).containsOnlyKeys("broker", "resultBackend", "workers");
		assertThat((Map<String, Object>) ((Map<String, Object>) components.get("broker")).get("details"))
			.containsEntry("type", "InMemoryBroker")
			.containsEntry("consumers", Map.of("celery", true));
		assertThat((Map<String, Object>) ((Map<String, Object>) components.get("workers")).get("details"))
			.hasSize(1)
			.allSatisfy((name, worker) -> assertThat((Map<String, Object>) worker).containsEntry("running", true)
				.containsEntry("concurrency", 4)
				.containsEntry("consuming", Map.of("celery", true)));
	}

	@Test
	void theProbesAreUp() throws Exception {
		assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
	}

	@Test
	void theTaskqueueEndpointShowsTheWorkersTasksQueuesAndRevocations() throws Exception {
		HttpResponse<String> response = get("/actuator/taskqueue");
		assertThat(response.statusCode()).isEqualTo(200);
		Map<String, Object> report = read(response);
		assertThat(report).containsKeys("workers", "tasks", "queues", "revoked");
		assertThat((List<Map<String, Object>>) report.get("workers")).singleElement()
			.satisfies((worker) -> assertThat(worker).containsEntry("queues", List.of("celery"))
				.containsEntry("concurrency", 4)
				.containsEntry("active", List.of()));
		assertThat((Map<String, Object>) report.get("tasks")).containsKeys("sample.add", "sample.echo", "sample.fail",
				"sample.sleep", "sample.greet");
		assertThat((Map<String, Object>) ((Map<String, Object>) report.get("queues")).get("celery"))
			.containsEntry("depth", 0)
			.containsEntry("deadLetters", 0)
			.containsEntry("consumed", true);
		Map<String, Object> add = read(get("/actuator/taskqueue/tasks/sample.add"));
		assertThat(add).containsEntry("acksLate", true).containsKey("retry");
		assertThat(get("/actuator/taskqueue/tasks/no.such.task").statusCode()).isEqualTo(404);
		assertThat(read(get("/actuator/taskqueue/deadletters/celery"))).containsEntry("count", 0);
	}

	@Test
	void theTaskqueueEndpointRefusesWritesByDefault() throws Exception {
		// read-only access maps no write operation: 404, or 405 where a read shares the path
		assertThat(send("POST", "/actuator/taskqueue/queues/celery/pause", null).statusCode()).isEqualTo(404);
		assertThat(send("POST", "/actuator/taskqueue/revoked/some-task", "{}").statusCode()).isEqualTo(405);
		assertThat(send("DELETE", "/actuator/taskqueue/deadletters/celery", null).statusCode()).isEqualTo(405);
		// nothing was paused
		assertThat((Map<String, Object>) ((Map<String, Object>) read(get("/actuator/taskqueue")).get("queues"))
			.get("celery")).containsEntry("consumed", true);
	}

	@Test
	void metricsAreExposedAndPrometheusIsNotUnlessAskedFor() throws Exception {
		assertThat(get("/actuator/metrics").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/prometheus").statusCode()).isEqualTo(404);
	}

}
