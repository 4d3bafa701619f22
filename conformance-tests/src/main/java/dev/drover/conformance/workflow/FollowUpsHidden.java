package dev.drover.conformance.workflow;

import dev.drover.api.Capability;
import dev.drover.conformance.ForwardingBackend;
import dev.drover.spi.Backend;
import dev.drover.spi.LeaseToken;
import dev.drover.spi.Settlement;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The backend under test with {@link Capability#FOLLOW_UPS} taken out of its declared capabilities, so the workflow
 * engine takes its path for backends without follow-ups (idempotent pushes before the completion). Everything else is
 * the backend's own.
 */
public final class FollowUpsHidden extends ForwardingBackend {
    public FollowUpsHidden(Backend backend) {
        super(backend);
    }

    @Override
    public String describe() {
        return delegate().describe() + " (FOLLOW_UPS hidden)";
    }

    @Override
    public Set<Capability> capabilities() {
        Set<Capability> all = delegate().capabilities();
        EnumSet<Capability> copy = all.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(all);
        copy.remove(Capability.FOLLOW_UPS);
        return copy;
    }

    @Override
    public Set<LeaseToken> settle(List<Settlement> settlements) {
        for (Settlement s : settlements) {
            if (s instanceof Settlement.Complete c && !c.then().isEmpty()) {
                throw new IllegalStateException("a completion with follow-ups reached a backend whose FOLLOW_UPS is hidden: task " + s.lease().taskId());
            }
        }
        return delegate().settle(settlements);
    }
}
