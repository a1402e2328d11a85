package dev.taskqueue.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import dev.taskqueue.control.ControlCommand;
import dev.taskqueue.worker.ActiveTask;
import dev.taskqueue.worker.RateLimiter;
import dev.taskqueue.worker.WorkerSnapshot;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Keeps the arrows of docs/architecture.md true: transports never reach into the worker, the SPIs' packages
 * do not know their users, core knows no transport, and only auto-configuration knows every piece. It runs in the
 * autoconfigure module because every module's classes are on its class path.
 */
class LayeringTests {

	// the other modules' test-jars are on this class path too (their contract suites): their tests are not the
	// library's arrows either
	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.withImportOption((location) -> !location.contains("-tests.jar"))
		.importPackages("dev.taskqueue");

	@Test
	void theUserApiDependsOnNothingInternal() {
		noClasses().that()
			.resideInAPackage("dev.taskqueue")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.taskqueue.*..")
			.check(classes);
	}

	@Test
	void brokersNeverImportTheWorkerClientOrResults() {
		noClasses().that()
			.resideInAPackage("dev.taskqueue.broker..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.taskqueue.worker..", "dev.taskqueue.client..", "dev.taskqueue.registry..",
					"dev.taskqueue.routing..", "dev.taskqueue.autoconfigure..")
			.check(classes);
	}

	@Test
	void resultBackendsNeverImportTheWorkerOrBrokers() {
		noClasses().that()
			.resideInAPackage("dev.taskqueue.result..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.taskqueue.worker..", "dev.taskqueue.client..", "dev.taskqueue.autoconfigure..")
			.check(classes);
	}

	@Test
	void theProtocolAndSerializationKnowNothingOfTheEngine() {
		noClasses().that()
			.resideInAnyPackage("dev.taskqueue.protocol..", "dev.taskqueue.serialization..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.taskqueue.broker..", "dev.taskqueue.result..", "dev.taskqueue.worker..",
					"dev.taskqueue.client..", "dev.taskqueue.registry..", "dev.taskqueue.routing..",
					"dev.taskqueue.autoconfigure..")
			.check(classes);
	}

	@Test
	void onlyAutoConfigurationDependsOnAutoConfiguration() {
		noClasses().that()
			.resideOutsideOfPackage("dev.taskqueue.autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.taskqueue.autoconfigure..")
			.check(classes);
	}

	@Test
	void theClientAndTheWorkerDoNotKnowEachOther() {
		noClasses().that()
			.resideInAPackage("dev.taskqueue.client..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.taskqueue.worker..")
			.check(classes);
		noClasses().that()
			.resideInAPackage("dev.taskqueue.worker..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.taskqueue.client..")
			.check(classes);
	}

	@Test
	void theCanvasValuesKnowOnlyTheUserApiTheTaskNamesAndTheProtocol() {
		// signatures, chains, groups and chords are values: the client sends them, the worker continues them
		noClasses().that()
			.resideInAPackage("dev.taskqueue.canvas..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.taskqueue.worker..", "dev.taskqueue.client..", "dev.taskqueue.broker..",
					"dev.taskqueue.result..", "dev.taskqueue.routing..", "dev.taskqueue.serialization..",
					"dev.taskqueue.internal..", "dev.taskqueue.autoconfigure..")
			.check(classes);
	}

	@Test
	void theBeatSendsThroughTheClientsInterfaceAndKnowsNoBroker() {
		noClasses().that()
			.resideInAPackage("dev.taskqueue.beat..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.taskqueue.worker..", "dev.taskqueue.client..", "dev.taskqueue.broker..",
					"dev.taskqueue.result..", "dev.taskqueue.routing..", "dev.taskqueue.internal..",
					"dev.taskqueue.autoconfigure..")
			.check(classes);
	}

