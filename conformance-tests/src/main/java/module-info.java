/**
 * The Drover conformance kit: abstract JUnit suites a backend's tests extend ({@code dev.drover.conformance}), and the
 * child-process mains its multi-process rules start. Open, so that JUnit can reach the suites' nested groups.
 */
open module dev.drover.conformance {
    requires transitive dev.drover.api;
    requires transitive dev.drover.workflow;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;

    exports dev.drover.conformance;
    exports dev.drover.conformance.child;
    exports dev.drover.conformance.workflow;
}
