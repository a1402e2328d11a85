package dev.taskqueue.actuate.endpoint;

import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

import dev.taskqueue.broker.BrokerException;

/**
 * The {@link TaskQueueEndpoint} over HTTP, answering with a status that says what went wrong and a body
 * {@code {"error": ...}} that says why: 404 for an unknown queue, dead letter, worker or section, 400 for a request
 * that cannot be right, 501 for what the broker cannot do (a broker that keeps no dead letters), 503 when the
 * broker cannot be reached or failed the operation (logged with its stack trace).
 */
@EndpointWebExtension(endpoint = TaskQueueEndpoint.class)
public class TaskQueueEndpointWebExtension {

	private static final Logger logger = LoggerFactory.getLogger(TaskQueueEndpointWebExtension.class);

	/** Not Implemented: the broker cannot do what was asked. */
	static final int STATUS_NOT_IMPLEMENTED = 501;

	private final TaskQueueEndpoint endpoint;

	/**
	 * Create the extension.
	 * @param endpoint the endpoint it answers for
	 */
	public TaskQueueEndpointWebExtension(TaskQueueEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	/**
	 * See {@link TaskQueueEndpoint#section(String)}.
	 * @param section the part
	 * @return the part, or 404
	 */
	@ReadOperation
	public WebEndpointResponse<Object> section(@Selector String section) {
		return answer(() -> found(this.endpoint.section(section), section));
	}

	/**
	 * See {@link TaskQueueEndpoint#item(String, String, Integer)}.
	 * @param section the part
	 * @param name the item's name
	 * @param limit how many dead letters to list at most
	 * @return the item, or 404
	 */
	@ReadOperation
	public WebEndpointResponse<Object> item(@Selector String section, @Selector String name,
			@Nullable Integer limit) {
		return answer(() -> found(this.endpoint.item(section, name, limit), section + "/" + name));
	}

	/**
	 * See {@link TaskQueueEndpoint#revoke(String, String, Boolean)}.
	 * @param section {@code revoked}
	 * @param taskId the task's id
	 * @param terminate whether a run under way is interrupted
	 * @return what was done
	 */
	@WriteOperation
	public WebEndpointResponse<Object> revoke(@Selector String section, @Selector String taskId,
			@Nullable Boolean terminate) {
		return answer(() -> this.endpoint.revoke(section, taskId, terminate));
	}

	/**
	 * See {@link TaskQueueEndpoint#act(String, String, String, String)}.
	 * @param section {@code queues} or {@code deadletters}
	 * @param queue the queue
	 * @param action what to do
	 * @param id for {@code redrive}, the one dead letter to redrive
	 * @return what was done
	 */
	@WriteOperation
	public WebEndpointResponse<Object> act(@Selector String section, @Selector String queue, @Selector String action,
			@Nullable String id) {
		return answer(() -> this.endpoint.act(section, queue, action, id));
	}

	/**
	 * See {@link TaskQueueEndpoint#delete(String, String, String)}.
	 * @param section {@code deadletters}
	 * @param queue the queue
	 * @param id the one dead letter to drop
	 * @return what was done
	 */
	@DeleteOperation
	public WebEndpointResponse<Object> delete(@Selector String section, @Selector String queue,
			@Nullable String id) {
		return answer(() -> this.endpoint.delete(section, queue, id));
	}

	private static Object found(@Nullable Object value, String path) {
		if (value == null) {
			throw new UnknownTargetException("Nothing at '" + path + "'");
		}
		return value;
	}

	private static WebEndpointResponse<Object> answer(Supplier<Object> operation) {
		try {
			return new WebEndpointResponse<>(operation.get());
		}
		catch (UnknownTargetException ex) {
			return error(ex.getReason(), WebEndpointResponse.STATUS_NOT_FOUND);
		}
		catch (InvalidEndpointRequestException ex) {
			return error(ex.getMessage(), WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		catch (UnsupportedOperationException ex) {
			return error(ex.getMessage(), STATUS_NOT_IMPLEMENTED);
		}
		catch (BrokerException ex) {
			return error(ex.getMessage(), WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		}
		catch (RuntimeException ex) {
			// what the broker's client threw as its own (Spring Data Redis's RedisConnectionFailureException, Spring
			// AMQP's AmqpConnectException): the broker failed the operation, which is not the request's fault
			logger.warn("The taskqueue endpoint's operation failed", ex);
			return error(ex.getClass().getSimpleName() + ": " + ex.getMessage(),
					WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		}
	}

	private static WebEndpointResponse<Object> error(@Nullable String message, int status) {
		return new WebEndpointResponse<>(OperationResponseBody.of(Map.of("status", status, "error",
				(message != null) ? message : "")), status);
	}

}
