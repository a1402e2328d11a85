package dev.taskqueue.beat;

/**
 * A crontab that Celery's crontab would not accept, or that never fires: says which field is wrong and why.
 */
public class InvalidCronException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String field;

	private final String value;

	/**
	 * Create an exception.
	 * @param field the field, by Celery's name ({@code minute}, {@code hour}, {@code day_of_month},
	 * {@code month_of_year}, {@code day_of_week}), or {@code expression} for the whole
	 * @param value the field as written
	 * @param message what is wrong, for the person who wrote it
	 */
	public InvalidCronException(String field, String value, String message) {
		super(message);
		this.field = field;
		this.value = value;
	}

	/**
	 * The field that is wrong.
	 * @return its name as Celery's {@code crontab} keyword, or {@code expression}
	 */
	public String getField() {
		return this.field;
	}

	/**
	 * The field as written.
	 * @return the text
	 */
	public String getValue() {
		return this.value;
	}

}
