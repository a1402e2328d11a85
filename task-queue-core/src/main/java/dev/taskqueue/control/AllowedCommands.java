package dev.taskqueue.control;

import java.util.Collection;
import java.util.Set;

/**
 * Which remote-control commands a worker accepts ({@code taskqueue.control.allowed} and {@code denied}). Anyone who
 * can publish to the broker can send Celery's commands, so the ones that change a worker ({@code shutdown},
 * {@code pool_grow}, {@code rate_limit}...) can be switched off one by one. Each entry is a command's name,
 * {@code inspect} for every command that only reads the worker's state, {@code control} for every one that changes
 * it, or {@code *} for all; a command is accepted when it is allowed and not denied.
 */
public final class AllowedCommands {

	/** Every command. */
	public static final AllowedCommands ALL = new AllowedCommands(Set.of("*"), Set.of());

	private final Set<String> allowed;

	private final Set<String> denied;

	private AllowedCommands(Set<String> allowed, Set<String> denied) {
		this.allowed = allowed;
		this.denied = denied;
	}

	/**
	 * The commands allowed and not denied.
	 * @param allowed names, {@code inspect}, {@code control} or {@code *}
	 * @param denied names, {@code inspect}, {@code control} or {@code *}, which win over {@code allowed}
	 * @return the policy
	 */
	public static AllowedCommands of(Collection<String> allowed, Collection<String> denied) {
		return new AllowedCommands(Set.copyOf(allowed), Set.copyOf(denied));
	}

	/**
	 * Whether the worker accepts a command.
	 * @param command the command
	 * @return whether it is allowed and not denied
	 */
	public boolean allows(ControlCommand command) {
		return matches(this.allowed, command) && !matches(this.denied, command);
	}

	private static boolean matches(Set<String> entries, ControlCommand command) {
		return entries.contains("*") || entries.contains(command.name())
				|| entries.contains(command.kind().name().toLowerCase(java.util.Locale.ROOT));
	}

	@Override
	public String toString() {
		return "allowed " + this.allowed + ", denied " + this.denied;
	}

}
