/**
 * Tracing for Drover with OpenTelemetry. One call binds it to a Drover:
 * <pre>{@code
 * OpenTelemetry otel = ...; // the application's SDK, or GlobalOpenTelemetry.get() under the Java agent
 * try (Drover drover = Drover.open("sqlite:jobs.db");
 *      Instrumentation.Binding tracing = DroverTracing.bind(drover, otel)) {
 *     TaskQueue<Email> emails = drover.queue("emails", Email.class);
 *     emails.push(email);                       // span "send emails" (PRODUCER); its context goes into the task's metadata
 *     drover.worker(emails, task -> send(task.payload())).start();
 *                                               // span "process emails" (CONSUMER) per run, current in the handler
 * }
 * }</pre>
 * The pushing and the running process each bind it to their own Drover (or a worker, with
 * {@link dev.drover.api.worker.Worker.Builder#instrument}); the trace context crosses between them in the task's
 * metadata. See {@link dev.drover.opentelemetry.DroverTracing} for the spans, their attributes and options.
 */
package dev.drover.opentelemetry;
