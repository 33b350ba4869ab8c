package org.phare.api;

import com.fasterxml.jackson.annotation.JsonProperty;
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
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;
import org.phare.core.drill.Drill;
import org.phare.core.drill.Fault;
import org.phare.core.drill.Objective;
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
import org.phare.core.record.RecordTypes;
import org.phare.core.state.ClusterManager;
import org.phare.core.state.ComputeManager;
import org.phare.core.state.ContinuityManager;
import org.phare.core.state.DrillManager;
import org.phare.core.state.IdentityManager;
import org.phare.core.state.StateSnapshot;
import org.phare.core.state.TagsManager;
import org.phare.core.state.TopologyManager;

/**
 * The one JSON configuration of Phare. The core stays free of annotations: typed ids travel as plain strings
 * ({@code "h-a-00001"}, not {@code {"value": ...}}), and each {@link Record} carries its kind in a {@code "type"}
 * field, so the log stays readable with {@code jq}. Unknown fields are refused: a typo in a request is an error, not a
 * silent default, and a record with a field this release does not know is one it cannot replay faithfully.
 *
 * <p>A record's kind is its stable type id ({@code "compute.instance-placed/1"}, see {@link RecordTypes}); logs of
 * format 1 name it after its class as the first release did ({@code "InstancePlaced"}). Both are read for ever; which
 * one a batch is written with follows the log format in force ({@link #encodeBatch(List, int)}), so that every member
 * of a group being upgraded reads what the leader writes.
 */
public final class Json {
    /**
     * The parsers' and generators' buffers, shared by every thread. Jackson's default pool keeps them per thread, which
     * on a virtual thread per request means none is ever reused: a loaded leader allocated 8 kB token buffers for
     * every request, 47 % of all it allocated. Bounded: beyond 256 in use at once, a buffer is made and dropped.
     */
    private static final com.fasterxml.jackson.core.util.RecyclerPool<com.fasterxml.jackson.core.util.BufferRecycler> BUFFERS =
            com.fasterxml.jackson.core.util.JsonRecyclerPools.newBoundedPool(256);
    private static final ObjectMapper MAPPER = create(false);
    /** Writes records under the names of log format 1 (their class names). */
    private static final ObjectMapper FORMAT_1 = create(true);
    /** The same mapping in Smile, Jackson's binary JSON: snapshot files from log format 4 on. */
    private static final ObjectMapper SMILE = create(new com.fasterxml.jackson.dataformat.smile.SmileFactory()
            .enable(com.fasterxml.jackson.dataformat.smile.SmileGenerator.Feature.CHECK_SHARED_STRING_VALUES), false);
    private static final TypeReference<List<Record>> BATCH = new TypeReference<>() {};
    private static final ObjectWriter BATCH_WRITER = MAPPER.writerFor(BATCH);
    private static final ObjectWriter BATCH_WRITER_1 = FORMAT_1.writerFor(BATCH);
    private static final ObjectReader BATCH_READER = MAPPER.readerFor(BATCH);

    private Json() {}

    /** The shared, thread-safe mapper. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A batch of records as the durable log stores it, in the current log format. */
    public static byte[] encodeBatch(List<Record> batch) {
        return encodeBatch(batch, RecordTypes.CURRENT_FORMAT);
    }

