package dev.taskqueue.autoconfigure;

/**
 * Thrown at start-up when {@code taskqueue.broker} or {@code taskqueue.result-backend} names a transport
 * that the application does not have: its module or client library is not on the class path, or Spring Boot
 * configured no connection for it. {@link MissingTransportFailureAnalyzer} turns it into a failure analysis
 * naming the starter to add.
 */
final class MissingTransportException extends RuntimeException {

	private final String property;

	private final String value;

	private final Transport transport;

	private final String missing;

	/**
	 * Create an exception.
	 * @param component what cannot be created ({@code Broker}, {@code ResultBackend}), by its class's name
	 * @param property the property that names the transport
	 * @param value its value
	 * @param transport the transport it names
	 * @param missing what the transport lacks, as {@link Transport#missing} describes it
	 */
	MissingTransportException(String component, String property, String value, Transport transport, String missing) {
		super("Cannot create the " + component + " for " + property + "=" + value + ": " + missing + ". Add "
				+ transport.starter() + ", or set " + property + " to "
				+ Transport.alternativesPhrase(property, value));
		this.property = property;
		this.value = value;
		this.transport = transport;
		this.missing = missing;
	}

	/**
	 * The property that names the transport.
	 * @return {@code taskqueue.broker} or {@code taskqueue.result-backend}
	 */
	String getProperty() {
		return this.property;
	}

	/**
	 * The property's value.
	 * @return the value as written
	 */
	String getValue() {
		return this.value;
	}

	/**
	 * The transport the property names.
	 * @return the transport
	 */
	Transport getTransport() {
		return this.transport;
	}

	/**
	 * What the transport lacks.
	 * @return a phrase ("... is not on the class path")
	 */
	String getMissing() {
		return this.missing;
	}

	/**
	 * The values the property could take instead.
	 * @return the other values, as a phrase ("memory or rabbitmq")
	 */
	String getAlternatives() {
		return Transport.alternativesPhrase(this.property, this.value);
	}

}
