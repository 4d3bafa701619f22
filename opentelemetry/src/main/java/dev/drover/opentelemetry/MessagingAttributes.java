package dev.drover.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The attribute names Drover's spans carry: those of the OpenTelemetry semantic conventions for messaging (plain
 * strings, so no dependency on the incubating semconv artifact, whose names still move), and Drover's own, under
 * {@code drover.}.
 */
final class MessagingAttributes {
    /** {@code messaging.system}: always {@value #SYSTEM_NAME}. */
    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    static final String SYSTEM_NAME = "drover";
    /** {@code messaging.destination.name}: the queue. */
    static final AttributeKey<String> DESTINATION_NAME = AttributeKey.stringKey("messaging.destination.name");
    /** {@code messaging.operation.type}: "send" on push, "process" on a run. */
    static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    /** {@code messaging.operation.name}: the same words as the type; Drover has no operation names of its own. */
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    /** {@code messaging.message.id}: the task's id (a push of one task, and every run). */
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    /** {@code messaging.batch.message_count}: how many tasks a push of several carried. */
    static final AttributeKey<Long> BATCH_MESSAGE_COUNT = AttributeKey.longKey("messaging.batch.message_count");
    /** {@code messaging.client.id}: the id of the worker that runs the task. */
    static final AttributeKey<String> CLIENT_ID = AttributeKey.stringKey("messaging.client.id");
    /** {@code error.type}: the class of what a handler threw, or of what failed a push. */
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    /** {@code drover.task.attempt}: which attempt a run is, from 1. */
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("drover.task.attempt");
    /** {@code drover.task.max_attempts}: how many attempts the task has in all. */
    static final AttributeKey<Long> MAX_ATTEMPTS = AttributeKey.longKey("drover.task.max_attempts");
    /** {@code drover.task.outcome}: how the run ended, a {@link dev.drover.api.instrument.RunOutcome.Kind} name. */
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("drover.task.outcome");
    /** {@code drover.push.duplicates}: tasks of a push not stored because a task holding their unique key was in scope. */
    static final AttributeKey<Long> DUPLICATES = AttributeKey.longKey("drover.push.duplicates");

    static final String SEND = "send";
    static final String PROCESS = "process";

    private MessagingAttributes() {
    }
}
