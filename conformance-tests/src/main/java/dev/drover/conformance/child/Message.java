package dev.drover.conformance.child;

/** The JSON payload of the kit's worker tests and child processes. */
public record Message(String text, int n) {
}
