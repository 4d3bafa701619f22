/**
 * Drover's Spring Boot starter (Boot 4.0.x and 3.5.x): auto-configuration of a {@link dev.drover.api.Drover} from
 * {@code drover.*} properties, handler beans ({@link dev.drover.spring.boot.DroverHandler}) run with the context's
 * lifecycle, typed queues ({@link dev.drover.spring.boot.DroverQueues}) whose pushes join Spring transactions on the
 * same database, the application's Jackson for payloads, a health indicator and Micrometer metrics.
 */
package dev.drover.spring.boot;
