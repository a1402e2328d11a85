package dev.taskqueue.dashboard;


/**
 * Reads an action's form fields.
 */
final class Forms {

	private Forms() {
	}

	/**
	 * A field that must be there and not blank.
	 * @param request the POST
	 * @param name the field
	 * @return its value, trimmed
	 * @throws BadFormException if it is missing or blank
	 */
	static String required(PageRequest request, String name) {
		return request.param(name)
			.map(String::trim)
			.filter((value) -> !value.isEmpty())
			.orElseThrow(() -> new BadFormException("The form needs '" + name + "'"));
	}

	/**
	 * A checkbox.
	 * @param request the POST
	 * @param name the field
	 * @return whether it was checked
	 */
	static boolean checked(PageRequest request, String name) {
		return request.param(name).filter((value) -> !value.equals("false")).isPresent();
	}

}
