package dev.taskqueue.sample;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.server.RouterFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard of a WebFlux application in a real browser: the same sample, started as a reactive web application
 * on Reactor Netty (its controller is annotated, so WebFlux serves it as well), with the in-memory broker and its
 * own worker. The pages, the live updates and an action behave as under Spring MVC ({@link SampleDashboardBrowserIT}
 * shows the whole fleet there, with a Celery worker).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SampleWebFluxDashboardBrowserIT {

	private ConfigurableApplicationContext sample;

	private SampleApi api;

	private DashboardBrowser browser;

	@RegisterExtension
	final TestWatcher failures = new TestWatcher() {

		@Override
		public void testFailed(ExtensionContext context, @Nullable Throwable cause) {
			if (SampleWebFluxDashboardBrowserIT.this.browser != null) {
				SampleWebFluxDashboardBrowserIT.this.browser
					.keepFailure("webflux-failed-" + context.getRequiredTestMethod().getName());
			}
		}

	};

	@BeforeAll
	void start() {
		CompletableFuture<DashboardBrowser> chromium = CompletableFuture.supplyAsync(DashboardBrowser::start);
		try {
			this.sample = new SpringApplicationBuilder(SampleApplication.class).web(WebApplicationType.REACTIVE)
				.run("--server.port=0", "--taskqueue.worker.shutdown-timeout=2s");
		}
		finally {
			this.browser = chromium.join();
		}
		String base = "http://127.0.0.1:" + this.sample.getEnvironment().getRequiredProperty("local.server.port");
		this.api = new SampleApi(base);
		this.browser.dashboard(base + "/taskqueue");
	}

	@AfterAll
	void stop() {
		try {
			if (this.browser != null) {
				this.browser.close();
			}
		}
		finally {
			if (this.sample != null) {
				this.sample.close();
			}
		}
	}

	@Test
	void theDashboardIsServedByWebFluxAndListsTheWorkerOnline() {
		assertThat(this.sample.getBean("taskQueueDashboardRoutes")).isInstanceOf(RouterFunction.class);
		this.browser.openLive("");
		await().atMost(DashboardBrowser.WAIT).ignoreExceptions()
			.untilAsserted(() -> assertThat(
					this.browser.text(By.cssSelector("table#workers tr[data-worker^='taskqueue@'] td.status")))
				.isEqualTo("online"));
	}

	@Test
	void aTaskSentThroughTheSampleApiTurnsSuccessWithoutAReload() {
		this.browser.openLive("/tasks");
		this.browser.script("window.__marker = 1");
		String id = this.api.send("sample.add", "{\"args\": [20, 22]}");
		String row = "table#tasks tr[data-task-id='" + id + "']";
		await().atMost(DashboardBrowser.WAIT).ignoreExceptions()
			.untilAsserted(() -> assertThat(this.browser.text(By.cssSelector(row + " td.state"))).isEqualTo("SUCCESS"));
		assertThat(this.browser.script("return window.__marker")).as("the page was not reloaded").isEqualTo(1L);
		assertThat(this.browser.text(By.cssSelector(row + " td.name"))).isEqualTo("sample.add");
	}

	@Test
	void aRevokeFromThePageStopsARunningSampleSleep() {
		this.browser.openLive("/tasks");
		String id = this.api.send("sample.sleep", "{\"args\": [60]}");
		this.browser.openDetailOnceItReads(id, "STARTED");
		String worker = this.browser.text(By.cssSelector("#task-worker"));
		By running = By.cssSelector("table#active tr[data-task-id='" + id + "']");
		await().atMost(DashboardBrowser.WAIT).untilAsserted(() -> {
			this.browser.open("/workers/" + worker);
			assertThat(this.browser.findAll(running)).hasSize(1);
		});
		this.browser.open("/tasks/" + id);

		this.browser.revokeAndTerminate();

		// back on the detail after the POST's redirect: the form was read from the body of WebFlux's request
		await().atMost(DashboardBrowser.WAIT).ignoreExceptions()
			.untilAsserted(() -> assertThat(this.browser.text(By.cssSelector("#flash")))
				.isEqualTo("Revoked " + id + " (terminate)"));
		await().atMost(DashboardBrowser.WAIT)
			.untilAsserted(() -> assertThat(this.api.status(id).path("state").asString()).isEqualTo("REVOKED"));
		await().atMost(DashboardBrowser.WAIT).ignoreExceptions().untilAsserted(() -> {
			this.browser.open("/tasks/" + id);
			assertThat(this.browser.text(By.cssSelector("#task-state"))).isEqualTo("REVOKED");
		});
		// the worker's own active tasks (remote control, a page of its own) no longer hold it
		await().atMost(DashboardBrowser.WAIT).ignoreExceptions().untilAsserted(() -> {
			this.browser.open("/workers/" + worker);
			assertThat(this.browser.findAll(By.cssSelector("table#active"))).hasSize(1);
			assertThat(this.browser.findAll(running)).isEmpty();
		});
	}

}
