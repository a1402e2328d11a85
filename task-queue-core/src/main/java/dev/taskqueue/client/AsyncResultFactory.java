package dev.taskqueue.client;

import java.lang.reflect.Type;
import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.AsyncResult;
import dev.taskqueue.canvas.GroupResult;
import dev.taskqueue.result.ResultBackend;
import dev.taskqueue.serialization.KombuTypes;

/**
 * Makes {@link AsyncResult} handles bound to the result backend, converting results (plain values as the
 * backend stores them) to the task's declared return type with the application's Jackson mapper. kombu 5.3's
 * typed objects in a result ({@code {"__type__": "datetime", ...}}) are read as their values
 * ({@link KombuTypes}); one of a type kombu does not know fails {@code get} with a
 * {@link dev.taskqueue.serialization.SerializationException} naming it.
 */
class AsyncResultFactory {

	/** What {@link KombuTypes#asType} returns for a value left to the mapper. */
	private static final Object UNCONVERTED = new Object();

	private final ResultBackend backend;

	private final JsonMapper mapper;

	/**
	 * Create a factory.
	 * @param backend where results are read
	 * @param mapper the mapper that converts results to their types
	 */
	AsyncResultFactory(ResultBackend backend, JsonMapper mapper) {
		this.backend = backend;
		this.mapper = mapper;
	}

	/**
	 * A handle on a task's result.
	 * @param <T> the result type
	 * @param taskId the task
	 * @param resultType the type to convert the result to
	 * @return the handle
	 */
	<T> AsyncResult<T> create(String taskId, Type resultType) {
		return create(taskId, resultType, null);
	}

	/**
	 * A handle on a task's result whose parent is known before the task ran (a chain's previous step).
	 * @param <T> the result type
	 * @param taskId the task
	 * @param resultType the type to convert the result to
	 * @param parent the parent, or {@code null} to read it from the stored result
	 * @return the handle
	 */
	<T> AsyncResult<T> create(String taskId, Type resultType, @Nullable AsyncResult<Object> parent) {
		return new BackendAsyncResult<>(taskId, this.backend, converter(resultType), this, parent);
	}

	/**
	 * The results of a group's tasks.
	 * @param groupId the group
	 * @param taskIds its tasks, in order
	 * @return the group's results
	 */
	GroupResult group(String groupId, List<String> taskIds) {
		return new BackendGroupResult(groupId, taskIds, this);
	}

	/**
	 * The backend results are read from.
	 * @return the backend
	 */
	ResultBackend backend() {
		return this.backend;
	}

	/**
	 * Where the backend wants results for the tasks this application sends, if it cares.
	 * @return the {@code reply_to} address, or {@code null}
	 */
	@Nullable String replyTo() {
		return this.backend.replyTo();
	}

	private <T> Function<Object, T> converter(Type type) {
		if (type == void.class || type == Void.class) {
			return (value) -> null;
		}
		// a result written as kombu 5.3 writes typed values is read as those values, whatever the type asked
		if (type == Object.class) {
			return (value) -> uncheckedIdentity(KombuTypes.decode(value));
		}
		JavaType javaType = this.mapper.constructType(type);
		return (value) -> {
			Object decoded = KombuTypes.decode(value);
			Object typed = KombuTypes.asType(decoded, javaType, UNCONVERTED);
			return (typed != UNCONVERTED) ? uncheckedIdentity(typed) : this.mapper.convertValue(decoded, javaType);
		};
	}

	@SuppressWarnings("unchecked")
	private <T> @Nullable T uncheckedIdentity(@Nullable Object value) {
		return (T) value;
	}

}
