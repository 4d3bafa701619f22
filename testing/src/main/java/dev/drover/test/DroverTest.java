package dev.drover.test;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test (class or method) that takes a {@link dev.drover.api.Drover} parameter gets a fresh one: by default on a new
 * SQLite file in a temporary directory, closed and deleted after the test. Set {@link #url()}, or the system property
 * {@value DroverExtension#URL_PROPERTY}, to run the same tests on another backend (a {@code pgmq://} URL, for example);
 * on a server each test gets queues of its own only if it names them so, see {@link DroverExtension}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(DroverExtension.class)
public @interface DroverTest {
    /** The backend URL; empty (the default) for a new SQLite file per test. The system property wins over this. */
    String url() default "";
}
