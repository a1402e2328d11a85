package dev.taskqueue.test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.SendOptions;
import dev.taskqueue.Task;
import dev.taskqueue.TaskClient;
import dev.taskqueue.TaskContext;
import dev.taskqueue.TaskFailedException;
import dev.taskqueue.TaskState;
import dev.taskqueue.autoconfigure.TaskQueueAutoConfiguration;
import dev.taskqueue.canvas.CanvasClient;
import dev.taskqueue.canvas.Chain;
import dev.taskqueue.canvas.Chord;
import dev.taskqueue.canvas.Group;
import dev.taskqueue.canvas.Signature;
import dev.taskqueue.broker.Broker;
import dev.taskqueue.worker.EagerBroker;
import dev.taskqueue.worker.Workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A user's unit tests of their tasks with {@code taskqueue.eager=true}: {@code send} returns once the task ran in
 * the test's own thread and its outcome is stored, so the test asserts at once, without waiting; the arguments
 * are bound and the result stored as a worker would.
 */
class EagerModeTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskQueueAutoConfiguration.class))
		.withUserConfiguration(BillingConfiguration.class)
		.withPropertyValues("taskqueue.eager=true");

	@Test
	void aSentTaskHasRunInTheSendersThreadAndStoredItsResultWhenSendReturns() {
		this.runner.run((context) -> {
			AsyncResult<Object> total = client(context).send("billing.total", List.of("2.50", "1.25"));
			assertThat(total.state()).isEqualTo(TaskState.SUCCESS);
			// converted from the message as a worker converts it, and stored as a worker stores it
			assertThat(total.get(Duration.ofMillis(1))).isEqualTo("3.75");
			assertThat(billing(context).threads).containsExactly(Thread.currentThread());
		});
	}

	@Test
	void noWorkerRunsAndTheBrokerIsTheEagerOne() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(EagerBroker.class).doesNotHaveBean(Workers.class);
			assertThat(context.getBean(Broker.class)).isInstanceOf(EagerBroker.class);
			// nothing is ever left to wait for
			client(context).send("billing.total", List.of("1"));
			TaskQueueTestSupport.awaitIdle(context, Duration.ZERO);
		});
		this.runner.withPropertyValues("taskqueue.eager=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EagerBroker.class).hasSingleBean(Workers.class));
	}

	@Test
	void argumentsThatDoNotBindFailTheTaskAsOnAWorkerAndAreKeptAsADeadLetter() {
		this.runner.run((context) -> {
			AsyncResult<Object> total = client(context).send("billing.total", "not a list");
			assertThat(total.state()).isEqualTo(TaskState.FAILURE);
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> total.get(Duration.ofMillis(1)))
				.withMessageContaining("amounts");
			assertThat(context.getBean(EagerBroker.class).deadLetters()).singleElement()
				.satisfies((letter) -> assertThat(letter.envelope().correlationId()).isEqualTo(total.id()));
			AsyncResult<Object> unknown = client(context).send("billing.nope");
			assertThat(unknown.state()).isEqualTo(TaskState.FAILURE);
		});
	}

	@Test
	void aRetryRunsAtOnceAfterTheRunThatAskedForItStoredRetry() {
		this.runner.run((context) -> {
			// the default retry delay is three minutes: eagerly it is not waited for
			AsyncResult<Object> charge = client(context).send("billing.charge", "card-1");
			assertThat(charge.state()).isEqualTo(TaskState.SUCCESS);
			assertThat(charge.get(Duration.ofMillis(1))).isEqualTo("charged card-1 after 2 retries");
			assertThat(billing(context).retries).containsExactly(0, 1, 2);
			assertThat(billing(context).threads).containsOnly(Thread.currentThread());
		});
	}

	@Test
	void aCountdownIsNotWaitedFor() {
		this.runner.run((context) -> {
			AsyncResult<Object> later = client(context)
				.withOptions(SendOptions.defaults().withCountdown(Duration.ofHours(1)))
				.send("billing.total", List.of("1"));
			assertThat(later.state()).isEqualTo(TaskState.SUCCESS);
		});
	}

	@Test
	void aTaskThatSendsAnotherHasItRunAfterItself() {
		this.runner.run((context) -> {
			AsyncResult<Object> invoice = client(context).send("billing.invoice", List.of(), Map.of("customer", "ada"));
			assertThat(invoice.get(Duration.ofMillis(1))).isEqualTo("invoiced ada");
			assertThat(billing(context).events).containsExactly("invoice ada", "mail ada");
		});
	}

	@Test
	void aChainAndAChordHaveRunToTheirEndWhenSendReturns() {
		this.runner.run((context) -> {
			CanvasClient canvas = context.getBean(CanvasClient.class);
			AsyncResult<Object> chained = canvas.send(
					Chain.of(Signature.of("billing.add", "1", "2"), Signature.of("billing.add", "4")));
			assertThat(chained.state()).isEqualTo(TaskState.SUCCESS);
			assertThat(chained.get(Duration.ofMillis(1))).isEqualTo("7");
			AsyncResult<Object> total = canvas.send(Chord.of(
					Group.of(Signature.of("billing.add", "1", "1"), Signature.of("billing.add", "2", "2")),
					Signature.of("billing.total")));
			assertThat(total.get(Duration.ofMillis(1))).isEqualTo("6");
		});
	}

	private static TaskClient client(AssertableApplicationContext context) {
		return context.getBean(TaskClient.class);
	}

	private static Billing billing(AssertableApplicationContext context) {
		return context.getBean(Billing.class);
	}

	@Configuration(proxyBeanMethods = false)
	static class BillingConfiguration {

		@Bean
		Billing billing(TaskClient client) {
			return new Billing(client);
		}

	}

	static class Billing {

		final List<Thread> threads = new CopyOnWriteArrayList<>();

		final List<Integer> retries = new CopyOnWriteArrayList<>();

		final List<String> events = new CopyOnWriteArrayList<>();

		private final TaskClient client;

		Billing(TaskClient client) {
			this.client = client;
		}

		@Task("billing.total")
		String total(List<BigDecimal> amounts) {
			this.threads.add(Thread.currentThread());
			return amounts.stream().reduce(BigDecimal.ZERO, BigDecimal::add).toPlainString();
		}

		@Task(name = "billing.charge", autoretryFor = IllegalStateException.class, maxRetries = 3)
		String charge(String card, TaskContext context) {
			this.threads.add(Thread.currentThread());
			this.retries.add(context.retries());
			if (context.retries() < 2) {
				throw new IllegalStateException("gateway busy");
			}
			return "charged " + card + " after " + context.retries() + " retries";
		}

		@Task("billing.add")
		String add(String a, String b) {
			return new BigDecimal(a).add(new BigDecimal(b)).toPlainString();
		}

		@Task("billing.invoice")
		String invoice(String customer) {
			this.client.send("billing.mail", customer);
			this.events.add("invoice " + customer);
			return "invoiced " + customer;
		}

		@Task("billing.mail")
		void mail(String customer) {
			this.events.add("mail " + customer);
		}

	}

}
