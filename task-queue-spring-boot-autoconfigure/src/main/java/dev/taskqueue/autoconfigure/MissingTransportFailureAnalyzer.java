package dev.taskqueue.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link MissingTransportException}: which property asked for which transport, what is missing,
 * and the starter that brings it. Registered in {@code META-INF/spring.factories}.
 */
class MissingTransportFailureAnalyzer extends AbstractFailureAnalyzer<MissingTransportException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MissingTransportException cause) {
		Transport transport = cause.getTransport();
		String description = cause.getProperty() + "=" + cause.getValue() + " needs " + transport.displayName()
				+ ", but " + cause.getMissing() + ".";
		String action = "Add the dependency " + transport.starter() + " to the application (it brings "
				+ transport.starterContents() + "), or set " + cause.getProperty() + " to "
				+ cause.getAlternatives() + ".";
		return new FailureAnalysis(description, action, cause);
	}

}
