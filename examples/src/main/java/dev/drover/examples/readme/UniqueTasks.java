package dev.drover.examples.readme;

import dev.drover.api.Drover;
import dev.drover.api.PushResult;
import dev.drover.api.TaskId;
import dev.drover.api.TaskOptions;
import dev.drover.api.TaskQueue;

import java.time.Duration;
import java.util.List;

public final class UniqueTasks {
    record Invoice(long number) { }

    public static void main(String[] args) {
        try (Drover drover = Drover.open("sqlite:jobs.db")) {
            TaskQueue<Invoice> invoices = drover.queue("invoices", Invoice.class);

            // While invoice-42's task is pending or running, pushing it again stores nothing and returns the same id
            TaskId first = invoices.push(new Invoice(42), TaskOptions.defaults().unique("invoice-42"));
            TaskId again = invoices.push(new Invoice(42), TaskOptions.defaults().unique("invoice-42"));
            System.out.println(first.equals(again));                                  // true

            // At most one reminder per customer an hour, whether or not the last one ran already
            invoices.push(new Invoice(7), TaskOptions.defaults().unique("reminder-customer-7", Duration.ofHours(1)));

            // Until done: a DEAD task keeps the key (requeue it to run it again); a cancelled one frees it
            PushResult result = invoices.pushAllReporting(List.of(new Invoice(43), new Invoice(43)),
                    TaskOptions.defaults().uniqueUntilDone("invoice-43"));
            for (PushResult.Entry e : result.entries()) {
                System.out.println(e.stored() ? "stored " + e.id() : "duplicate of " + e.id());   // stored X, duplicate of X
            }
        }
    }
}
