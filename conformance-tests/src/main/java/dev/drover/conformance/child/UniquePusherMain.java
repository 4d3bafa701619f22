package dev.drover.conformance.child;

import dev.drover.api.Drover;
import dev.drover.api.PushResult;
import dev.drover.api.TaskOptions;
import dev.drover.api.TaskQueue;

import java.util.List;

/**
 * Pushes tasks with unique keys from its own process, for the rule that concurrent pushes of one key from several
 * processes store one task (W24). Arguments: URL, queue, key prefix, key count. It opens the URL, prints {@code READY},
 * waits for the parent's {@code GO}, then pushes one {@link Message} per key {@code <prefix><i>} (i from 0 to count-1,
 * starting at a place of its own so the processes meet on every key), printing {@code PUSHED <key> <id> stored|duplicate}
 * for each, then {@code END}, and exits 0.
 */
public final class UniquePusherMain {
    private UniquePusherMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: UniquePusherMain <url> <queue> <key prefix> <key count>");
            System.exit(64);
        }
        ChildSupport support = ChildSupport.watchParent();
        int count = Integer.parseInt(args[3]);
        long pid = ProcessHandle.current().pid();
        try (Drover drover = Drover.open(args[0])) {
            TaskQueue<Message> queue = drover.queue(args[1], Message.class);
            ChildSupport.say("READY");
            support.awaitGo();
            int start = (int) (pid % count);
            for (int n = 0; n < count; n++) {
                String key = args[2] + ((start + n) % count);
                PushResult.Entry e = queue.pushAllReporting(List.of(new Message("from pid " + pid, n)), TaskOptions.defaults().unique(key))
                        .entries().getFirst();
                ChildSupport.say("PUSHED " + key + " " + e.id() + " " + (e.stored() ? "stored" : "duplicate"));
            }
        }
        ChildSupport.say("END");
        System.exit(0);
    }
}
