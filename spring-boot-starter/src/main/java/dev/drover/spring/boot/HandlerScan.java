package dev.drover.spring.boot;

import dev.drover.api.TaskHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.AnnotationUtils;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Finds the {@link DroverHandler} bindings of a context's singletons, once, when the workers start (every bean exists
 * by then). Two handlers on one queue are refused: a queue has one payload type and one handler.
 */
final class HandlerScan {
    private static final Logger LOG = LoggerFactory.getLogger(HandlerScan.class);

    private HandlerScan() {
    }

    static Supplier<List<HandlerBinding>> lazily(ConfigurableListableBeanFactory beans) {
        return () -> scan(beans);
    }

    static List<HandlerBinding> scan(ConfigurableListableBeanFactory beans) {
        List<HandlerBinding> all = new ArrayList<>();
        Map<String, HandlerBinding> byQueue = new HashMap<>();
        for (String name : beans.getBeanNamesForType(Object.class, false, false)) {
            if (beans.containsBeanDefinition(name) && beans.getBeanDefinition(name).getRole() == BeanDefinition.ROLE_INFRASTRUCTURE) continue;
            Class<?> type = beans.getType(name, false);
            if (type == null || !AnnotationUtils.isCandidateClass(type, DroverHandler.class)) continue;
            Object bean = beans.getBean(name);
            List<HandlerBinding> found = HandlerBinding.of(name, bean);
            if (found.isEmpty() && bean instanceof TaskHandler<?>) {
                LOG.warn("drover: bean {} ({}) is a TaskHandler without @DroverHandler(\"queue\"): it runs for no queue", name,
                        AopUtils.getTargetClass(bean).getName());
            }
            for (HandlerBinding b : found) {
                HandlerBinding before = byQueue.putIfAbsent(b.queue(), b);
                if (before != null) {
                    throw new IllegalStateException("two handlers for queue " + b.queue() + ": " + before.source() + " and " + b.source()
                            + ". A queue has one handler; give one of them another queue");
                }
                all.add(b);
            }
        }
        return all;
    }
}
