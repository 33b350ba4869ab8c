package org.phare.core.control;

import org.phare.core.record.TagRecord;
import java.util.List;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceId;
import org.phare.core.model.KeyPair;
import org.phare.core.model.Tag;
import org.phare.core.model.TenantId;
import org.phare.core.state.CloudState;

/**
 * Writes of tags on instances and key pairs, with EC2's limits.
 *
 * <p>Pure: {@code (state, command, now) -> (records, result)}; they validate, decide and return the records to
 * append, never changing the state (the caller replays the records once committed).
 */
public final class TagWrites {
    /** EC2's limits: 50 tags per resource, keys of 128 characters and values of 256. */
    public static final int MAX_TAGS_PER_RESOURCE = 50;
    public static final int MAX_TAG_KEY = 128;
    public static final int MAX_TAG_VALUE = 256;

    private TagWrites() {}

    public static Decision createTags(CloudState state, Command.CreateTags c) {
        Result.Rejected bad = requireResources(state, c.tenant(), c.resources());
        if (bad == null) {
            bad = validateTags(c.tags());
        }
        if (bad != null) {
            return new Decision(List.of(), bad);
        }
        for (String r : c.resources()) {
            java.util.Set<String> keys = new java.util.HashSet<>(state.tags(r).keySet());
            keys.addAll(c.tags().keySet());
            if (keys.size() > MAX_TAGS_PER_RESOURCE) {
                return Decision.reject("TagLimitExceeded", "resource " + r + " would have " + keys.size()
                        + " tags; the limit is " + MAX_TAGS_PER_RESOURCE);
            }
        }
        return new Decision(List.of(new TagRecord.TagsSet(List.copyOf(c.resources()), new java.util.TreeMap<>(c.tags()))),
                Result.ok(c.resources()));
    }

    public static Decision deleteTags(CloudState state, Command.DeleteTags c) {
        Result.Rejected bad = requireResources(state, c.tenant(), c.resources());
        if (bad != null) {
            return new Decision(List.of(), bad);
        }
        List<Tag> tags = c.tags();
        if (tags.isEmpty()) {
            // EC2: no tag named removes every tag of the resources.
            java.util.Set<String> keys = new java.util.TreeSet<>();
            c.resources().forEach(r -> keys.addAll(state.tags(r).keySet()));
            tags = keys.stream().map(k -> new Tag(k, null)).toList();
        }
        return new Decision(tags.isEmpty() ? List.of() : List.of(new TagRecord.TagsDeleted(List.copyOf(c.resources()), tags)),
                Result.ok(c.resources()));
    }

    /** Tag keys of 1 to 128 characters not starting with {@code aws:}, values of at most 256, at most 50 tags. */
    static Result.Rejected validateTags(java.util.Map<String, String> tags) {
        if (tags.size() > MAX_TAGS_PER_RESOURCE) {
            return new Result.Rejected("TagLimitExceeded", "at most " + MAX_TAGS_PER_RESOURCE + " tags per resource, got " + tags.size());
        }
        for (var t : tags.entrySet()) {
            if (t.getKey().isEmpty() || t.getKey().length() > MAX_TAG_KEY) {
                return new Result.Rejected("InvalidParameterValue", "a tag key is 1 to " + MAX_TAG_KEY + " characters, got '" + t.getKey() + "'");
            }
            if (t.getKey().regionMatches(true, 0, "aws:", 0, 4)) {
                return new Result.Rejected("InvalidParameterValue", "tag keys starting with 'aws:' are reserved");
            }
            if (t.getValue() == null || t.getValue().length() > MAX_TAG_VALUE) {
                return new Result.Rejected("InvalidParameterValue", "a tag value is 0 to " + MAX_TAG_VALUE + " characters (tag '" + t.getKey() + "')");
            }
        }
        return null;
    }

    /**
     * Every resource exists and belongs to {@code tenant} (null: any); another tenant's resource is refused exactly
     * like a missing one.
     */
    static Result.Rejected requireResources(CloudState state, TenantId tenant, List<String> resources) {
        if (resources.isEmpty()) {
            return new Result.Rejected("MissingParameter", "at least one resource id is required");
        }
        for (String r : resources) {
            if (r.startsWith("i-")) {
                Instance i = state.instances().get(new InstanceId(r));
                if (i == null || (tenant != null && !i.tenant().equals(tenant))) {
                    return new Result.Rejected("InvalidInstanceID.NotFound", "the instance ID '" + r + "' does not exist");
                }
            } else if (r.startsWith("key-")) {
                KeyPair k = state.keyPairs().get(r);
                if (k == null || (tenant != null && !k.tenant().equals(tenant))) {
                    return new Result.Rejected("InvalidKeyPair.NotFound", "the key pair '" + r + "' does not exist");
                }
            } else {
                return new Result.Rejected("InvalidID", "the ID '" + r + "' is not valid (instances i-..., key pairs key-...)");
            }
        }
        return null;
    }
}
