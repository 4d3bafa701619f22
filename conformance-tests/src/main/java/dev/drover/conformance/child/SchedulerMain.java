package dev.drover.conformance.child;

import dev.drover.api.Drover;
import dev.drover.api.worker.Scheduler;

/**
 * A real {@link Scheduler} in its own process, for the rule that schedulers in several processes push exactly one task per
 * tick. Argument: the URL. It prints {@code SCHEDULER} once started and runs until the parent closes it; on the parent's
 * {@code GO} it stops the scheduler and prints {@code PUSHED <n>}, the tasks it pushed.
 */
public final class SchedulerMain {
    private SchedulerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: SchedulerMain <url>");
            System.exit(64);
        }
        ChildSupport support = ChildSupport.watchParent();
        Drover drover = Drover.open(args[0]);
        Scheduler scheduler = drover.scheduler().start();
        ChildSupport.say("SCHEDULER");
        support.awaitGo();
        scheduler.close();
        ChildSupport.say("PUSHED " + scheduler.pushed());
        Thread.currentThread().join();
    }
}
