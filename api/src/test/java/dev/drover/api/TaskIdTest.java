package dev.drover.api;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class TaskIdTest {

    @Test
    void idsAreVersion7UuidsThatSortInCreationOrder() {
        List<TaskId> ids = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) ids.add(TaskId.generate());
        assertThat(ids).isSorted();
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        UUID first = UUID.fromString(ids.getFirst().value());
        assertThat(first.version()).isEqualTo(7);
        assertThat(first.variant()).isEqualTo(2);
        long millis = first.getMostSignificantBits() >>> 16;
        assertThat(millis).isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis());
    }
}
