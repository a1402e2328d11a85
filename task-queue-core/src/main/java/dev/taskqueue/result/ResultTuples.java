package dev.taskqueue.result;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Celery's result tuples, as its result documents ({@code children}), saved groups
 * ({@code celery-taskset-meta-<id>}) and {@code celery.chord_unlock} carry them in JSON: a task is
 * {@code [["<id>", <parent tuple or null>], null]}, a group {@code [["<group id>", <parent>], [<member tuples>]]}
 * ({@code AsyncResult.as_tuple()} and {@code GroupResult.as_tuple()}; {@code result_from_tuple} reads them).
 */
public final class ResultTuples {

	private ResultTuples() {
	}

	/**
	 * The tuple of a task.
	 * @param taskId the task's id
	 * @return {@code [[id, null], null]}
	 */
	public static List<@Nullable Object> task(String taskId) {
		return Arrays.asList(Arrays.asList(taskId, null), null);
	}

	/**
	 * The tuple of a group of tasks.
	 * @param groupId the group's id
	 * @param taskIds its members' ids, in order
	 * @return {@code [[group id, null], [member tuples]]}
	 */
	public static List<@Nullable Object> group(String groupId, List<String> taskIds) {
		List<Object> members = new ArrayList<>(taskIds.size());
		taskIds.forEach((id) -> members.add(task(id)));
		return Arrays.asList(Arrays.asList(groupId, null), members);
	}

	/**
	 * The id a tuple names: a task's or a group's. A bare id (Celery accepts one) is read as itself.
	 * @param tuple the tuple as decoded
	 * @return the id, or {@code null} if the value is no result tuple
	 */
	public static @Nullable String id(@Nullable Object tuple) {
		if (tuple instanceof String id) {
			return id;
		}
		if (tuple instanceof List<?> pair && !pair.isEmpty()) {
			Object head = pair.get(0);
			if (head instanceof String id) {
				return id;
			}
			if (head instanceof List<?> node && !node.isEmpty() && node.get(0) instanceof String id) {
				return id;
			}
		}
		return null;
	}

	/**
	 * The members of a group's tuple.
	 * @param tuple the tuple as decoded
	 * @return the member tuples, or {@code null} if the tuple is a task's
	 */
	public static @Nullable List<?> members(@Nullable Object tuple) {
		if (tuple instanceof List<?> pair && pair.size() == 2 && pair.get(0) instanceof List<?>
				&& pair.get(1) instanceof List<?> members) {
			return members;
		}
		return null;
	}

	/**
	 * The ids of the tasks a tuple stands for, in order: the task itself, or a group's members (nested groups
	 * flattened).
	 * @param tuple the tuple as decoded
	 * @return the task ids
	 */
	public static List<String> taskIds(@Nullable Object tuple) {
		List<String> ids = new ArrayList<>();
		collect(tuple, ids);
		return ids;
	}

	private static void collect(@Nullable Object tuple, List<String> ids) {
		List<?> members = members(tuple);
		if (members != null) {
			members.forEach((member) -> collect(member, ids));
			return;
		}
		String id = id(tuple);
		if (id != null) {
			ids.add(id);
		}
	}

}
