package dev.taskqueue.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;

/**
 * The sample's actuator over HTTP, as an operator reaches it, for the tests of an application started on a random
 * port: requests to its local port, and their JSON answers read as maps.
 */
abstract class ActuatorHttpSupport {

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@Value("${local.server.port}")
	private int port;

	protected HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	protected HttpResponse<String> send(String method, String path, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json");
		request.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
				: HttpRequest.BodyPublishers.noBody());
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@SuppressWarnings("unchecked")
	protected Map<String, Object> read(HttpResponse<String> response) {
		return this.json.readValue(response.body(), Map.class);
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
