package org.phare.server.auth;

import org.phare.core.model.Account;

/**
 * What a role may do with the cloud's compute side — instances with their tags and key pairs, and the catalogue
 * they are run from — whichever API it asks through. The native API and the EC2 API both ask here, so that a key
 * refused on one is refused on the other. Whose instances a permitted role reaches is
 * {@link Authenticator.Principal#sees}: a tenant its own, an operator every tenant's.
 */
public enum Compute {
    /** Regions, zones, instance types, images (and EC2's account attributes). */
    READ_CATALOGUE,
    /** Define regions, zones, instance types, images. */
    DEFINE_CATALOGUE,
    /** List and describe instances, their status, their tags, key pairs. */
    READ_INSTANCES,
    /** Run, start, stop, reboot, terminate; create and delete tags and key pairs. */
    CHANGE_INSTANCES;

    public boolean allows(Account.Role role) {
        return switch (role) {
            case OPERATOR -> true;
            case TENANT -> this != DEFINE_CATALOGUE;
            // Agents speak the agent protocol; the crisis cell, HR and auditors work on the continuity plan. None of
            // them reads or changes instances, and none needs the catalogue to.
            case AGENT, CRISIS, HR, AUDITOR -> false;
        };
    }
}
