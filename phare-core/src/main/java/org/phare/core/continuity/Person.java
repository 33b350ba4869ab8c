package org.phare.core.continuity;

import java.util.List;

/**
 * A member of staff as the roster gives them.
 *
 * @param site   their home site (an office or a datacenter of the plan)
 * @param vpn    has VPN access
 * @param mfa    is enrolled in MFA; remote-ready means both
 * @param atRisk health data, given with consent: only the {@code hr} role reads it
 * @param status {@code onsite}, {@code remote}, {@code absent} or {@code quarantined}
 */
public record Person(String id, String name, List<String> roles, String site, boolean vpn, boolean mfa, boolean atRisk,
                     String status) {
    public static final List<String> STATUSES = List.of("onsite", "remote", "absent", "quarantined");

    public Person {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    public boolean remoteReady() {
        return vpn && mfa;
    }

    /** Absent or quarantined: counts for nothing, whatever the level. */
    public boolean unavailable() {
        return "absent".equals(status) || "quarantined".equals(status);
    }

    public Person withStatus(String newStatus) {
        return new Person(id, name, roles, site, vpn, mfa, atRisk, newStatus);
    }
}
