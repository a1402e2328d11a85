package dev.taskqueue.sqs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;

import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * An ElasticMQ server of a test's own, in the test's JVM, on a free port of 127.0.0.1: an SQS-compatible server
 * for the transport's tests, no Docker. The queue URLs it hands out name the same address, so that Celery's
 * kombu (which sends to the queue URL) reaches it too. ElasticMQ takes any credentials and region.
 */
public final class ElasticMqServer implements AutoCloseable {

	/** The region the clients of the tests sign for; ElasticMQ does not check it. */
	public static final Region REGION = Region.of("elasticmq");

	private final int port;

	private final SQSRestServer server;

	private ElasticMqServer(int port, SQSRestServer server) {
		this.port = port;
		this.server = server;
	}

	/**
	 * Start a server on a free port and wait until it serves.
	 * @return the running server; close it when done
	 */
	public static ElasticMqServer start() {
		int port = freePort();
		SQSRestServer server = SQSRestServerBuilder.withPort(port)
			.withInterface("127.0.0.1")
			.withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
			.start();
		server.waitUntilStarted();
		return new ElasticMqServer(port, server);
	}

	/**
	 * The server's port.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * The endpoint to point a client at.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.port);
	}

	/**
	 * A client of this server with static test credentials.
	 * @return the client; close it when done
	 */
	public SqsClient client() {
		return SqsClient.builder()
			.endpointOverride(endpoint())
			.region(REGION)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
			.httpClient(UrlConnectionHttpClient.create())
			.build();
	}

	@Override
	public void close() {
		this.server.stopAndWait();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress("127.0.0.1", 0));
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
