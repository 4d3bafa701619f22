package dev.drover.benchmarks;

/**
 * A Drover target with metrics, tracing or both bound to each run's Drover ({@code --instrument}): its id is the
 * target's with {@code +metrics}, {@code +tracing} or {@code +metrics+tracing}, so its rows sit beside the bare
 * target's and the harness prints the throughput of each as a fraction of the bare one.
 */
final class InstrumentedTarget implements Target {
    private final DroverTarget target;
    private final Instrumentations instrumentations;

    InstrumentedTarget(DroverTarget target, Instrumentations instrumentations) {
        this.target = target;
        this.instrumentations = instrumentations;
    }

    @Override
    public String id() {
        return target.id() + instrumentations.suffix();
    }

    @Override
    public String summary() {
        return target.summary() + ", with " + instrumentations.description();
    }

    @Override
    public String prepare() throws Exception {
        return target.prepare();
    }

    @Override
    public Integer cap(String scenario) {
        return target.cap(scenario);
    }

    @Override
    public String unsupported(Scenario scenario) {
        if (scenario.workerProcesses()) {
            return "not supported with --instrument: the worker processes would run uninstrumented (the bare target runs it)";
        }
        return target.unsupported(scenario);
    }

    @Override
    public Session open() throws Exception {
        DroverSession session = target.open();
        try {
            session.closeFirst(instrumentations.bind(session.drover()));
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        return session;
    }
}
