package dev.drover.spi;

import dev.drover.api.ConfigurationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendsTest {

    @Test
    void unknownSchemeNamesTheSchemeAndWhatToDo() {
        // The api module has no backend on its class path, so every scheme is unknown here.
        assertThatThrownBy(() -> Backends.open("mysql://u:hunter2@localhost/db"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("\"mysql:\"")
                .hasMessageContaining("no backend is installed")
                .hasMessageNotContaining("hunter2");
    }
}
