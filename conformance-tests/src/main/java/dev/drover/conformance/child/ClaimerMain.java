package dev.drover.conformance.child;

import dev.drover.api.QueueName;
import dev.drover.api.StorageException;
import dev.drover.api.WorkerId;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.LeaseToken;
import dev.drover.spi.Settlement;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A claimer in its own process, for the rule that leases are exclusive across processes. Arguments: URL, queue,
 * lease in milliseconds, batch size, pause in milliseconds. It opens the backend, prints {@code READY}, waits for the
 * parent's {@code GO}, then claims batches until a claim comes back empty, completing each batch under its leases
 * and pausing after it (the batch's "work", which lets the other claimers in). It prints
 * {@code CLAIMED id id ...} for every batch (before completing it), {@code NOTAPPLIED id} for a completion that
 * was refused, and {@code END claimed=<n> transientFailures=<n>} before it exits 0. Any other failure: exit 1.
 */
public final class ClaimerMain {
    private ClaimerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: ClaimerMain <url> <queue> <leaseMillis> <batch> <pauseMillis>");
            System.exit(64);
        }
        ChildSupport support = ChildSupport.watchParent();
        QueueName queue = QueueName.of(args[1]);
        Duration lease = Duration.ofMillis(Long.parseLong(args[2]));
        int batch = Integer.parseInt(args[3]);
        long pauseMillis = Long.parseLong(args[4]);
        WorkerId me = new WorkerId("kit-claimer-" + ProcessHandle.current().pid());
        int claimed = 0;
        int transientFailures = 0;
        try (Backend backend = Backends.open(args[0])) {
            ChildSupport.say("READY " + me);
            support.awaitGo();
            while (true) {
                List<ClaimedTask> got;
                try {
                    got = backend.claim(queue, me, batch, lease);
                } catch (StorageException e) {
                    if (!e.isTransient() || ++transientFailures > 200) throw e;
                    Thread.sleep(5L * Math.min(transientFailures, 20));
                    continue;
                }
                if (got.isEmpty()) break;
                claimed += got.size();
                StringBuilder line = new StringBuilder("CLAIMED");
                List<Settlement> done = new ArrayList<>(got.size());
                for (ClaimedTask task : got) {
                    line.append(' ').append(task.task().id());
                    done.add(new Settlement.Complete(task.lease(), null));
                }
                ChildSupport.say(line.toString());
                Set<LeaseToken> applied = settle(backend, done);
                for (ClaimedTask task : got) {
                    if (!applied.contains(task.lease().token())) ChildSupport.say("NOTAPPLIED " + task.task().id());
                }
                Thread.sleep(pauseMillis);
            }
        }
        ChildSupport.say("END claimed=" + claimed + " transientFailures=" + transientFailures);
        System.exit(0);
    }

    private static Set<LeaseToken> settle(Backend backend, List<Settlement> settlements) throws InterruptedException {
        for (int failures = 1; ; failures++) {
            try {
                return backend.settle(settlements);
            } catch (StorageException e) {
                if (!e.isTransient() || failures > 200) throw e;
                Thread.sleep(5L * Math.min(failures, 20));
            }
        }
    }
}
