package dev.taskqueue.sample;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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

	private static final Path SCREENSHOTS = Path.of("target/screenshots").toAbsolutePath();

	private static final Path DOCS = Path.of("../docs").toAbsolutePath().normalize();

	/** The Celery worker's queue: its own, so that it never takes the sample's messages (queue celery). */
	private static final String PYTHON_QUEUE = "dashboard-py";

	private static final Duration WAIT = Duration.ofSeconds(20);

	/**
	 * Run in every page before its own scripts: counts the times an {@code EventSource} of the page opened, so that
	 * a test sends its task once the live view listens.
	 */
	private static final String STREAM_OPEN = """
			(function () {
				var Native = window.EventSource;
				if (!Native) {
					return;
				}
				window.EventSource = function (url, options) {
					var source = new Native(url, options);
					source.addEventListener('open', function () {
						window.__taskqueueStreams = (window.__taskqueueStreams || 0) + 1;
					});
					return source;
				};
				window.EventSource.prototype = Native.prototype;
			})();
			""";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final JsonMapper json = JsonMapper.builder().build();

	private OwnRedisServer redis;

	private ConfigurableApplicationContext sample;

	private String base;

	private String dashboard;

	private Process celery;

	private Path celeryLog;

	private WebDriver browser;

	/** What the browser showed when a test failed: its screenshot and page source, in target/screenshots. */
	@RegisterExtension
	final TestWatcher failures = new TestWatcher() {

		@Override
		public void testFailed(ExtensionContext context, @Nullable Throwable cause) {
			if (SampleDashboardBrowserIT.this.browser != null) {
				String name = "failed-" + context.getRequiredTestMethod().getName();
				write(name + ".png", ((TakesScreenshot) SampleDashboardBrowserIT.this.browser)
					.getScreenshotAs(OutputType.BYTES));
				write(name + ".html", SampleDashboardBrowserIT.this.browser.getPageSource()
					.getBytes(StandardCharsets.UTF_8));
			}
		}

	};

	@BeforeAll
	void start() throws IOException {
		this.redis = OwnRedisServer.start();
		// the Celery worker and the browser start while the sample does
		this.celery = startCelery();
		CompletableFuture<WebDriver> chromium = CompletableFuture.supplyAsync(SampleDashboardBrowserIT::chromium);
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
		this.base = "http://127.0.0.1:" + this.sample.getEnvironment().getRequiredProperty("local.server.port");
		this.dashboard = this.base + this.sample.getEnvironment().getProperty("taskqueue.dashboard.path", "/taskqueue");
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
					this.browser.quit();
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
		assertThat(this.browser.findElement(By.cssSelector(row + " td.id a")).getAttribute("href"))
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

		this.browser.findElement(By.cssSelector(row + " form.redrive [type=submit]")).click();
		acceptConfirm();

		// back on the queue's page after the POST's redirect, which says what it did, without the letter
		await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
			assertThat(text(By.cssSelector("#flash"))).isNotBlank();
			assertThat(this.browser.findElements(By.cssSelector(row))).isEmpty();
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
			assertThat(this.browser.findElements(running)).hasSize(1);
		});
		open("/tasks/" + id);
		assertThat(text(By.cssSelector("#task-state"))).isEqualTo("STARTED");

		WebElement terminate = this.browser
			.findElement(By.cssSelector("form#revoke input[type=checkbox][name=terminate]"));
		if (!terminate.isSelected()) {
			terminate.click();
		}
		this.browser.findElement(By.cssSelector("form#revoke [type=submit]")).click();
		acceptConfirm();

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
		await().atMost(WAIT).untilAsserted(() -> assertThat(status(id).path("state").asString()).isEqualTo("REVOKED"));
		await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			open("/workers/" + worker);
			assertThat(this.browser.findElements(By.cssSelector("table#active"))).hasSize(1);
			assertThat(this.browser.findElements(running)).isEmpty();
		});
		assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(40));
	}

	/**
	 * With the tasks page open, waits until the task's row reads the state (live), then follows its link to the
	 * detail page. The detail of a task the dashboard does not know yet says "not found"; reopening it until then
	 * would open one live stream per load.
	 */
	private void openDetailOnceItReads(String id, String state) {
		String row = "table#tasks tr[data-task-id='" + id + "']";
		await().atMost(WAIT).ignoreExceptions()
			.untilAsserted(() -> assertThat(text(By.cssSelector(row + " td.state"))).isEqualTo(state));
		this.browser.findElement(By.cssSelector(row + " td.id a")).click();
		await().atMost(WAIT).ignoreExceptions()
			.untilAsserted(() -> assertThat(text(By.cssSelector("#task-id"))).isEqualTo(id));
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
		this.browser.get(this.dashboard + path);
	}

	/**
	 * Opens a live page and waits until its stream is open: what happens before, the stream does not send.
	 * @see #STREAM_OPEN
	 */
	private void openLive(String path) {
		open(path);
		await().atMost(WAIT).untilAsserted(
				() -> assertThat(script("return (window.__taskqueueStreams || 0) > 0")).as("its stream is open").isEqualTo(true));
	}

	private String text(By by) {
		return this.browser.findElement(by).getText().trim();
	}

	private Object script(String script) {
		return ((JavascriptExecutor) this.browser).executeScript(script);
	}

	/** Accepts the {@code window.confirm} an action form asks before it submits. */
	private void acceptConfirm() {
		new WebDriverWait(this.browser, Duration.ofSeconds(5)).until(ExpectedConditions.alertIsPresent()).accept();
	}

	private String send(String task, String body) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.base + "/api/tasks/" + task))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		JsonNode sent = this.json.readTree(call(request));
		return sent.path("id").asString();
	}

	private JsonNode status(String id) {
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
				.until(() -> this.browser.findElements(By.cssSelector("table#tasks tr[data-task-id]")).size() >= 3);
		}
		catch (ConditionTimeoutException ex) {
			// the picture as it is: the tests themselves say what went wrong
		}
		screenshot("tasks");
	}

	/** The page as tall as its content (no blank half-page under a short table), then the window as it was. */
	private void screenshot(String name) {
		Dimension window = this.browser.manage().window().getSize();
		// the window's own bars (outer less inner height) come on top of the content's height
		long height = ((Number) script("return Math.max(...Array.from(document.body.children, "
				+ "(child) => child.getBoundingClientRect().bottom + window.scrollY)) "
				+ "+ window.outerHeight - window.innerHeight")).longValue();
		this.browser.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.max(300, height)));
		byte[] png;
		try {
			png = ((TakesScreenshot) this.browser).getScreenshotAs(OutputType.BYTES);
		}
		finally {
			this.browser.manage().window().setSize(window);
		}
		write("dashboard-" + name + ".png", png);
		if ("docs".equals(System.getProperty("dashboard.screenshots"))) {
			try {
				Files.write(DOCS.resolve("dashboard-" + name + ".png"), png);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	private static void write(String file, byte[] content) {
		try {
			Files.createDirectories(SCREENSHOTS);
			Files.write(SCREENSHOTS.resolve(file), content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Debian's Chromium through Debian's chromedriver, both by path: Selenium Manager is not asked for a driver
	 * or a browser, so nothing is downloaded.
	 */
	private static WebDriver chromium() {
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File("/usr/bin/chromedriver"))
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(new File("/usr/bin/chromium"));
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
		ChromeDriver driver = new ChromeDriver(service, options);
		driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", STREAM_OPEN));
		return driver;
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
