package org.phare.core.record;

import java.util.List;
import java.util.Map;
import org.phare.core.model.Tag;

/**
 * Tags on resources (instances and key pairs).
 * One family of {@link Record}s: a manager of the state replays it alone (see {@code org.phare.core.state}).
 */
public sealed interface TagRecord extends Record {

    /** Tags set on resources (instances or key pairs), replacing the values of keys already there. */
    record TagsSet(List<String> resources, Map<String, String> tags) implements TagRecord {}

    /** Tags removed from resources: a tag with a null value is removed whatever its value. */
    record TagsDeleted(List<String> resources, List<Tag> tags) implements TagRecord {}
}
