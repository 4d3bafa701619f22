package dev.drover.api;

import dev.drover.spi.Lease;
import dev.drover.spi.LeaseToken;
import dev.drover.spi.Settlement;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The values that carry bytes are values: what a caller does to an array it passed in, or got out, changes nothing in
 * them, and two of them with the same bytes are equal. They are built through builders or factories, with defaults.
 */
class ValuesTest {
    private static final QueueName QUEUE = QueueName.of("emails");

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aNewTaskCopiesItsPayloadInAndOutAndComparesItByContent() {
        byte[] payload = bytes("hello");
        NewTask task = NewTask.builder(QUEUE, payload, "text").build();
        payload[0] = 'J';
        assertThat(task.payload()).as("after the caller changed the array it passed in").isEqualTo(bytes("hello"));
        task.payload()[0] = 'J';
        assertThat(task.payload()).as("after the caller changed an array it got out").isEqualTo(bytes("hello"));

        NewTask same = task.toBuilder().payload(bytes("hello")).build();
        assertThat(same).isEqualTo(task).hasSameHashCodeAs(task);
        assertThat(task.toBuilder().payload(bytes("hellO")).build()).isNotEqualTo(task);
    }

    @Test
    void aNewTaskBuilderFillsInTheDefaultsAndChecksWhatItIsGiven() {
        Instant before = Instant.now();
        NewTask task = NewTask.builder(QUEUE, bytes("x"), "text").build();
        assertThat(task.id()).isNotNull();
        assertThat(NewTask.builder(QUEUE, bytes("x"), "text").build().id()).as("each builder's own new id").isNotEqualTo(task.id());
        assertThat(task.priority()).isZero();
        assertThat(task.runAt()).isBetween(before, Instant.now());
        assertThat(task.maxAttempts()).isEqualTo(DroverSettings.DEFAULT_MAX_ATTEMPTS);
        assertThat(task.metadata()).isEmpty();
        assertThatThrownBy(() -> NewTask.builder(QUEUE, bytes("x"), "text").maxAttempts(0).build())
                .isInstanceOf(InvalidTaskException.class).hasMessageContaining("maxAttempts must be at least 1");
        assertThatThrownBy(() -> NewTask.builder(QUEUE, null, "text").build()).hasMessageContaining("payload");
    }

    @Test
    void aTaskRecordCopiesItsPayloadAndResultAndComparesThemByContent() {
        byte[] payload = bytes("in");
        byte[] result = bytes("out");
        TaskRecord record = TaskRecord.builder(TaskId.generate(), QUEUE).state(TaskState.DONE).runAt(Instant.now())
                .maxAttempts(3).payload(payload).codec("text").result(result).metadata(Map.of("k", "v")).build();
        payload[0] = 'X';
        result[0] = 'X';
        record.payload()[1] = 'X';
        record.result()[1] = 'X';
        assertThat(record.payload()).isEqualTo(bytes("in"));
        assertThat(record.result()).isEqualTo(bytes("out"));

        TaskRecord copy = record.toBuilder().payload(bytes("in")).result(bytes("out")).build();
        assertThat(copy).isEqualTo(record).hasSameHashCodeAs(record);
        assertThat(record.toBuilder().result(bytes("OUT")).build()).isNotEqualTo(record);
        assertThatThrownBy(() -> TaskRecord.builder(TaskId.generate(), QUEUE).runAt(Instant.now()).payload(payload).codec("text").build())
                .as("a record without a state").hasMessageContaining("state");
    }

    @Test
    void aCompletionCopiesItsResultAndComparesItByContent() {
        byte[] result = bytes("42");
        ResultHandler.Completion completion = ResultHandler.Completion.of(result);
        result[0] = '9';
        completion.result()[1] = '9';
        assertThat(completion.result()).isEqualTo(bytes("42"));
        assertThat(completion).isEqualTo(ResultHandler.Completion.of(bytes("42"), List.of()))
                .hasSameHashCodeAs(ResultHandler.Completion.of(bytes("42")));
        assertThat(ResultHandler.Completion.NONE.result()).isNull();
        assertThat(ResultHandler.Completion.NONE.then()).isEmpty();
    }

    @Test
    void aSettlementsResultIsCopiedAndComparedByContent() {
        TaskId id = TaskId.generate();
        Lease lease = new Lease(id, QUEUE, new WorkerId("w"), new LeaseToken("t"), Instant.now());
        byte[] result = bytes("done");
        Settlement.Complete complete = new Settlement.Complete(lease, result);
        result[0] = 'X';
        complete.result()[1] = 'X';
        assertThat(complete.result()).isEqualTo(bytes("done"));
        assertThat(complete).isEqualTo(new Settlement.Complete(lease, bytes("done")));
    }

    @Test
    void aTaskIsBuiltWithDefaultsAHandlerTestCanRelyOn() {
        Task<String> task = Task.builder(TaskId.generate(), QUEUE, "payload").build();
        assertThat(task.attempt()).isEqualTo(1);
        assertThat(task.maxAttempts()).isEqualTo(DroverSettings.DEFAULT_MAX_ATTEMPTS);
        assertThat(task.isLastAttempt()).isFalse();
        assertThat(task.toBuilder().attempt(DroverSettings.DEFAULT_MAX_ATTEMPTS).build().isLastAttempt()).isTrue();
        assertThat(task.metadata()).isEmpty();
    }
}
