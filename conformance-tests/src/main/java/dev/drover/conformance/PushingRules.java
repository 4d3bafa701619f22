package dev.drover.conformance;

import dev.drover.api.DroverException;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskRecord;
import dev.drover.spi.ClaimedTask;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.drover.api.Capability.INSPECTION;
import static dev.drover.conformance.KitTasks.dueNow;
import static dev.drover.conformance.KitTasks.task;
import static dev.drover.conformance.KitTasks.text;
import static dev.drover.conformance.KitTasks.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Storage rules S24-S26: pushing and payloads ({@code SPEC.md}).
 * <p>
 * A backend runs them through {@link StorageContract}, whose nested class {@code Pushing} binds them to the
 * storage of the running test.
 */
abstract class PushingRules extends StorageRules {
    PushingRules(StorageContract kit) {
        super(kit);
    }

    @Test
    @DisplayName("S24 (required) A push stores all of its list or none of it: a list with an id already stored, or twice in the list, fails and stores nothing")
    void required_S24_bulkPushIsAllOrNothing() {
        QueueName queue = Names.queue();
        NewTask existing = push(task(queue).payload("original").build());
        List<NewTask> withClash = List.of(task(queue).build(), task(queue).build(),
                task(queue).id(existing.id()).payload("impostor").build(), task(queue).build());
        assertThatThrownBy(() -> backend().push(withClash)).as("push of a list holding a stored id")
                .isInstanceOf(DroverException.class);

        QueueName other = Names.queue();
        TaskId twice = TaskId.generate();
        List<NewTask> withInnerClash = List.of(task(other).build(), task(other).id(twice).build(), task(other).id(twice).build());
        assertThatThrownBy(() -> backend().push(withInnerClash)).as("push of a list holding one id twice")
                .isInstanceOf(DroverException.class);

        List<ClaimedTask> onQueue = claimAll(backend(), queue, Names.worker("s24"));
        assertThat(ids(onQueue)).as("tasks stored on %s after the failed push", queue).containsExactly(existing.id());
        assertThat(text(onQueue.getFirst().task().payload())).isEqualTo("original");
        assertThat(claimAll(backend(), other, Names.worker("s24"))).as("tasks stored on %s after the failed push", other).isEmpty();
        if (has(INSPECTION)) {
            for (NewTask t : withClash) if (!t.id().equals(existing.id())) assertThat(backend().get(queue, t.id())).isEmpty();
            for (NewTask t : withInnerClash) assertThat(backend().get(other, t.id())).isEmpty();
        }

        List<NewTask> good = pushAll(List.of(task(other).build(), task(other).build()));
        assertThat(ids(claimAll(backend(), other, Names.worker("s24")))).as("a good push after the failed ones")
                .containsExactlyInAnyOrderElementsOf(newIds(good));
    }

    @Test
    @DisplayName("S25 (required) Payload bytes come back exactly as pushed: every byte value, unicode JSON, 512 KiB of random bytes, and an empty payload")
    void required_S25_payloadBytesRoundTrip() {
        QueueName queue = Names.queue();
        byte[] everyByte = new byte[256];
        for (int i = 0; i < 256; i++) everyByte[i] = (byte) i;
        byte[] unicode = utf8("{\"text\":\"héllo wörld — ünïcødé ✓ 日本語 עברית 🚀👩‍👩‍👧\",\"nul\":\"\\u0000\"}");
        byte[] large = new byte[512 * 1024];
        new Random(42).nextBytes(large);
        byte[] empty = new byte[0];
        Map<TaskId, byte[]> expected = new LinkedHashMap<>();
        for (byte[] payload : List.of(everyByte, unicode, large, empty)) {
            NewTask t = push(task(queue).payload(payload).build());
            expected.put(t.id(), payload);
        }
        Map<TaskId, byte[]> viaGet = new HashMap<>();
        if (has(INSPECTION)) for (TaskId id : expected.keySet()) viaGet.put(id, stored(queue, id).payload());
        List<ClaimedTask> claimed = claimAll(open(), queue, Names.worker("s25"));
        assertThat(ids(claimed)).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (ClaimedTask c : claimed) {
            byte[] want = expected.get(c.task().id());
            assertThat(c.task().payload()).as("claimed payload of %d bytes", want.length).isEqualTo(want);
            if (viaGet.containsKey(c.task().id())) {
                assertThat(viaGet.get(c.task().id())).as("payload of %d bytes from get", want.length).isEqualTo(want);
            }
        }
    }

    @Test
    @DisplayName("S26 (required) Metadata, codec name, priority, max attempts and run_at come back as pushed")
    void required_S26_taskFieldsRoundTrip() {
        QueueName queue = Names.queue();
        Instant runAt = dueNow().minusSeconds(5);
        Map<String, String> meta = Map.of("trace-id", "4bf92f3577b34da6", "ünïcødé ключ", "值 🚀", "empty", "", "quote\"s", "a=b&c");
        NewTask rich = push(task(queue).metadata(meta).codec("json").priority(7).maxAttempts(9).runAt(runAt).build());
        NewTask plain = push(task(queue).codec("kit.custom-codec.v2").priority(-3).maxAttempts(1).runAt(runAt.plusMillis(1)).build());
        Map<TaskId, NewTask> pushed = Map.of(rich.id(), rich, plain.id(), plain);

        List<TaskRecord> seen = new ArrayList<>(claimAll(backend(), queue, Names.worker("s26")).stream().map(ClaimedTask::task).toList());
        assertThat(seen).hasSize(2);
        if (has(INSPECTION)) seen.addAll(List.of(stored(queue, rich.id()), stored(queue, plain.id())));
        for (TaskRecord r : seen) {
            NewTask p = pushed.get(r.id());
            assertThat(r.queue()).isEqualTo(queue);
            assertThat(r.metadata()).isEqualTo(p.metadata());
            assertThat(r.codec()).isEqualTo(p.codec());
            assertThat(r.priority()).isEqualTo(p.priority());
            assertThat(r.maxAttempts()).isEqualTo(p.maxAttempts());
            assertThat(r.runAt()).as("run_at (millisecond precision)").isEqualTo(p.runAt());
        }
    }
}
