package dev.taskqueue.worker;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.TaskContext;

/**
 * Binds a message's positional and keyword arguments to a task method's parameters, as Python binds a
 * call: positional arguments first, then keyword arguments by parameter name. Each value is converted to
 * the declared type (generics included) with the application's Jackson mapper. A parameter of type
 * {@link TaskContext} receives the running task's context.
 */
public class ArgumentBinder {

	private final JsonMapper mapper;

	private final Map<Method, List<Slot>> slots = new ConcurrentHashMap<>();

	/**
	 * Create a binder.
	 * @param mapper the application's mapper; a stricter copy is used, which refuses what Python would not
	 * take for the type either: 2.5 or "5" for an {@code int}, 1 for a {@code boolean}, 5 for a {@code String}
	 */
	public ArgumentBinder(JsonMapper mapper) {
		this.mapper = mapper.rebuild()
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.withCoercionConfig(LogicalType.Integer,
					(config) -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Boolean,
					(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Textual,
					(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.build();
	}

	/**
	 * Bind arguments to a method's parameters.
	 * @param method the task method
	 * @param args the positional arguments
	 * @param kwargs the keyword arguments
	 * @param context the running task's context
	 * @return the values to invoke the method with
	 * @throws ArgumentBindingException if an argument is missing, unexpected or of the wrong type
	 */
	public Object[] bind(Method method, List<Object> args, Map<String, Object> kwargs, TaskContext context) {
		List<Slot> parameters = this.slots.computeIfAbsent(method, this::slotsOf);
		long bindable = parameters.stream().filter((slot) -> !slot.isContext()).count();
		if (args.size() > bindable) {
			throw new ArgumentBindingException("takes " + bindable + " positional argument" + ((bindable == 1) ? "" : "s")
					+ " but " + args.size() + " were given");
		}
		Object[] values = new Object[parameters.size()];
		Set<String> used = new HashSet<>();
		int position = 0;
		for (int i = 0; i < parameters.size(); i++) {
			Slot slot = parameters.get(i);
			if (slot.isContext()) {
				values[i] = context;
				continue;
			}
			Object raw;
			if (position < args.size()) {
				if (kwargs.containsKey(slot.name())) {
					throw new ArgumentBindingException("got multiple values for argument '" + slot.name() + "'");
				}
				raw = args.get(position++);
			}
			else if (slot.hasName() && kwargs.containsKey(slot.name())) {
				raw = kwargs.get(slot.name());
				used.add(slot.name());
			}
			else {
				throw new ArgumentBindingException("missing argument '" + slot.name() + "' ("
						+ slot.parameter().getParameterizedType().getTypeName() + ")"
						+ (slot.hasName() ? "" : "; compile with -parameters to bind keyword arguments"));
			}
			values[i] = convert(slot, raw);
		}
		if (used.size() < kwargs.size()) {
			Set<String> unexpected = new HashSet<>(kwargs.keySet());
			unexpected.removeAll(used);
			throw new ArgumentBindingException("got unexpected keyword argument" + ((unexpected.size() == 1) ? " " : "s ")
					+ unexpected);
		}
		return values;
	}

	private Object convert(Slot slot, Object raw) {
		if (raw == null) {
			if (slot.parameter().getType().isPrimitive()) {
				throw new ArgumentBindingException("argument '" + slot.name() + "' (" + slot.parameter().getType()
						+ ") must not be null");
			}
		}
		try {
			// a null goes through the mapper too, so that its deserializer gives its null value:
			// Optional.empty() for an Optional, not a null Optional
			return (raw != null) ? this.mapper.convertValue(raw, slot.type()) : this.mapper.readValue("null", slot.type());
		}
		catch (JacksonException | IllegalArgumentException ex) {
			throw new ArgumentBindingException("argument '" + slot.name() + "' must be "
					+ slot.parameter().getParameterizedType().getTypeName() + ", got "
					+ ((raw != null) ? raw.getClass().getSimpleName() + " " + abbreviate(raw) : "null"));
		}
	}

	private List<Slot> slotsOf(Method method) {
		List<Slot> result = new ArrayList<>();
		for (Parameter parameter : method.getParameters()) {
			result.add(new Slot(parameter, this.mapper.constructType(parameter.getParameterizedType())));
		}
		return List.copyOf(result);
	}

	private static String abbreviate(Object value) {
		String text = (value instanceof String) ? "'" + value + "'" : String.valueOf(value);
		return (text.length() > 60) ? text.substring(0, 57) + "..." : text;
	}

	private record Slot(Parameter parameter, JavaType type) {

		boolean isContext() {
			return TaskContext.class.equals(this.parameter.getType());
		}

		boolean hasName() {
			return this.parameter.isNamePresent();
		}

		String name() {
			return this.parameter.getName();
		}

	}

}
