package dev.taskqueue.sample;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Debian's headless Chromium on the dashboard, as the browser tests drive it: pages opened under the dashboard's
 * path, a live page opened once its stream is, cells read, action forms confirmed; screenshots to
 * {@code target/screenshots/}.
 */
final class DashboardBrowser implements AutoCloseable {

	static final Duration WAIT = Duration.ofSeconds(20);

	private static final Path SCREENSHOTS = Path.of("target/screenshots").toAbsolutePath();

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

	private final WebDriver driver;

	private String dashboard = "";

	private DashboardBrowser(WebDriver driver) {
		this.driver = driver;
	}

	/**
	 * Debian's Chromium through Debian's chromedriver, both by path: Selenium Manager is not asked for a driver
	 * or a browser, so nothing is downloaded.
	 */
	static DashboardBrowser start() {
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File("/usr/bin/chromedriver"))
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(new File("/usr/bin/chromium"));
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
		ChromeDriver driver = new ChromeDriver(service, options);
		driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", STREAM_OPEN));
		return new DashboardBrowser(driver);
	}

	/** The dashboard's URL, which {@link #open(String)} paths are under. */
	void dashboard(String url) {
		this.dashboard = url;
	}

	void open(String path) {
		this.driver.get(this.dashboard + path);
	}

	/**
	 * Opens a live page and waits until its stream is open: what happens before, the stream does not send.
	 * @see #STREAM_OPEN
	 */
	void openLive(String path) {
		open(path);
		await().atMost(WAIT).untilAsserted(() -> assertThat(script("return (window.__taskqueueStreams || 0) > 0"))
			.as("its stream is open")
			.isEqualTo(true));
	}

	/**
	 * With the tasks page open, waits until the task's row reads the state (live), then follows its link to the
	 * detail page. The detail of a task the dashboard does not know yet says "not found"; reopening it until then
	 * would open one live stream per load.
	 */
	void openDetailOnceItReads(String id, String state) {
		String row = "table#tasks tr[data-task-id='" + id + "']";
		await().atMost(WAIT).ignoreExceptions()
			.untilAsserted(() -> assertThat(text(By.cssSelector(row + " td.state"))).isEqualTo(state));
		this.driver.findElement(By.cssSelector(row + " td.id a")).click();
		await().atMost(WAIT).ignoreExceptions()
			.untilAsserted(() -> assertThat(text(By.cssSelector("#task-id"))).isEqualTo(id));
	}

	/**
	 * Revokes the task whose detail is open, terminating it, as a user does: the checkbox, the button, the
	 * confirmation.
	 */
	void revokeAndTerminate() {
		WebElement terminate = this.driver
			.findElement(By.cssSelector("form#revoke input[type=checkbox][name=terminate]"));
		if (!terminate.isSelected()) {
			terminate.click();
		}
		this.driver.findElement(By.cssSelector("form#revoke [type=submit]")).click();
		acceptConfirm();
	}

	String text(By by) {
		return this.driver.findElement(by).getText().trim();
	}

	WebElement find(By by) {
		return this.driver.findElement(by);
	}

	java.util.List<WebElement> findAll(By by) {
		return this.driver.findElements(by);
	}

	Object script(String script) {
		return ((JavascriptExecutor) this.driver).executeScript(script);
	}

	/** Accepts the {@code window.confirm} an action form asks before it submits. */
	void acceptConfirm() {
		new WebDriverWait(this.driver, Duration.ofSeconds(5)).until(ExpectedConditions.alertIsPresent()).accept();
	}

	/** What the browser shows, and its page's source, to {@code target/screenshots/{name}.png|html}. */
	void keepFailure(String name) {
		write(name + ".png", ((TakesScreenshot) this.driver).getScreenshotAs(OutputType.BYTES));
		write(name + ".html", this.driver.getPageSource().getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	/**
	 * The page as tall as its content (no blank half-page under a short table), then the window as it was.
	 * @return the PNG, also in {@code target/screenshots/dashboard-{name}.png}
	 */
	byte[] screenshot(String name) {
		Dimension window = this.driver.manage().window().getSize();
		// the window's own bars (outer less inner height) come on top of the content's height
		long height = ((Number) script("return Math.max(...Array.from(document.body.children, "
				+ "(child) => child.getBoundingClientRect().bottom + window.scrollY)) "
				+ "+ window.outerHeight - window.innerHeight")).longValue();
		this.driver.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.max(300, height)));
		byte[] png;
		try {
			png = ((TakesScreenshot) this.driver).getScreenshotAs(OutputType.BYTES);
		}
		finally {
			this.driver.manage().window().setSize(window);
		}
		write("dashboard-" + name + ".png", png);
		return png;
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

	@Override
	public void close() {
		this.driver.quit();
	}

}
