package dev.drover.examples.spring;

/** The task pushed when an order is placed: send its confirmation. */
public record OrderPlaced(String orderId, String email) { }
