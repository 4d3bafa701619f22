package dev.drover.spring.boot;

import dev.drover.api.codec.Codec;
import dev.drover.api.codec.JsonCodec;
import tools.jackson.databind.json.JsonMapper;

/**
 * How payloads of a type become bytes: JSON through the application's mapper. On Spring Boot 4 that is its Jackson 3
 * {@code JsonMapper}; on Boot 3.5 its Jackson 2 {@code ObjectMapper} ({@link Jackson2Codecs}); both write the codec
 * name {@code json}, so tasks pushed by one are read by the other. Declare a bean of this type to choose otherwise.
 */
@FunctionalInterface
public interface PayloadCodecs {
    /** The codec of payloads of {@code type}. */
    <T> Codec<T> forType(Class<T> type);

    /** JSON through a Jackson 3 mapper (Drover's own default). */
    static PayloadCodecs jackson3(JsonMapper mapper) {
        return new PayloadCodecs() {
            @Override
            public <T> Codec<T> forType(Class<T> type) {
                return JsonCodec.of(mapper, type);
            }

            @Override
            public String toString() {
                return "JSON through Jackson 3 (" + mapper.getClass().getSimpleName() + ")";
            }
        };
    }
}
