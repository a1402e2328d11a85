package dev.taskqueue.worker;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.TaskContext;
import dev.taskqueue.serialization.KombuTypes;

/**
 * Binds a message's positional and keyword arguments to a task method's parameters, as Python binds a
 * call: positional arguments first, then keyword arguments by parameter name. Each value is converted to
 * the declared type (generics included) with the application's Jackson mapper; a value decoded from kombu 5.3's
 * typed JSON ({@code datetime}, {@code Decimal}, ...) is given as it is to a parameter of its type or of
 * {@code Object} ({@link KombuTypes#asType}). A parameter of type
 * {@link TaskContext} receives the running task's context.
 */
class ArgumentBinder {

	private final JsonMapper mapper;

	/** The scalar parameter types a received value may already have, and the class it then has. */
	private static final Map<Class<?>, Class<?>> BOXES = Map.ofEntries(Map.entry(String.class, String.class),
			Map.entry(int.class, Integer.class), Map.entry(Integer.class, Integer.class), Map.entry(long.class, Long.class),
			Map.entry(Long.class, Long.class), Map.entry(boolean.class, Boolean.class),
			Map.entry(Boolean.class, Boolean.class), Map.entry(double.class, Double.class),
			Map.entry(Double.class, Double.class));

	/** What {@link KombuTypes#asType} returns for a value left to the mapper. */
	private static final Object UNCONVERTED = new Object();

	private final Map<Method, Binding> bindings = new ConcurrentHashMap<>();

	/**
	 * Create a binder.
	 * @param mapper the application's mapper; a stricter copy is used, which refuses what Python would not
	 * take for the type either: 2.5 or "5" for an {@code int}, 1 for a {@code boolean}, 5 for a {@code String}
	 */
	ArgumentBinder(JsonMapper mapper) {
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
	@Nullable Object[] bind(Method method, List<@Nullable Object> args, Map<String, @Nullable Object> kwargs,
			@Nullable TaskContext context) {
		Binding binding = this.bindings.computeIfAbsent(method, this::bindingOf);
		List<Slot> parameters = binding.slots();
		int bindable = binding.bindable();
		if (args.size() > bindable) {
			throw new ArgumentBindingException("takes " + bindable + " positional argument" + ((bindable == 1) ? "" : "s")
					+ " but " + args.size() + " were given");
		}
		Object[] values = new Object[parameters.size()];
		Set<String> used = kwargs.isEmpty() ? Set.of() : new HashSet<>();
		int position = 0;
		for (int i = 0; i < parameters.size(); i++) {
			Slot slot = parameters.get(i);
			if (slot.isContext()) {
				values[i] = context;
				continue;
			}
			Object raw;
			if (position < args.size()) {
				if (!kwargs.isEmpty() && kwargs.containsKey(slot.name())) {
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

	private @Nullable Object convert(Slot slot, @Nullable Object raw) {
		Object plain = slot.asIs(raw);
		if (plain != null) {
			return plain;
		}
		if (raw == null) {
			if (slot.parameter().getType().isPrimitive()) {
				throw new ArgumentBindingException("argument '" + slot.name() + "' (" + slot.parameter().getType()
						+ ") must not be null");
			}
		}
		if (raw != null) {
			// kombu 5.3's typed values, decoded: given as they are where they fit, as a String their text
			Object typed = KombuTypes.asType(raw, slot.type(), UNCONVERTED);
			if (typed != UNCONVERTED) {
				return typed;
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

	private Binding bindingOf(Method method) {
		List<Slot> result = new ArrayList<>();
		for (Parameter parameter : method.getParameters()) {
			result.add(new Slot(parameter, this.mapper.constructType(parameter.getParameterizedType()),
					TaskContext.class.equals(parameter.getType()), BOXES.get(parameter.getType())));
		}
		int bindable = (int) result.stream().filter((slot) -> !slot.isContext()).count();
		return new Binding(List.copyOf(result), bindable);
	}

	private static String abbreviate(Object value) {
		String text = (value instanceof String) ? "'" + value + "'" : String.valueOf(value);
		return (text.length() > 60) ? text.substring(0, 57) + "..." : text;
	}

	/**
	 * A method's parameters, worked out once.
	 */
	private record Binding(List<Slot> slots, int bindable) {
	}

	/**
	 * A parameter.
	 * @param parameter the parameter
	 * @param type its type, for the mapper
	 * @param isContext whether it receives the task's context
	 * @param box for a parameter of a scalar type (a primitive, its box or {@code String}), the class a
	 * received value of that type already has, so that it needs no conversion; otherwise {@code null}
	 */
	private record Slot(Parameter parameter, JavaType type, boolean isContext, @Nullable Class<?> box) {

		/**
		 * The received value itself when it already has the parameter's type (what the mapper would give
		 * back, without its round trip), or an {@code int} widened for a {@code long}; otherwise
		 * {@code null}, for the mapper to convert.
		 */
		@Nullable Object asIs(@Nullable Object raw) {
			if (this.box == null || raw == null) {
				return null;
			}
			if (raw.getClass() == this.box) {
				return raw;
			}
			return (this.box == Long.class && raw instanceof Integer number) ? Long.valueOf(number.longValue()) : null;
		}

		boolean hasName() {
			return this.parameter.isNamePresent();
		}

		String name() {
			return this.parameter.getName();
		}

	}

}
