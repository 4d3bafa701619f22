/** The consumer check as a named module: it reads Drover's API only; Jackson reads its payload records. */
module dev.drover.consumer {
    requires dev.drover.api;
    opens dev.drover.consumer to tools.jackson.databind;
}
