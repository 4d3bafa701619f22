package dev.drover.workflow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The inputs of a join, decoded with the types its dependencies were declared with, in the declared order.
 */
public final class Inputs {
    private final List<String> names;
    private final List<Object> values;

    Inputs(List<String> names, List<Object> values) {
        this.names = List.copyOf(names);
        this.values = Collections.unmodifiableList(new ArrayList<>(values)); // values may be null
    }

    public int size() {
        return values.size();
    }

    /** The output of the {@code index}-th dependency (0 for the first declared). */
    public Object get(int index) {
        return values.get(index);
    }

    /** The output of the {@code index}-th dependency, as {@code type}. */
    @SuppressWarnings("unchecked")
    public <T> T get(int index, Class<T> type) {
        return (T) Types.box(type).cast(values.get(index));
    }

    /** The output of dependency {@code node}, as {@code type}. */
    public <T> T get(String node, Class<T> type) {
        int index = names.indexOf(node);
        if (index < 0) throw new IllegalArgumentException("this join does not depend on '" + node + "'; it depends on " + names);
        return get(index, type);
    }

    /** The names of the dependencies, in declared order. */
    public List<String> names() {
        return names;
    }
}
