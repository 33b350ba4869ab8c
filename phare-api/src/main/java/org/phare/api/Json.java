package org.phare.api;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;
import org.phare.core.model.GroupId;
import org.phare.core.model.HostId;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.RegionId;
import org.phare.core.model.SiteId;
import org.phare.core.model.TenantId;
import org.phare.core.model.ZoneId;
import org.phare.core.record.Record;

/**
 * The one JSON configuration of Phare. The core stays free of annotations: typed ids travel as plain strings
 * ({@code "h-a-00001"}, not {@code {"value": ...}}), and each {@link Record} carries its kind in a
 * {@code "type"} field named after its class ({@code "InstancePlaced"}), so the log stays readable with
 * {@code jq}. Unknown fields are refused: a typo in a request is an error, not a silent default.
 */
public final class Json {
    private static final ObjectMapper MAPPER = create();
    private static final TypeReference<List<Record>> BATCH = new TypeReference<>() {};
    private static final ObjectWriter BATCH_WRITER = MAPPER.writerFor(BATCH);
    private static final ObjectReader BATCH_READER = MAPPER.readerFor(BATCH);

    private Json() {}

    /** The shared, thread-safe mapper. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A batch of records as the durable log stores it. */
    public static byte[] encodeBatch(List<Record> batch) {
        try {
            return BATCH_WRITER.writeValueAsBytes(batch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a record batch", e);
        }
    }

    /** A batch of records embedded in a larger JSON document. */
    public static List<Record> decodeBatch(com.fasterxml.jackson.databind.JsonNode array) {
        try {
            return BATCH_READER.readValue(array);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode a record batch", e);
        }
    }

    public static List<Record> decodeBatch(byte[] bytes) {
        try {
            return BATCH_READER.readValue(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode a record batch", e);
        }
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    private interface RecordMixin {}

    private static ObjectMapper create() {
        SimpleModule ids = new SimpleModule("phare-ids");
        id(ids, RegionId.class, RegionId::new, RegionId::value);
        id(ids, ZoneId.class, ZoneId::new, ZoneId::value);
        id(ids, SiteId.class, SiteId::new, SiteId::value);
        id(ids, HostId.class, HostId::new, HostId::value);
        id(ids, InstanceId.class, InstanceId::new, InstanceId::value);
        id(ids, InstanceTypeId.class, InstanceTypeId::new, InstanceTypeId::value);
        id(ids, ImageId.class, ImageId::new, ImageId::value);
        id(ids, TenantId.class, TenantId::new, TenantId::value);
        id(ids, GroupId.class, GroupId::new, GroupId::value);
        ObjectMapper mapper = new ObjectMapper()
                .registerModule(ids)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .addMixIn(Record.class, RecordMixin.class);
        for (Class<?> kind : Record.class.getPermittedSubclasses()) {
            if (kind.isRecord()) {
                mapper.registerSubtypes(new NamedType(kind, kind.getSimpleName()));
            }
        }
        return mapper;
    }

    private static <T> void id(SimpleModule module, Class<T> type, Function<String, T> parse, Function<T, String> text) {
        module.addSerializer(type, new JsonSerializer<T>() {
            @Override
            public void serialize(T value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(text.apply(value));
            }
        });
        module.addDeserializer(type, new JsonDeserializer<T>() {
            @Override
            public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                if (p.currentToken() != JsonToken.VALUE_STRING) {
                    return type.cast(ctxt.handleUnexpectedToken(type, p));
                }
                try {
                    return parse.apply(p.getText());
                } catch (IllegalArgumentException e) {
                    return type.cast(ctxt.handleWeirdStringValue(type, p.getText(), e.getMessage()));
                }
            }
        });
    }
}
