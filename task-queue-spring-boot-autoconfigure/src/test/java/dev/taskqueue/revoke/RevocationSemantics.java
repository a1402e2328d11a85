package dev.taskqueue.revoke;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.TaskClient;
import dev.taskqueue.TaskRevokedException;
import dev.taskqueue.TaskState;
import dev.taskqueue.control.TaskControl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Revocation shared through a broker between a sending application and a worker application: the tests every
 * broker's revocations pass. A subclass names the broker's properties and cleans what its test owns.
 */
public abstract class RevocationSemantics {

	private static final Duration WAIT = Duration.ofSeconds(20);

	/**
	 * The properties that point both applications at the broker and result backend under test.
	 * @return {@code key=value} properties
	 */
	protected abstract String[] brokerProperties();

	@Test
	void aWorkerStartedAfterTheRevocationDoesNotRunTheTask() {
		try (ConfigurableApplicationContext sender = start(false)) {
			TaskClient client = sender.getBean(TaskClient.class);
			AsyncResult<Object> revoked = client.send("revoke-it.count");
			sender.getBean(TaskControl.class).revoke(revoked.id());
			AsyncResult<Object> later = client.send("revoke-it.count");
			try (ConfigurableApplicationContext worker = start(true)) {
				// one worker thread, in order: once the later task ran, the revoked one was met and skipped
				assertThat(later.get(WAIT)).isEqualTo(1);
				assertThat(worker.getBean(RevokeApplication.Tasks.class).counted).hasValue(1);
				assertThat(revoked.state()).isEqualTo(TaskState.REVOKED);
				assertThatExceptionOfType(TaskRevokedException.class).isThrownBy(() -> revoked.get(WAIT));
			}
		}
	}

	@Test
	void aTerminatingRevocationFromAnotherApplicationInterruptsTheRunningTask() throws Exception {
		try (ConfigurableApplicationContext sender = start(false); ConfigurableApplicationContext worker = start(true)) {
			RevokeApplication.Tasks tasks = worker.getBean(RevokeApplication.Tasks.class);
			AsyncResult<Object> running = sender.getBean(TaskClient.class).send("revoke-it.block");
			assertThat(tasks.blocking.await(20, TimeUnit.SECONDS)).isTrue();
			sender.getBean(TaskControl.class).revoke(running.id(), true);
			assertThat(tasks.interrupted.await(20, TimeUnit.SECONDS)).isTrue();
			assertThatExceptionOfType(TaskRevokedException.class).isThrownBy(() -> running.get(WAIT));
			assertThat(sender.getBean(TaskClient.class).send("revoke-it.count").get(WAIT)).isEqualTo(1);
			assertThat(running.state()).isEqualTo(TaskState.REVOKED);
		}
	}

	private ConfigurableApplicationContext start(boolean worker) {
		return new SpringApplicationBuilder(RevokeApplication.class).web(WebApplicationType.NONE)
			.properties(brokerProperties())
			.properties("taskqueue.default-queue=it-revoke", "taskqueue.worker.concurrency=1",
					"taskqueue.worker.shutdown-timeout=1s", "taskqueue.worker.enabled=" + worker)
			.run();
	}

}
