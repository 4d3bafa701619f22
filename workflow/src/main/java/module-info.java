/** Sequences and DAGs of durable Drover tasks, built on completions' follow-ups. */
module dev.drover.workflow {
    requires transitive dev.drover.api;
    requires org.slf4j;

    exports dev.drover.workflow;
    opens dev.drover.workflow to tools.jackson.databind; // step envelopes are records read and written as JSON
}
