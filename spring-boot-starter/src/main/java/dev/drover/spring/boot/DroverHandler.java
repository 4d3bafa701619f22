package dev.drover.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a handler to a queue: a bean that implements {@link dev.drover.api.TaskHandler TaskHandler&lt;T&gt;}, or a
 * method of a bean that takes the payload ({@code T}) or the whole {@link dev.drover.api.Task Task&lt;T&gt;}. Its
 * worker starts when the application context has started and stops gracefully with it; its settings come from
 * {@code drover.workers.QUEUE.*}.
 *
 * <pre>{@code
 * @Component
 * class Mailer {
 *     @DroverHandler("emails")
 *     void send(Email email) { ... }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DroverHandler {
    /** The queue whose tasks it runs. */
    String value();
}
