package org.phare.core.record;

import org.phare.core.model.KeyPair;
import org.phare.core.model.AccessKey;
import org.phare.core.model.Account;

/**
 * Who may sign requests: accounts and their access keys, and tenants' key pairs.
 * One family of {@link Record}s: a manager of the state replays it alone (see {@code org.phare.core.state}).
 */
public sealed interface IdentityRecord extends Record {

    /** An account (tenant or operator) was created. */
    record AccountCreated(Account account) implements IdentityRecord {}

    /** An access key was issued to an account; its secret travels sealed. */
    record AccessKeyCreated(AccessKey key) implements IdentityRecord {}

    /** An access key was revoked: requests signed with it are refused from now on. */
    record AccessKeyRevoked(String keyId, long atMs) implements IdentityRecord {}

    /** A tenant's key pair was created or imported (its public half only). */
    record KeyPairCreated(KeyPair keyPair) implements IdentityRecord {}

    record KeyPairDeleted(String keyPairId) implements IdentityRecord {}
}
