package dev.taskqueue.serialization;

/**
 * How the JSON serializer writes dates and times, decimals, UUIDs and bytes ({@code taskqueue.json.typed-values}).
 * Reading does not depend on it: kombu 5.3's typed objects are always read as values (see {@link KombuTypes}).
 */
public enum TypedValues {

	/**
	 * As plain JSON values, the way kombu 5.2 (Celery up to 5.2) writes them: ISO text for dates and times, a
	 * string for a decimal ({@code "1.10"}) and for a UUID, base64 text for bytes. Every Celery reads these, a
	 * 5.3+ peer as strings.
	 */
	PLAIN,

	/**
	 * As kombu 5.3+ (Celery 5.3 and later) writes them: {@code {"__type__": "datetime", "__value__": "..."}},
	 * which a 5.3+ peer reads back as a {@code datetime}, {@code date}, {@code time}, {@code Decimal},
	 * {@code UUID} or {@code bytes}. A Celery 5.2 peer sees these objects as dicts.
	 */
	KOMBU53

}
