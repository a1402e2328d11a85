package dev.taskqueue.registry;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

import dev.taskqueue.Task;

/**
 * Registers the {@link Task @Task} methods of every bean in the {@link TaskRegistry}, as Spring's
 * {@code @Scheduled} support does for scheduled methods. Methods are invoked through the bean, so proxies
 * (transactions, security) apply.
 */
public class TaskAnnotationBeanPostProcessor implements BeanPostProcessor {

	private final TaskRegistry registry;

	private final Set<Class<?>> classesWithoutTasks = ConcurrentHashMap.newKeySet();

	/**
	 * Create a post-processor registering into a registry.
	 * @param registry the registry
	 */
	public TaskAnnotationBeanPostProcessor(TaskRegistry registry) {
		this.registry = registry;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.classesWithoutTasks.contains(targetClass)) {
			return bean;
		}
		Map<Method, Task> tasks = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<Task>) (method) -> AnnotatedElementUtils.findMergedAnnotation(method,
						Task.class));
		if (tasks.isEmpty()) {
			this.classesWithoutTasks.add(targetClass);
			return bean;
		}
		tasks.forEach((method, task) -> {
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			invocable.trySetAccessible();
			this.registry.register(new TaskDefinition(TaskNames.of(task, method), bean, invocable, TaskOptions.of(task)));
		});
		return bean;
	}

}
