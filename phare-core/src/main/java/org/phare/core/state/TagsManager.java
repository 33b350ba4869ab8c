package org.phare.core.state;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.phare.core.model.Tag;
import org.phare.core.record.TagRecord;

/**
 * Tags on resources (instances and key pairs), each resource's tags sorted by key. Replays {@link TagRecord}s; the
 * tags of a resource that is deleted go with it ({@link #forget}). Its snapshot section is {@link Section}.
 */
public final class TagsManager {
    private final Map<String, TreeMap<String, String>> tags = new TreeMap<>();

    /** The tags of one resource. */
    public record ResourceTags(String resource, Map<String, String> tags) {
        public ResourceTags {
            Objects.requireNonNull(resource, "resource");
            tags = Map.copyOf(tags);
        }
    }

    /** The tags snapshot section ({@code tags/1}). */
    public record Section(List<ResourceTags> tags) {
        public static final Section EMPTY = new Section(null);

        public Section {
            tags = tags == null ? List.of() : List.copyOf(tags);
        }
    }

    void replay(TagRecord record) {
        switch (record) {
            case TagRecord.TagsSet r -> {
                for (String resource : r.resources()) {
                    tags.computeIfAbsent(resource, k -> new TreeMap<>()).putAll(r.tags());
                }
            }
            case TagRecord.TagsDeleted r -> {
                for (String resource : r.resources()) {
                    TreeMap<String, String> on = tags.get(resource);
                    if (on == null) {
                        continue;
                    }
                    for (Tag t : r.tags()) {
                        if (t.value() == null || t.value().equals(on.get(t.key()))) {
                            on.remove(t.key());
                        }
                    }
                    if (on.isEmpty()) {
                        tags.remove(resource);
                    }
                }
            }
        }
    }

    /** The resource is gone (a key pair deleted, an instance of a trial rolled back): its tags with it. */
    void forget(String resource) {
        tags.remove(resource);
    }

    Section section() {
        return new Section(tags.entrySet().stream().map(e -> new ResourceTags(e.getKey(), e.getValue())).toList());
    }

    static TagsManager restore(Section s) {
        TagsManager m = new TagsManager();
        for (ResourceTags t : s.tags()) {
            if (m.tags.putIfAbsent(t.resource(), new TreeMap<>(t.tags())) != null) {
                throw new IllegalArgumentException("the snapshot holds the tags of " + t.resource() + " twice");
            }
        }
        return m;
    }

    void differences(TagsManager other, List<String> diffs) {
        Snapshots.compare(diffs, "tags", tags, other.tags);
    }

    Map<String, String> tags(String resource) {
        TreeMap<String, String> on = tags.get(resource);
        return on == null ? Map.of() : Collections.unmodifiableMap(on);
    }

    Map<String, ? extends Map<String, String>> all() {
        return Collections.unmodifiableMap(tags);
    }
}
