package dev.drover.examples.spring;

import dev.drover.spring.boot.DroverHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Sends order confirmations: the handler of queue order_emails, run by a worker that starts and stops with the application. */
@Component
public class OrderEmails {
    private static final Logger LOG = LoggerFactory.getLogger(OrderEmails.class);
    private final List<String> sent = new CopyOnWriteArrayList<>();

    @DroverHandler("order_emails")
    public void send(OrderPlaced order) throws InterruptedException {
        if (order.email().startsWith("slow")) Thread.sleep(60_000);   // a long send, to show a graceful shutdown
        LOG.info("sent the confirmation of order {} to {}", order.orderId(), order.email());
        sent.add(order.orderId());
    }

    /** The orders whose confirmation was sent by this process. */
    public List<String> sent() {
        return List.copyOf(sent);
    }
}
