package dev.taskqueue.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's task API over HTTP ({@code /api/tasks}), as a client of the running sample calls it.
 */
final class SampleApi {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final JsonMapper json = JsonMapper.builder().build();

	private final String base;

	/**
	 * @param base the sample's URL: {@code http://127.0.0.1:port}
	 */
	SampleApi(String base) {
		this.base = base;
	}

	/**
	 * Send a task: {@code POST /api/tasks/{task}}.
	 * @param task the task's name
	 * @param body its JSON: {@code {"args": [...], "queue": ...}}
	 * @return the task's id
	 */
	String send(String task, String body) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.base + "/api/tasks/" + task))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return this.json.readTree(call(request)).path("id").asString();
	}

	/**
	 * A task's state and result: {@code GET /api/tasks/{id}}.
	 */
	JsonNode status(String id) {
		return this.json.readTree(call(HttpRequest.newBuilder(URI.create(this.base + "/api/tasks/" + id)).build()));
	}

	private String call(HttpRequest request) {
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as("%s %s: %s", request.method(), request.uri(), response.body())
				.isEqualTo(200);
			return response.body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
