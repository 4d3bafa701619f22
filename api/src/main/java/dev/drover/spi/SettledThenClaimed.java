package dev.drover.spi;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link Backend#settleThenClaim} did.
 *
 * @param applied     the tokens of the settlements applied (as {@link Backend#settle} returns them)
 * @param claimed     the tasks claimed (as {@link Backend#claim} returns them); empty when the claim failed
 * @param claimFailed why the claim failed after the settlements were applied, or null; only a backend that settles and
 *                    claims in two steps returns this (one that does both in one transaction throws instead, and then
 *                    applied nothing)
 */
public record SettledThenClaimed(Set<LeaseToken> applied, List<ClaimedTask> claimed, RuntimeException claimFailed) {
    public SettledThenClaimed {
        Objects.requireNonNull(applied, "applied");
        Objects.requireNonNull(claimed, "claimed");
    }
}
