package dev.taskqueue.serialization;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The serializers an application knows, by name and by content type, and the content types its workers
 * accept ({@code taskqueue.accept-content}). A worker never deserializes a content type it does not
 * accept.
 */
public class SerializerRegistry {

	private final Map<String, Serializer> byName = new LinkedHashMap<>();

	private final Map<String, Serializer> byContentType = new LinkedHashMap<>();

	private final Set<String> accepted;

	/**
	 * Create a registry.
	 * @param serializers the serializers; a later one replaces an earlier one of the same content type
	 * @param acceptContent the accepted content types or serializer names
	 */
	public SerializerRegistry(Collection<? extends Serializer> serializers, Collection<String> acceptContent) {
		for (Serializer serializer : serializers) {
			this.byName.put(serializer.name(), serializer);
			this.byContentType.put(serializer.contentType(), serializer);
		}
		this.accepted = acceptContent.stream().map(this::contentTypeOf).collect(java.util.stream.Collectors.toSet());
	}

	/**
	 * The serializer with this name or content type.
	 * @param nameOrContentType {@code json} or {@code application/json}
	 * @return the serializer
	 * @throws SerializationException if there is none
	 */
	public Serializer get(String nameOrContentType) {
		Serializer serializer = this.byName.get(nameOrContentType);
		if (serializer == null) {
			serializer = this.byContentType.get(nameOrContentType);
		}
		if (serializer == null) {
			throw new SerializationException("No serializer for '" + nameOrContentType + "'; known: "
					+ this.byName.keySet());
		}
		return serializer;
	}

	/**
	 * The serializer for a content type a worker received, if it accepts it.
	 * @param contentType the message's content type, matched exactly as Celery does
	 * @return the serializer
	 * @throws SerializationException if the content type is not accepted or unknown
	 */
	public Serializer forAcceptedContent(@Nullable String contentType) {
		if (contentType == null || !this.accepted.contains(contentType)) {
			throw new SerializationException("Refusing to deserialize content of type '" + contentType
					+ "': taskqueue.accept-content is " + this.accepted);
		}
		return get(contentType);
	}

	private String contentTypeOf(String nameOrContentType) {
		Serializer serializer = this.byName.get(nameOrContentType);
		return (serializer != null) ? serializer.contentType() : nameOrContentType;
	}

}