	@Test
	void transportsUseTheEngineOnlyThroughItsSpis() {
		noClasses().that()
			.resideInAnyPackage("dev.taskqueue.redis..", "dev.taskqueue.rabbitmq..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.taskqueue.client..", "dev.taskqueue.routing..", "dev.taskqueue.internal..",
					"dev.taskqueue.autoconfigure..")
			.check(classes);
		// the cluster rate limiter implements the worker's RateLimiter SPI, and knows nothing else of the worker
		noClasses().that()
			.resideInAnyPackage("dev.taskqueue.redis..", "dev.taskqueue.rabbitmq..")
			.should()
			.dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.taskqueue.worker..")
				.and(DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(RateLimiter.class))))
			.check(classes);
	}

	@Test
	void coreKnowsNoTransportAndTransportsDoNotKnowEachOther() {
		noClasses().that()
			.resideOutsideOfPackages("dev.taskqueue.redis..", "dev.taskqueue.autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.taskqueue.redis..")
			.check(classes);
		noClasses().that()
			.resideOutsideOfPackages("dev.taskqueue.rabbitmq..", "dev.taskqueue.autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.taskqueue.rabbitmq..")
			.check(classes);
	}

	@Test
	void componentStatusDependsOnNothingOfTheLibrary() {
		noClasses().that()
			.resideInAPackage("dev.taskqueue.status..")
			.should()
			.dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.taskqueue..")
				.and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("dev.taskqueue.status.."))))
			.check(classes);
	}

	@Test
	void micrometerIsUsedOnlyByTheMetricsAndTracingPackageAndAutoConfiguration() {
		// Micrometer is an optional dependency: a class elsewhere that touched it would fail without it
		noClasses().that()
			.resideOutsideOfPackages("dev.taskqueue.micrometer..", "dev.taskqueue.autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.micrometer..")
			.check(classes);
	}

	@Test
	void listenersKnowOnlyTheUserApiAndTheProtocol() {
		noClasses().that()
			.resideInAPackage("dev.taskqueue.listener..")
			.should()
			.dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.taskqueue..")
				.and(DescribedPredicate.not(JavaClass.Predicates.resideInAnyPackage("dev.taskqueue",
						"dev.taskqueue.protocol..", "dev.taskqueue.listener.."))))
			.check(classes);
	}

	@Test
	void theSpisBelowTheClientAndTheWorkerAreNotToldOfTheLifecycle() {
		// the moments are the client's and the worker's to tell; a broker or a backend reports through them
		noClasses().that()
			.resideInAnyPackage("dev.taskqueue.protocol..", "dev.taskqueue.serialization..", "dev.taskqueue.broker..",
					"dev.taskqueue.result..", "dev.taskqueue.revoke..", "dev.taskqueue.registry..",
					"dev.taskqueue.routing..", "dev.taskqueue.status..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.taskqueue.listener..")
			.check(classes);
	}

	@Test
	void metricsAndTracingListenToTheLifecycleAndKnowNothingOfTheWorkerOrTheClient() {
		noClasses().that()
			.resideInAPackage("dev.taskqueue.micrometer..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.taskqueue.worker..", "dev.taskqueue.client..", "dev.taskqueue.routing..",
					"dev.taskqueue.result..", "dev.taskqueue.autoconfigure..")
			.check(classes);
	}

	@Test
	void eventsListenToTheLifecycleAndKnowNoTransport() {
		// Celery's events are built on the lifecycle; a broker carries them through the EventTransport SPI, and the
		// worker's remote control reaches them through its ControlCommand SPI
		noClasses().that()
			.resideInAPackage("dev.taskqueue.events..")
			.should()
			.dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.taskqueue..")
				.and(DescribedPredicate.not(JavaClass.Predicates.resideInAnyPackage("dev.taskqueue.events..",
						"dev.taskqueue.listener..", "dev.taskqueue.protocol..")))
				.and(DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(ControlCommand.class,
						WorkerSnapshot.class, ActiveTask.class))))
			.check(classes);
	}

	@Test
	void onlyAutoConfigurationKnowsTheActuatorTypes() {
		noClasses().that()
			.resideOutsideOfPackages("dev.taskqueue.actuate..", "dev.taskqueue.autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.taskqueue.actuate..")
			.check(classes);
	}

	@Test
	void theActuatorTypesReadTheEngineThroughItsPublicSpisOnly() {
		noClasses().that()
			.resideInAPackage("dev.taskqueue.actuate..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.taskqueue.client..", "dev.taskqueue.routing..", "dev.taskqueue.internal..",
					"dev.taskqueue.serialization..", "dev.taskqueue.redis..", "dev.taskqueue.rabbitmq..",
					"dev.taskqueue.autoconfigure..")
			.check(classes);
		// health and the endpoint are side by side, as Spring Boot keeps them: neither knows the other
		noClasses().that()
			.resideInAPackage("dev.taskqueue.actuate.health..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.taskqueue.actuate.endpoint..")
			.check(classes);
		noClasses().that()
			.resideInAPackage("dev.taskqueue.actuate.endpoint..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.taskqueue.actuate.health..")
			.check(classes);
	}

	@Test
	void remoteControlReadsTheEngineAndNeverATransport() {
		// the worker's pidbox answers through the worker, the registry and the revocations, and reaches the broker
		// only through the PidboxTransport SPI that each transport implements
		noClasses().that()
			.resideInAPackage("dev.taskqueue.control..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.taskqueue.redis..", "dev.taskqueue.rabbitmq..", "dev.taskqueue.broker.memory..",
					"dev.taskqueue.client..", "dev.taskqueue.routing..", "dev.taskqueue.serialization..",
					"dev.taskqueue.beat..", "dev.taskqueue.internal..", "dev.taskqueue.autoconfigure..",
					"dev.taskqueue.actuate..")
			.check(classes);
		// and the engine does not know it is remote-controlled
		noClasses().that()
			.resideInAnyPackage("dev.taskqueue.worker..", "dev.taskqueue.registry..", "dev.taskqueue.revoke..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.taskqueue.control..")
			.check(classes);
	}

	@Test
	void theDashboardReadsTheEngineThroughItsPublicApiAndOnlyAutoConfigurationKnowsIt() {
		// the dashboard module depends on core only: no transport, no client, no auto-configuration, no actuator
		noClasses().that()
			.resideInAPackage("dev.taskqueue.dashboard..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.taskqueue.redis..", "dev.taskqueue.rabbitmq..", "dev.taskqueue.broker.memory..",
					"dev.taskqueue.client..", "dev.taskqueue.routing..", "dev.taskqueue.serialization..",
					"dev.taskqueue.internal..", "dev.taskqueue.autoconfigure..", "dev.taskqueue.actuate..")
			.check(classes);
		noClasses().that()
			.resideOutsideOfPackages("dev.taskqueue.dashboard..", "dev.taskqueue.autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.taskqueue.dashboard..")
			.check(classes);
	}

	@Test
	void packagesHaveNoCycles() {
		slices().matching("dev.taskqueue.(*)..").should().beFreeOfCycles().check(classes);
	}

}
