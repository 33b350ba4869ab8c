package org.phare.core.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A customer of the cloud (a tenant: its instances, key pairs and tags are its own) or an operator (sees and
 * changes every tenant's resources). The name is the tenant id.
 */
public record Account(TenantId name, Role role, long createdAtMs) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** What an account may do. */
    public enum Role {
        /** Its own resources only. */
        TENANT,
        /** Every tenant's resources, and the cloud's topology, hosts and members. */
        OPERATOR,
        /** A host's agent: the agent protocol only. */
        AGENT,
        /** The crisis cell: reads and changes the continuity plan. */
        CRISIS,
        /** Human resources: reads the plan (and, with the roster, the one role allowed to read health data). */
        HR,
        /** An auditor: reads the plan and its history. */
        AUDITOR
    }

    public Account {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        if (!validName(name.value())) {
            throw new IllegalArgumentException("an account name is 1 to 63 lower-case letters, digits or '-', starting with"
                    + " a letter or digit; got '" + name + "'");
        }
    }

    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
