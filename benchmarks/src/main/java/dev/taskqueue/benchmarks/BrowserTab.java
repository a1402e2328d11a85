package dev.taskqueue.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * One browser tab open on the dashboard ({@code --dashboard=tab}), as {@code dashboard.js} drives it: the tasks page
 * and its assets loaded once, then an {@code EventSource} on {@code {path}/stream} read continuously (reopened when
 * the server closes it, as a browser does), and every 5 s a GET of the throughput chart ({@code {path}/throughput.svg},
 * what the script polls on the queues page) and, beyond what the script does, of the tasks page itself (500 rows
 * rendered from the cluster state), as if the user pressed reload every 5 s. Its two threads are the browser's: they
 * run in the benchmark's JVM, so that their CPU counts against the workers as a browser on the same machine would.
 */
final class BrowserTab implements AutoCloseable {

	private static final Duration POLL = Duration.ofSeconds(5);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	private final Thread stream;

	private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "bench-tab-poll");
		thread.setDaemon(true);
		return thread;
	});

	private final AtomicLong events = new AtomicLong();

	private final AtomicLong streamBytes = new AtomicLong();

	private final AtomicLong pages = new AtomicLong();

	private final AtomicLong pageBytes = new AtomicLong();

	private final AtomicLong failures = new AtomicLong();

	private volatile boolean open = true;

	private volatile @Nullable InputStream body;

	/**
	 * Open the tab.
	 * @param port the application's HTTP port
	 * @param path the dashboard's path ({@code /taskqueue})
	 */
	BrowserTab(int port, String path) {
		this.base = "http://127.0.0.1:" + port + path;
		get("/tasks");
		get("/assets/dashboard.js");
		get("/assets/dashboard.css");
		this.stream = new Thread(this::readStream, "bench-tab-stream");
		this.stream.setDaemon(true);
		this.stream.start();
		this.poller.scheduleWithFixedDelay(() -> {
			get("/tasks");
			get("/throughput.svg");
		}, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void get(String path) {
		try {
			HttpResponse<byte[]> response = this.http.send(
					HttpRequest.newBuilder(URI.create(this.base + path)).timeout(Duration.ofSeconds(30)).GET().build(),
					HttpResponse.BodyHandlers.ofByteArray());
			if (response.statusCode() != 200) {
				throw new IOException("GET " + path + ": " + response.statusCode());
			}
			this.pages.incrementAndGet();
			this.pageBytes.addAndGet(response.body().length);
		}
		catch (IOException ex) {
			this.failures.incrementAndGet();
			System.err.println("tab " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void readStream() {
		while (this.open) {
			try {
				HttpResponse<InputStream> response = this.http.send(HttpRequest.newBuilder(URI.create(this.base + "/stream"))
					.header("Accept", "text/event-stream")
					.GET()
					.build(), HttpResponse.BodyHandlers.ofInputStream());
				if (response.statusCode() != 200) {
					response.body().close();
					throw new IOException("GET /stream: " + response.statusCode());
				}
				this.body = response.body();
				try (BufferedReader reader = new BufferedReader(
						new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
					String line;
					while ((line = reader.readLine()) != null) {
						this.streamBytes.addAndGet(line.length() + 1);
						if (line.startsWith("data:")) {
							this.events.incrementAndGet();
						}
					}
				}
			}
			catch (IOException ex) {
				if (this.open) {
					this.failures.incrementAndGet();
					System.err.println("tab " + ex);
					pause();
				}
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private static void pause() {
		try {
			// EventSource's default retry
			Thread.sleep(3000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * What the tab received, for the run's report.
	 * @return one line
	 */
	String summary() {
		return String.format(java.util.Locale.ROOT, "sse_events=%d sse_kb=%d page_gets=%d page_kb=%d failures=%d",
				this.events.get(), this.streamBytes.get() / 1024, this.pages.get(), this.pageBytes.get() / 1024,
				this.failures.get());
	}

	@Override
	public void close() {
		this.open = false;
		this.poller.shutdownNow();
		InputStream body = this.body;
		if (body != null) {
			try {
				body.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
		this.stream.interrupt();
	}

}
