package dev.taskqueue.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.broker.DeadLetter;
import dev.taskqueue.broker.DeadLetterQueue;
import dev.taskqueue.broker.Subscription;
import dev.taskqueue.redis.OwnRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real browser, as the issue asks: Debian's headless Chromium driven by Selenium against the
 * sample on a Redis of its own, with a Python Celery 5.2 worker ({@code src/test/python/dashboard_celery.py}, with
 * {@code -E}) in the same fleet. One sample, one Celery worker and one browser for the class; each test owns its
 * task ids and queue names.
 * <p>
 * Screenshots of the tasks and workers pages go to {@code target/screenshots/} on every run, and to
 * {@code ../docs/dashboard-*.png} (the README's) only with {@code -Ddashboard.screenshots=docs}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SampleDashboardBrowserIT {

	private static final Path PYTHON = Path.of("src/test/python").toAbsolutePath();

	private static final Path DOCS = Path.of("../docs").toAbsolutePath().normalize();

	/** The Celery worker's queue: its own, so that it never takes the sample's messages (queue celery). */
	private static final String PYTHON_QUEUE = "dashboard-py";

	private static final Duration WAIT = DashboardBrowser.WAIT;

	private OwnRedisServer redis;

	private ConfigurableApplicationContext sample;

	private SampleApi api;

	private Process celery;

	private Path celeryLog;

	private DashboardBrowser browser;

	/** What the browser showed when a test failed: its screenshot and page source, in target/screenshots. */
	@RegisterExtension
	final TestWatcher failures = new TestWatcher() {

		@Override
		public void testFailed(ExtensionContext context, @Nullable Throwable cause) {
			if (SampleDashboardBrowserIT.this.browser != null) {
				SampleDashboardBrowserIT.this.browser.keepFailure("failed-" + context.getRequiredTestMethod().getName());
			}
		}

	};

	@BeforeAll
	void start() throws IOException {
		this.redis = OwnRedisServer.start();
		// the Celery worker and the browser start while the sample does
		this.celery = startCelery();
		CompletableFuture<DashboardBrowser> chromium = CompletableFuture.supplyAsync(DashboardBrowser::start);
		try {
			// the sample as its application.yml has it (dashboard on, with its actions), on this Redis
			this.sample = new SpringApplicationBuilder(SampleApplication.class).run("--server.port=0",
					"--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + this.redis.port(),
					"--taskqueue.broker=redis", "--taskqueue.result-backend=redis",
					"--taskqueue.worker.shutdown-timeout=2s");
		}
		finally {
			// stop() quits it whatever happened
			this.browser = chromium.join();
		}
		String base = "http://127.0.0.1:" + this.sample.getEnvironment().getRequiredProperty("local.server.port");
		this.api = new SampleApi(base);
		this.browser.dashboard(base + this.sample.getEnvironment().getProperty("taskqueue.dashboard.path", "/taskqueue"));
		awaitCeleryReady();
	}

	@AfterAll
	void stop() throws Exception {
		try {
			if (this.browser != null) {
				screenshots();
			}
		}
		finally {
			try {
				if (this.browser != null) {
					this.browser.close();
				}
			}
			finally {
				try {
					stopCelery();
				}
				finally {
					try {
						if (this.sample != null) {
							this.sample.close();
						}
					}
					finally {
						if (this.redis != null) {
							this.redis.close();
						}
					}
				}
			}
		}
	}

	@Test
	void bothWorkersAreListed() {
		openLive("");
		By java = By.cssSelector("table#workers tr[data-worker^='taskqueue@'] td.status");
		By python = By.cssSelector("table#workers tr[data-worker^='py@'] td.status");
		// live: the Celery worker may come online after the page was rendered; the page is never reloaded
		await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
			assertThat(text(java)).isEqualTo("online");
			assertThat(text(python)).isEqualTo("online");
		});
		assertThat(text(By.cssSelector("tr[data-worker^='py@'] td.software"))).containsIgnoringCase("celery");
		assertThat(text(By.cssSelector("tr[data-worker^='py@'] td.name a"))).startsWith("py@");
	}

	@Test
	void aTaskSentThroughTheSampleApiTurnsSuccessWithoutAReload() {
		openLive("/tasks");
		script("window.__marker = 1");
		String id = send("sample.add", "{\"args\": [20, 22]}");
		String row = "table#tasks tr[data-task-id='" + id + "']";
		await().atMost(WAIT).ignoreExceptions()
			.untilAsserted(() -> assertThat(text(By.cssSelector(row + " td.state"))).isEqualTo("SUCCESS"));
		assertThat(script("return window.__marker")).as("the page was not reloaded").isEqualTo(1L);
		assertThat(text(By.cssSelector(row + " td.name"))).isEqualTo("sample.add");
		assertThat(text(By.cssSelector(row + " td.worker"))).startsWith("taskqueue@");
		assertThat(this.browser.find(By.cssSelector(row + " td.id a")).getAttribute("href"))
			.endsWith("/tasks/" + id);
	}

	@Test
	void aTaskOfTheCeleryWorkerIsListedUnderIt() {
		openLive("/tasks");
		String id = send("py.add", "{\"args\": [2, 3], \"queue\": \"" + PYTHON_QUEUE + "\"}");
		String row = "table#tasks tr[data-task-id='" + id + "']";
		await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
			assertCeleryAlive();
			assertThat(text(By.cssSelector(row + " td.state"))).isEqualTo("SUCCESS");
		});
		assertThat(text(By.cssSelector(row + " td.worker"))).startsWith("py@");
	}

	@Test
	void aFailingTaskShowsItsTraceback() {
		String message = "no account numbered " + UUID.randomUUID();
		openLive("/tasks");
		String id = send("sample.fail", "{\"args\": [\"" + message + "\"]}");
		// as a user finds it: the row turns FAILURE in the list, and its link opens the detail
		openDetailOnceItReads(id, "FAILURE");
		assertThat(text(By.cssSelector("#task-state"))).isEqualTo("FAILURE");
		assertThat(text(By.cssSelector("pre#task-traceback"))).contains(message);
		assertThat(text(By.cssSelector("#task-id"))).isEqualTo(id);
		assertThat(text(By.cssSelector("#task-name"))).isEqualTo("sample.fail");
		assertThat(text(By.cssSelector("#task-exception"))).contains(message);
	}

	@Test
	void aDeadLetterIsRedrivenFromThePage() {
		String queue = "dashboard-dead-" + UUID.randomUUID();
		String id = send("sample.add", "{\"args\": [1, 2], \"queue\": \"" + queue + "\"}");
		String reason = "refused by the browser test: " + id;
		DeadLetter letter = deadLetter(queue, reason);
		open("/queues/" + queue);
		String row = "table#dead-letters tr[data-letter-id='" + letter.id() + "']";
		assertThat(text(By.cssSelector(row + " td.task"))).contains("sample.add");
		assertThat(text(By.cssSelector(row + " td.reason"))).contains(reason);

		this.browser.find(By.cssSelector(row + " form.redrive [type=submit]")).click();
		acceptConfirm();

		// back on the queue's page after the POST's redirect, which says what it did, without the letter
		await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
			assertThat(text(By.cssSelector("#flash"))).isNotBlank();
			assertThat(this.browser.findAll(By.cssSelector(row))).isEmpty();
		});
		assertThat(deadLetters().listDeadLetters(queue, 10)).isEmpty();
		assertThat(broker().queueDepth(queue)).as("back in its queue, which no worker consumes").isEqualTo(1);
	}

	@Test
	void aRevokeFromThePageStopsARunningSampleSleep() {
		long sent = System.nanoTime();
		openLive("/tasks");
		String id = send("sample.sleep", "{\"args\": [60]}");
		openDetailOnceItReads(id, "STARTED");
		String worker = text(By.cssSelector("#task-worker"));
		// REVOKED alone is stored at once, running or not: the worker's own active tasks (remote control, not
		// live: reopened) say the sleep runs, and after the revoke that it does not
		By running = By.cssSelector("table#active tr[data-task-id='" + id + "']");
		await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			open("/workers/" + worker);
			assertThat(this.browser.findAll(running)).hasSize(1);
		});
		open("/tasks/" + id);
		assertThat(text(By.cssSelector("#task-state"))).isEqualTo("STARTED");

		this.browser.revokeAndTerminate();

		// back on the detail after the POST's redirect
		await().atMost(WAIT).ignoreExceptions()
			.untilAsserted(() -> assertThat(text(By.cssSelector("#flash"))).contains(id));
		// live mostly; reopened when the worker's task-revoked came between the redirect's render and its live
		// stream, a change the stream never sends (it sends what changes once it is open)
		await().atMost(WAIT).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() -> {
			if (!"REVOKED".equals(text(By.cssSelector("#task-state")))) {
				open("/tasks/" + id);
			}
			assertThat(text(By.cssSelector("#task-state"))).isEqualTo("REVOKED");
		});
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.api.status(id).path("state").asString()).isEqualTo("REVOKED"));
		await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			open("/workers/" + worker);
			assertThat(this.browser.findAll(By.cssSelector("table#active"))).hasSize(1);
			assertThat(this.browser.findAll(running)).isEmpty();
		});
		assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(40));
	}

	private void openDetailOnceItReads(String id, String state) {
		this.browser.openDetailOnceItReads(id, state);
	}

	/**
	 * A dead letter on the sample's Redis, made as the worker makes one: a delivery of the queue rejected with a
	 * reason. No worker consumes the queue, so a redriven letter stays in it to be counted.
	 */
	private DeadLetter deadLetter(String queue, String reason) {
		Subscription subscription = broker().subscribe(List.of(queue), 1, (delivery) -> delivery.reject(reason));
		try {
			await().atMost(WAIT).until(() -> deadLetters().listDeadLetters(queue, 10).size() == 1);
		}
		finally {
			subscription.cancel();
		}
		return deadLetters().listDeadLetters(queue, 10).get(0);
	}

	private Broker broker() {
		return this.sample.getBean(Broker.class);
	}

	private DeadLetterQueue deadLetters() {
		return (DeadLetterQueue) broker();
	}

	private void open(String path) {
		this.browser.open(path);
	}

	private void openLive(String path) {
		this.browser.openLive(path);
	}

	private String text(By by) {
		return this.browser.text(by);
	}

	private Object script(String script) {
		return this.browser.script(script);
	}

	private void acceptConfirm() {
		this.browser.acceptConfirm();
	}

	private String send(String task, String body) {
		return this.api.send(task, body);
	}

	/**
	 * The workers page and the tasks page with what the tests left there: successes, a failure, a revoked task, a
	 * Celery worker's.
	 */
	private void screenshots() {
		open("");
		screenshot("workers");
		open("/tasks");
		try {
			await().atMost(Duration.ofSeconds(5))
				.until(() -> this.browser.findAll(By.cssSelector("table#tasks tr[data-task-id]")).size() >= 3);
		}
		catch (ConditionTimeoutException ex) {
			// the picture as it is: the tests themselves say what went wrong
		}
		screenshot("tasks");
	}

	private void screenshot(String name) {
		byte[] png = this.browser.screenshot(name);
		if ("docs".equals(System.getProperty("dashboard.screenshots"))) {
			try {
				Files.write(DOCS.resolve("dashboard-" + name + ".png"), png);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	private Process startCelery() throws IOException {
		this.celeryLog = Path.of("target/worker-processes/dashboard-celery.log").toAbsolutePath();
		Files.createDirectories(this.celeryLog.getParent());
		ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", "-m", "celery", "-A", "dashboard_celery",
				"worker", "-E", "-l", "info", "-n", "py@%h", "-c", "2", "-Q", PYTHON_QUEUE, "--without-mingle",
				"--without-gossip")
			.directory(PYTHON.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.celeryLog.toFile());
		builder.environment().put("TQ_BROKER", "redis://127.0.0.1:" + this.redis.port() + "/0");
		builder.environment().put("TQ_QUEUE", PYTHON_QUEUE);
		return builder.start();
	}

	private void awaitCeleryReady() {
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
			assertCeleryAlive();
			return Files.readString(this.celeryLog).contains(" ready.");
		});
	}

	private void assertCeleryAlive() throws IOException {
		if (!this.celery.isAlive()) {
			fail("the Celery worker exited (%d): %s", this.celery.exitValue(), Files.readString(this.celeryLog));
		}
	}

	/** A warm shutdown, as Celery's on SIGTERM; its pool's processes are ended too if it hangs. */
	private void stopCelery() throws InterruptedException {
		if (this.celery == null) {
			return;
		}
		List<ProcessHandle> pool = this.celery.descendants().toList();
		this.celery.destroy();
		if (!this.celery.waitFor(15, TimeUnit.SECONDS)) {
			this.celery.destroyForcibly();
		}
		pool.forEach(ProcessHandle::destroyForcibly);
	}

}
