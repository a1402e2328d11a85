package dev.taskqueue.actuate;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The application of the actuator's ITs: everything auto-configured, as a user's application with the actuator
 * is, the {@link ActuatorTasks}, and no component scan (the tests' own configurations stay out).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ActuatorTasks.class)
public class ActuatorApplication {

}
