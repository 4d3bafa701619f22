package dev.drover.api.codec;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/** JSON through Jackson 3: the default codec. Records and plain classes work as Jackson maps them. */
public final class JsonCodec<T> implements Codec<T> {
    public static final String NAME = "json";
    private static final JsonMapper DEFAULT_MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final JsonMapper mapper;
    private final JavaType type;

    private JsonCodec(JsonMapper mapper, JavaType type) {
        this.mapper = mapper;
        this.type = type;
    }

    public static <T> JsonCodec<T> of(Class<T> type) {
        return new JsonCodec<>(DEFAULT_MAPPER, DEFAULT_MAPPER.constructType(type));
    }

    public static <T> JsonCodec<T> of(TypeReference<T> type) {
        return new JsonCodec<>(DEFAULT_MAPPER, DEFAULT_MAPPER.constructType(type));
    }

    /** With the application's own mapper (modules, naming strategy...). */
    public static <T> JsonCodec<T> of(JsonMapper mapper, Class<T> type) {
        return new JsonCodec<>(mapper, mapper.constructType(type));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] encode(T value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new PayloadEncodeException("cannot encode a " + type.toCanonical() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public T decode(byte[] bytes) {
        try {
            return mapper.readValue(bytes, type);
        } catch (JacksonException e) {
            throw new PayloadDecodeException("cannot decode " + bytes.length + " bytes as JSON " + type.toCanonical()
                    + ": " + e.getOriginalMessage(), e);
        }
    }
}
