package dev.taskqueue.beatit;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.taskqueue.beat.BeatEntry;
import dev.taskqueue.beat.BeatListener;

/**
 * An application that runs the beat for the beat's {@code *IT} tests, in this JVM or in a process of its own
 * ({@code java -cp <test classpath> dev.taskqueue.beatit.BeatApplication --taskqueue.beat.enabled=true ...}), so
 * that a test can kill it. It writes what its beat does to {@link #EVENTS} and, with
 * {@code beat-it.events-in-redis=true} (a process's events, for the test that started it), to the list
 * {@code beat-it:events} of its Redis ({@code "leading <pid> <epoch ms>"},
 * {@code "sent <pid> <scheduled epoch ms> <task id>"}), for the tests to know when a scheduler took the lead.
 */
@SpringBootApplication
public class BeatApplication {

	/** What the beats of this JVM did, in order. */
	public static final List<String> EVENTS = new CopyOnWriteArrayList<>();

	public static void main(String[] args) {
		SpringApplication.run(BeatApplication.class, args);
	}

	@Bean
	BeatListener eventLog(ObjectProvider<StringRedisTemplate> redis,
			@Value("${beat-it.events-in-redis:false}") boolean eventsInRedis) {
		long pid = ProcessHandle.current().pid();
		return new BeatListener() {

			@Override
			public void sent(BeatEntry entry, Instant scheduledAt, String taskId) {
				log("sent " + pid + " " + scheduledAt.toEpochMilli() + " " + taskId);
			}

			@Override
			public void leadershipChanged(boolean leading) {
				log((leading ? "leading " : "following ") + pid + " " + System.currentTimeMillis());
			}

			private void log(String event) {
				EVENTS.add(event);
				if (eventsInRedis) {
					redis.ifAvailable((template) -> template.opsForList().rightPush("beat-it:events", event));
				}
			}

		};
	}

}
