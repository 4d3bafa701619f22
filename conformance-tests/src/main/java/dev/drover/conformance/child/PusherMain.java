package dev.drover.conformance.child;

import dev.drover.api.Drover;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQueue;

/**
 * Pushes tasks from its own process, for the rule that a task pushed by another process is picked up. Arguments:
 * URL, queue, count. It opens the URL with {@link Drover#open}, pushes {@code count} {@link Message}s one by one,
 * prints {@code PUSHED <id>} for each, then {@code END} and exits 0.
 */
public final class PusherMain {
    private PusherMain() {
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: PusherMain <url> <queue> <count>");
            System.exit(64);
        }
        ChildSupport.watchParent();
        int count = Integer.parseInt(args[2]);
        try (Drover drover = Drover.open(args[0])) {
            TaskQueue<Message> queue = drover.queue(args[1], Message.class);
            for (int i = 0; i < count; i++) {
                TaskId id = queue.push(new Message("from pid " + ProcessHandle.current().pid(), i));
                ChildSupport.say("PUSHED " + id);
            }
        }
        ChildSupport.say("END");
        System.exit(0);
    }
}
