package dev.taskqueue.autoconfigure;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

import dev.taskqueue.broker.Broker;
import dev.taskqueue.result.ResultBackend;

/**
 * {@code taskqueue.broker} or {@code taskqueue.result-backend} names a transport that the application does not
 * have (its module or client library is missing from the class path, or Spring Boot configured no connection):
 * the broker or result backend it asked for fails with a {@link MissingTransportException}, which
 * {@link MissingTransportFailureAnalyzer} explains, rather than with "No qualifying bean of type Broker". The
 * transport's own configuration stays away in that case, so nothing else fails first.
 */
@Configuration(proxyBeanMethods = false)
final class MissingTransportConfiguration {

	@Bean
	@ConditionalOnMissingBean(Broker.class)
	@Conditional(OnBrokerTransportMissing.class)
	Broker taskBroker(Environment environment, ConfigurableListableBeanFactory beanFactory) {
		throw exception(Broker.class.getName(), Transport.BROKER_PROPERTY, environment, beanFactory);
	}

	@Bean
	@ConditionalOnMissingBean(ResultBackend.class)
	@Conditional(OnResultBackendTransportMissing.class)
	ResultBackend taskResultBackend(Environment environment, ConfigurableListableBeanFactory beanFactory) {
		throw exception(ResultBackend.class.getName(), Transport.RESULT_BACKEND_PROPERTY, environment, beanFactory);
	}

	private static MissingTransportException exception(String component, String property, Environment environment,
			ConfigurableListableBeanFactory beanFactory) {
		String value = environment.getRequiredProperty(property);
		Transport transport = Transport.neededBy(property, value);
		String missing = (transport != null) ? transport.missing(beanFactory.getBeanClassLoader(), beanFactory) : null;
		if (transport == null || missing == null) {
			// the condition said otherwise a moment ago
			throw new IllegalStateException(property + "=" + value + " lacks nothing");
		}
		return new MissingTransportException(component, property, value, transport, missing);
	}

	/**
	 * Matches when a property names a transport that lacks something.
	 */
	abstract static class OnTransportMissing extends SpringBootCondition {

		private final String property;

		OnTransportMissing(String property) {
			this.property = property;
		}

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			String value = context.getEnvironment().getProperty(this.property);
			Transport transport = Transport.neededBy(this.property, value);
			if (transport == null) {
				return ConditionOutcome.noMatch(this.property + " needs no transport");
			}
			String missing = transport.missing(context.getClassLoader(), context.getBeanFactory());
			if (missing == null) {
				return ConditionOutcome.noMatch(this.property + "=" + value + " has " + transport.displayName());
			}
			return ConditionOutcome.match(this.property + "=" + value + " but " + missing);
		}

	}

	/**
	 * Matches when {@code taskqueue.broker} names a transport that lacks something.
	 */
	static final class OnBrokerTransportMissing extends OnTransportMissing {

		OnBrokerTransportMissing() {
			super(Transport.BROKER_PROPERTY);
		}

	}

	/**
	 * Matches when {@code taskqueue.result-backend} names a transport that lacks something.
	 */
	static final class OnResultBackendTransportMissing extends OnTransportMissing {

		OnResultBackendTransportMissing() {
			super(Transport.RESULT_BACKEND_PROPERTY);
		}

	}

}
