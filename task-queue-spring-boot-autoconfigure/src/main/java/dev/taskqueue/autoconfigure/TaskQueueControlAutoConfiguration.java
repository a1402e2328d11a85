package dev.taskqueue.autoconfigure;

import java.util.List;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

import dev.taskqueue.control.AllowedCommands;
import dev.taskqueue.control.CeleryPidbox;
import dev.taskqueue.control.CeleryRevocations;
import dev.taskqueue.control.ControlCommand;
import dev.taskqueue.control.PidboxTransport;
import dev.taskqueue.control.panel.Panel;
import dev.taskqueue.protocol.LamportClock;
import dev.taskqueue.registry.TaskRegistry;
import dev.taskqueue.revoke.Revocations;
import dev.taskqueue.worker.Workers;

/**
 * Auto-configuration of a worker's side of Celery's remote control: the worker's pidbox node answers
 * {@code celery inspect}, {@code celery control}, Flower and {@code TaskControl} with the built-in commands
 * (Celery's {@code Panel}) and the application's {@link ControlCommand} beans, which replace built-in ones of
 * the same name. Only in an application that runs a worker, on a broker that carries Celery's remote control,
 * unless {@code taskqueue.celery-control} keeps the application away from Celery; {@code taskqueue.control.*}
 * chooses the commands accepted.
 */
@AutoConfiguration(after = TaskQueueAutoConfiguration.class)
@ConditionalOnBean({ Workers.class, PidboxTransport.class })
@Conditional(OnCeleryControlCondition.class)
@EnableConfigurationProperties(TaskQueueControlProperties.class)
public final class TaskQueueControlAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CeleryPidbox taskCeleryPidbox(PidboxTransport transport, Workers workers, TaskRegistry registry,
			Revocations revocations, LamportClock clock, ObjectProvider<JsonMapper> mapper,
			TaskQueueProperties properties, TaskQueueControlProperties control, ObjectProvider<ControlCommand> commands,
			Environment environment, ApplicationContext context) {
		String hostname = TaskQueueAutoConfiguration.workerName(properties);
		Panel.Builder panel = Panel.builder(hostname, workers, registry, CeleryRevocations.local(revocations), clock)
			.conf(ControlSettings.conf(properties, environment, workers.getSettings()))
			.broker(ControlSettings.broker(properties, environment));
		if (control.isShutdownExitsJvm()) {
			panel.shutdownExits(() -> System.exit(SpringApplication.exit(context)));
		}
		List<ControlCommand> own = commands.orderedStream().toList();
		return CeleryPidbox.builder(transport, hostname, TaskQueueAutoConfiguration.jsonMapper(mapper))
			.commands(panel.build())
			.commands(own)
			.allowed(AllowedCommands.of(control.getAllowed(), control.getDenied()))
			.clock(clock)
			.answeringWhile(workers::isRunning)
			.build();
	}

}