    /**
     * A batch of records as a log of that format stores it: type ids from format 2 on, class names in format 1.
     *
     * @throws IllegalArgumentException if a record's type is newer than the format (the members of a log of that
     *         format may not read it)
     */
    public static byte[] encodeBatch(List<Record> batch, int logFormat) {
        for (Record r : batch) {
            int since = RecordTypes.since(r);
            if (since > logFormat) {
                throw new IllegalArgumentException("record type " + RecordTypes.of(r.getClass()).id() + " needs log format "
                        + since + ", the log is at format " + logFormat);
            }
        }
        try {
            return (logFormat <= 1 ? BATCH_WRITER_1 : BATCH_WRITER).writeValueAsBytes(batch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a record batch", e);
        }
    }

    /** A batch of records embedded in a larger JSON document. */
    public static List<Record> decodeBatch(com.fasterxml.jackson.databind.JsonNode array) {
        try {
            return BATCH_READER.readValue(array);
        } catch (InvalidTypeIdException e) {
            throw unknownType(e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode a record batch", e);
        }
    }

    public static List<Record> decodeBatch(byte[] bytes) {
        try {
            return BATCH_READER.readValue(bytes);
        } catch (InvalidTypeIdException e) {
            throw unknownType(e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode a record batch", e);
        }
    }

    /** A record this release cannot read: written by a newer one, under a log format this one does not know. */
    public static final class UnknownRecordTypeException extends IllegalArgumentException {
        private final String typeId;

        UnknownRecordTypeException(String typeId, Throwable cause) {
            super("record type '" + typeId + "' is unknown to this release (it reads log formats up to "
                    + RecordTypes.CURRENT_FORMAT + "): a newer release wrote it; run that release on this member", cause);
            this.typeId = typeId;
        }

        public String typeId() {
            return typeId;
        }
    }

    private static UnknownRecordTypeException unknownType(InvalidTypeIdException e) {
        return new UnknownRecordTypeException(e.getTypeId(), e);
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    private interface RecordMixin {}

    /** A state snapshot's sections under their versioned names ({@code "compute/1"}), as {@link StateSnapshot} lists them. */
    private abstract static class StateSnapshotMixin {
        @JsonProperty(StateSnapshot.TOPOLOGY)
        abstract TopologyManager.Section topology();

        @JsonProperty(StateSnapshot.COMPUTE)
        abstract ComputeManager.Section compute();

        @JsonProperty(StateSnapshot.IDENTITY)
        abstract IdentityManager.Section identity();

        @JsonProperty(StateSnapshot.TAGS)
        abstract TagsManager.Section tags();

        @JsonProperty(StateSnapshot.CONTINUITY)
        abstract ContinuityManager.Section continuity();

        @JsonProperty(StateSnapshot.CLUSTER)
        abstract ClusterManager.Section cluster();

        @JsonProperty(StateSnapshot.DRILLS)
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        abstract DrillManager.Section drills();
    }

    /** A drill's faults and objectives, by kind ({@code "kind": "agent"}). */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @com.fasterxml.jackson.annotation.JsonSubTypes({
            @com.fasterxml.jackson.annotation.JsonSubTypes.Type(value = Fault.AgentFault.class, name = "agent"),
            @com.fasterxml.jackson.annotation.JsonSubTypes.Type(value = Fault.LeaderFault.class, name = "leader"),
            @com.fasterxml.jackson.annotation.JsonSubTypes.Type(value = Fault.Absence.class, name = "absence"),
            @com.fasterxml.jackson.annotation.JsonSubTypes.Type(value = Fault.Quarantine.class, name = "quarantine"),
            @com.fasterxml.jackson.annotation.JsonSubTypes.Type(value = Fault.ClosureOrder.class, name = "closure"),
            @com.fasterxml.jackson.annotation.JsonSubTypes.Type(value = Fault.TransportLost.class, name = "transport-lost"),
            @com.fasterxml.jackson.annotation.JsonSubTypes.Type(value = Fault.LevelCheck.class, name = "level-check")})
    private interface FaultMixin {}

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @com.fasterxml.jackson.annotation.JsonSubTypes({
            @com.fasterxml.jackson.annotation.JsonSubTypes.Type(value = Objective.OutageWithin.class, name = "outage-within"),
            @com.fasterxml.jackson.annotation.JsonSubTypes.Type(value = Objective.NoManualIntervention.class, name = "no-manual-intervention"),
            @com.fasterxml.jackson.annotation.JsonSubTypes.Type(value = Objective.FunctionsCovered.class, name = "functions-covered"),
            @com.fasterxml.jackson.annotation.JsonSubTypes.Type(value = Objective.LevelReached.class, name = "level-reached")})
    private interface ObjectiveMixin {}

    /**
     * A reply leaves out a drill order it does not carry: an agent of a release without drills reads every reply that
     * carries none (the mapper refuses unknown fields).
     */
    private abstract static class ReplyMixin {
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        abstract org.phare.core.agent.Protocol.DrillOrder drill();

        /** Sent only to an agent that takes changes; left out otherwise, for an agent of an earlier release. */
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        abstract org.phare.core.agent.Protocol.DesiredChanges desiredChanges();
    }

    /**
     * A heartbeat leaves out what an agent sends only to a controller that takes changes: one of an earlier release
     * reads every heartbeat without them (the mapper refuses unknown fields).
     */
    private abstract static class HeartbeatMixin {
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        abstract org.phare.core.agent.Protocol.ObservedChanges runningChanges();

        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        abstract Boolean takesChanges();
    }

    /** Derived views of a drill, not data. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties({"durationMs", "touchesLeader"})
    private interface DrillMixin {}

    /**
     * {@link #mapper()}'s mapping in Smile (binary JSON, with repeated names and short strings written once): what
     * snapshot files are written in once the log format holds it; a Smile document starts with {@code :)\n}.
     */
    public static ObjectMapper smile() {
        return SMILE;
    }

    private static ObjectMapper create(boolean format1) {
        return create(new com.fasterxml.jackson.core.JsonFactory(), format1);
    }

    private static ObjectMapper create(com.fasterxml.jackson.core.JsonFactory factory, boolean format1) {
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
        factory.setRecyclerPool(BUFFERS);
        ObjectMapper mapper = new ObjectMapper(factory)
                .registerModule(ids)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .addMixIn(Record.class, RecordMixin.class)
                .addMixIn(StateSnapshot.class, StateSnapshotMixin.class)
                .addMixIn(Fault.class, FaultMixin.class)
                .addMixIn(Objective.class, ObjectiveMixin.class)
                .addMixIn(Drill.class, DrillMixin.class)
                .addMixIn(org.phare.core.agent.Protocol.Reply.class, ReplyMixin.class)
                .addMixIn(org.phare.core.agent.Protocol.Heartbeat.class, HeartbeatMixin.class);
        for (RecordTypes.Type t : RecordTypes.all()) {
            if (format1) {
                // Only the names of format 1; the types format 1 does not have are refused by encodeBatch.
                if (t.legacyName() != null) {
                    mapper.registerSubtypes(new NamedType(t.kind(), t.legacyName()));
                }
            } else {
                // The id is written; the name of format 1 is read too.
                mapper.registerSubtypes(new NamedType(t.kind(), t.id()));
            }
        }
        if (!format1) {
            for (RecordTypes.Type t : RecordTypes.all()) {
                if (t.legacyName() != null) {
                    mapper.registerSubtypes(new NamedType(t.kind(), t.legacyName()));
                }
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
