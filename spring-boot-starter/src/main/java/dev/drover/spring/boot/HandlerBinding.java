package dev.drover.spring.boot;

import dev.drover.api.Task;
import dev.drover.api.TaskHandler;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One handler bound to one queue by {@link DroverHandler}: the queue, the payload type, and the handler to run. Found
 * on a bean's class (a {@link TaskHandler}) or on its methods.
 */
record HandlerBinding(String queue, Class<?> payloadType, TaskHandler<Object> handler, String source) {

    /** The bindings {@code bean} declares; none when it declares none. */
    static List<HandlerBinding> of(String beanName, Object bean) {
        Class<?> type = AopUtils.getTargetClass(bean);
        List<HandlerBinding> found = new ArrayList<>();
        DroverHandler onClass = AnnotatedElementUtils.findMergedAnnotation(type, DroverHandler.class);
        if (onClass != null) {
            if (!(bean instanceof TaskHandler<?> handler)) {
                throw new IllegalStateException("bean " + beanName + " (" + type.getName() + ") is annotated @DroverHandler(\"" + onClass.value()
                        + "\") but is not a TaskHandler: implement TaskHandler<YourPayload>, or put @DroverHandler on a method");
            }
            Class<?> payload = ResolvableType.forClass(TaskHandler.class, type).getGeneric(0).resolve();
            if (payload == null || payload == Object.class) {
                throw new IllegalStateException("bean " + beanName + " (" + type.getName() + ") is a TaskHandler of an unknown payload type: "
                        + "implement TaskHandler<YourPayload> with a concrete type, so its tasks can be read");
            }
            @SuppressWarnings("unchecked")
            TaskHandler<Object> h = (TaskHandler<Object>) handler;
            found.add(new HandlerBinding(onClass.value(), payload, h, "bean " + beanName));
        }
        Map<Method, DroverHandler> methods = MethodIntrospector.selectMethods(type,
                (MethodIntrospector.MetadataLookup<DroverHandler>) m -> AnnotatedElementUtils.findMergedAnnotation(m, DroverHandler.class));
        for (Map.Entry<Method, DroverHandler> e : methods.entrySet()) {
            found.add(method(beanName, bean, e.getKey(), e.getValue()));
        }
        return found;
    }

    private static HandlerBinding method(String beanName, Object bean, Method declared, DroverHandler annotation) {
        String where = beanName + "." + declared.getName();
        if (declared.getParameterCount() != 1) {
            throw new IllegalStateException("@DroverHandler method " + where + " takes " + declared.getParameterCount()
                    + " parameters: it takes one, the payload (or the Task)");
        }
        Method method = AopUtils.selectInvocableMethod(declared, bean.getClass());
        ReflectionUtils.makeAccessible(method);
        ResolvableType parameter = ResolvableType.forMethodParameter(declared, 0);
        boolean wholeTask = Task.class.equals(parameter.resolve());
        Class<?> payload = wholeTask ? parameter.getGeneric(0).resolve() : parameter.resolve();
        if (payload == null || payload == Object.class) {
            throw new IllegalStateException("@DroverHandler method " + where + " takes a payload of an unknown type: give it a concrete type "
                    + "(Email, or Task<Email>)");
        }
        TaskHandler<Object> handler = task -> {
            try {
                method.invoke(bean, wholeTask ? task : task.payload());
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception ex) throw ex;
                if (cause instanceof Error err) throw err;
                throw e;
            }
        };
        return new HandlerBinding(annotation.value(), payload, handler, "method " + where);
    }
}
