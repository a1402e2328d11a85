package dev.taskqueue.worker;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.databind.json.JsonMapper;

import dev.taskqueue.TaskContext;

/**
 * Microbenchmark of binding a message's arguments to a task method, the per-message work of the worker that
 * the other {@code HotPaths} cannot reach: the binder is package-private to the worker, so this benchmark
 * lives in the worker's package. Run with {@code --scenario=jmh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ArgumentBindingHotPath {

	private final List<Object> args = List.of(2, 3);

	private final Map<String, Object> kwargs = Map.of();

	private ArgumentBinder binder;

	private Method add;

	@Setup
	public void setUp() throws Exception {
		this.binder = new ArgumentBinder(JsonMapper.builder().build());
		this.add = ArgumentBindingHotPath.class.getDeclaredMethod("add", long.class, long.class);
	}

	@Benchmark
	public Object[] bindArguments() {
		return this.binder.bind(this.add, this.args, this.kwargs, (TaskContext) null);
	}

	public static long add(long x, long y) {
		return x + y;
	}

}
