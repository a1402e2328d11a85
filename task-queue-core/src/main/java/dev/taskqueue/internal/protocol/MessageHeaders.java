package dev.taskqueue.internal.protocol;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * A message's headers, in insertion order, in two arrays: a map of a few dozen entries at most, held by
 * every message a broker keeps in memory, costs a tenth of a {@code LinkedHashMap}'s bytes this way, and a
 * lookup (a short scan that usually matches by identity, the names being constants) is as fast as hashing.
 * Null values are allowed; not thread-safe.
 */
final class MessageHeaders extends AbstractMap<String, @Nullable Object> {

	private @Nullable String[] names;

	private @Nullable Object[] values;

	private int size;

	private int modifications;

	/** Whether {@link #names} is shared with other maps, so that it is copied before it changes. */
	private boolean sharedNames;

	/**
	 * Create an empty map with room for {@code capacity} headers before it grows.
	 * @param capacity the expected number of headers
	 */
	MessageHeaders(int capacity) {
		this.names = new String[Math.max(capacity, 1)];
		this.values = new Object[this.names.length];
	}

	/**
	 * Create a map of the given names and values, in that order, sharing the array of names (which it never
	 * changes: it copies it first) with every other map made from it.
	 * @param names the names, all different; the array is not copied, and must not change
	 * @param values the values, as many as names; the array is not copied
	 * @return the map
	 */
	static MessageHeaders sharing(String[] names, @Nullable Object[] values) {
		if (names.length != values.length) {
			throw new IllegalArgumentException(names.length + " names for " + values.length + " values");
		}
		MessageHeaders headers = new MessageHeaders(0);
		headers.names = names;
		headers.values = values;
		headers.size = names.length;
		headers.sharedNames = true;
		return headers;
	}

	/**
	 * The values, when this map begins with exactly the given names in their order (it was made
	 * {@link #sharing(String[], Object[]) sharing} them and none of them was removed since; names added after
	 * them, such as {@code taskqueue_sent} or {@code compression}, are allowed): a reader then takes them by
	 * position, and the others from {@link #after(int)}.
	 * @param names the names
	 * @return the values, not copied (there may be more of them than names), or {@code null}
	 */
	@Nullable Object @Nullable [] valuesIfNamed(String[] names) {
		if (this.size < names.length) {
			return null;
		}
		if (this.names != names) {
			// copied when a header was added: the same constants, compared by identity
			for (int i = 0; i < names.length; i++) {
				if (this.names[i] != names[i]) {
					return null;
				}
			}
		}
		return this.values;
	}

	/**
	 * The headers after the first {@code count}, in order.
	 * @param count how many to skip
	 * @return a new map of the rest, or an empty read-only map if there is none
	 */
	java.util.Map<String, @Nullable Object> after(int count) {
		if (this.size <= count) {
			return java.util.Map.of();
		}
		MessageHeaders rest = new MessageHeaders(this.size - count);
		for (int i = count; i < this.size; i++) {
			rest.put(this.names[i], this.values[i]);
		}
		return rest;
	}

	private void ownNames(int capacity) {
		if (this.sharedNames || capacity > this.names.length) {
			this.names = Arrays.copyOf(this.names, capacity);
			this.sharedNames = false;
		}
		if (capacity > this.values.length) {
			this.values = Arrays.copyOf(this.values, capacity);
		}
	}

	private int indexOf(@Nullable Object name) {
		for (int i = 0; i < this.size; i++) {
			if (this.names[i] == name) {
				return i;
			}
		}
		if (name != null) {
			for (int i = 0; i < this.size; i++) {
				if (name.equals(this.names[i])) {
					return i;
				}
			}
		}
		return -1;
	}

	@Override
	public int size() {
		return this.size;
	}

	@Override
	public boolean containsKey(@Nullable Object name) {
		return indexOf(name) >= 0;
	}

	@Override
	public @Nullable Object get(@Nullable Object name) {
		int index = indexOf(name);
		return (index >= 0) ? this.values[index] : null;
	}

	@Override
	public @Nullable Object put(String name, @Nullable Object value) {
		int index = indexOf(name);
		if (index >= 0) {
			Object previous = this.values[index];
			this.values[index] = value;
			return previous;
		}
		ownNames((this.size == this.names.length) ? this.size * 2 : this.names.length);
		this.names[this.size] = name;
		this.values[this.size] = value;
		this.size++;
		this.modifications++;
		return null;
	}

	@Override
	public @Nullable Object remove(@Nullable Object name) {
		int index = indexOf(name);
		if (index < 0) {
			return null;
		}
		Object previous = this.values[index];
		removeAt(index);
		return previous;
	}

	private void removeAt(int index) {
		ownNames(this.names.length);
		int after = this.size - index - 1;
		System.arraycopy(this.names, index + 1, this.names, index, after);
		System.arraycopy(this.values, index + 1, this.values, index, after);
		this.size--;
		this.names[this.size] = null;
		this.values[this.size] = null;
		this.modifications++;
	}

	@Override
	public void clear() {
		ownNames(this.names.length);
		Arrays.fill(this.names, 0, this.size, null);
		Arrays.fill(this.values, 0, this.size, null);
		this.size = 0;
		this.modifications++;
	}

	@Override
	public void forEach(BiConsumer<? super String, ? super @Nullable Object> action) {
		int expected = this.modifications;
		for (int i = 0; i < this.size; i++) {
			action.accept(this.names[i], this.values[i]);
			if (this.modifications != expected) {
				throw new ConcurrentModificationException();
			}
		}
	}

	@Override
	public Set<Entry<String, @Nullable Object>> entrySet() {
		return new AbstractSet<>() {

			@Override
			public Iterator<Entry<String, @Nullable Object>> iterator() {
				return new Entries();
			}

			@Override
			public int size() {
				return MessageHeaders.this.size;
			}

		};
	}

	private final class Entries implements Iterator<Entry<String, @Nullable Object>> {

		private int next;

		private int last = -1;

		private int expectedModifications = MessageHeaders.this.modifications;

		@Override
		public boolean hasNext() {
			return this.next < MessageHeaders.this.size;
		}

		@Override
		public Entry<String, @Nullable Object> next() {
			if (this.expectedModifications != MessageHeaders.this.modifications) {
				throw new ConcurrentModificationException();
			}
			if (!hasNext()) {
				throw new NoSuchElementException();
			}
			this.last = this.next++;
			return new Header(this.last);
		}

		@Override
		public void remove() {
			if (this.last < 0) {
				throw new IllegalStateException();
			}
			removeAt(this.last);
			this.next = this.last;
			this.last = -1;
			this.expectedModifications = MessageHeaders.this.modifications;
		}

	}

	private final class Header implements Entry<String, @Nullable Object> {

		private final int index;

		Header(int index) {
			this.index = index;
		}

		@Override
		public String getKey() {
			return MessageHeaders.this.names[this.index];
		}

		@Override
		public @Nullable Object getValue() {
			return MessageHeaders.this.values[this.index];
		}

		@Override
		public @Nullable Object setValue(@Nullable Object value) {
			Object previous = MessageHeaders.this.values[this.index];
			MessageHeaders.this.values[this.index] = value;
			return previous;
		}

		@Override
		public boolean equals(@Nullable Object other) {
			return other instanceof Entry<?, ?> entry && Objects.equals(getKey(), entry.getKey())
					&& Objects.equals(getValue(), entry.getValue());
		}

		@Override
		public int hashCode() {
			return Objects.hashCode(getKey()) ^ Objects.hashCode(getValue());
		}

		@Override
		public String toString() {
			return getKey() + "=" + getValue();
		}

	}

}
