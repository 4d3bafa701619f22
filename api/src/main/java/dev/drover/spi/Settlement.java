package dev.drover.spi;

import dev.drover.api.Capability;
import dev.drover.api.FollowUp;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The end of one claim, fenced by its lease token: the backend applies it only if the task is still RUNNING
 * under that exact token, and otherwise changes nothing.
 */
public sealed interface Settlement {
    Lease lease();

    /**
     * The handler succeeded: DONE, with an optional result, and the follow-up tasks {@code then} pushed in the same
     * transaction (on a backend with {@link Capability#FOLLOW_UPS}; see {@link FollowUp}).
     */
    record Complete(Lease lease, byte[] result, List<FollowUp> then) implements Settlement {
        public Complete {
            Objects.requireNonNull(lease, "lease");
            result = result == null ? null : result.clone();
            then = then == null ? List.of() : List.copyOf(then);
        }

        public Complete(Lease lease, byte[] result) {
            this(lease, result, List.of());
        }

        /** The result to keep with the DONE task (a copy), or null. */
        @Override
        public byte[] result() {
            return result == null ? null : result.clone();
        }

        /** Equal when the lease, the result's bytes and the follow-ups are. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Complete other && lease.equals(other.lease) && Arrays.equals(result, other.result) && then.equals(other.then);
        }

        @Override
        public int hashCode() {
            return Objects.hash(lease, then) * 31 + Arrays.hashCode(result);
        }

        @Override
        public String toString() {
            return "Complete[" + lease + ", result=" + (result == null ? "none" : result.length + " bytes") + ", then=" + then + "]";
        }
    }

    /** The attempt failed and another is allowed: PENDING again, due {@code delay} from now (backend's clock), error kept. */
    record Retry(Lease lease, Duration delay, String error) implements Settlement {
        public Retry {
            Objects.requireNonNull(lease, "lease");
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(error, "error");
            if (delay.isNegative()) throw new IllegalArgumentException("retry delay must not be negative: " + delay);
        }
    }

    /** No further attempt: DEAD, error kept. */
    record Kill(Lease lease, String error) implements Settlement {
        public Kill {
            Objects.requireNonNull(lease, "lease");
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * Given back unfinished (a worker shutting down): PENDING, due now, and the attempt this claim took is given
     * back, so a release costs the task nothing.
     */
    record Release(Lease lease) implements Settlement {
        public Release {
            Objects.requireNonNull(lease, "lease");
        }
    }
}
