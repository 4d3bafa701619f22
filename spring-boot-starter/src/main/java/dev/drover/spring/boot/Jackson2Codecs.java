package dev.drover.spring.boot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.api.codec.PayloadDecodeException;
import dev.drover.api.codec.PayloadEncodeException;
import dev.drover.api.codec.Codec;
import dev.drover.api.codec.JsonCodec;

import java.io.IOException;
import java.util.Objects;

/** JSON payloads through a Jackson 2 {@code ObjectMapper}: the application's own, on Spring Boot 3.5. */
public final class Jackson2Codecs implements PayloadCodecs {
    private final ObjectMapper mapper;

    public Jackson2Codecs(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    @Override
    public <T> Codec<T> forType(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return new Codec<>() {
            @Override
            public String name() {
                return JsonCodec.NAME;
            }

            @Override
            public byte[] encode(T value) {
                try {
                    return mapper.writeValueAsBytes(value);
                } catch (JsonProcessingException e) {
                    throw new PayloadEncodeException("cannot write a " + type.getName() + " as JSON: " + e.getOriginalMessage(), e);
                }
            }

            @Override
            public T decode(byte[] bytes) {
                try {
                    return mapper.readValue(bytes, type);
                } catch (IOException e) {
                    throw new PayloadDecodeException("cannot read the payload as a " + type.getName() + ": " + e.getMessage(), e);
                }
            }

            @Override
            public String toString() {
                return "JSON (Jackson 2) of " + type.getName();
            }
        };
    }

    @Override
    public String toString() {
        return "JSON through Jackson 2 (" + mapper.getClass().getSimpleName() + ")";
    }
}
