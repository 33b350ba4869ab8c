package org.phare.core.control;

import org.phare.core.record.IdentityRecord;
import java.util.HexFormat;
import java.util.List;
import org.phare.core.model.KeyPair;
import org.phare.core.model.AccessKey;
import org.phare.core.model.Account;
import org.phare.core.placement.Mix;
import org.phare.core.state.CloudState;

/**
 * Writes of who may sign requests and of tenants' key pairs: accounts, access keys, key pairs.
 *
 * <p>Pure: {@code (state, command, now) -> (records, result)}; they validate, decide and return the records to
 * append, never changing the state (the caller replays the records once committed).
 */
public final class IdentityWrites {
    public static final int MAX_KEY_NAME = 255;
    public static final int MAX_KEY_PAIRS_PER_TENANT = 5000;

    private IdentityWrites() {}

    /** Key pair ids: {@code key-} and 17 hex digits, from the key pairs' creation sequence. */
    public static String keyPairId(long salt, long seq) {
        return "key-0" + HexFormat.of().toHexDigits(Mix.mix64(seq ^ salt ^ 0x2545F4914F6CDD1DL));
    }

    /** A new account; its name is the tenant id its resources carry. */
    public static Decision createAccount(CloudState state, Command.CreateAccount c, long nowMs) {
        if (!Account.validName(c.name().value())) {
            return Decision.reject("InvalidParameterValue", "an account name is 1 to 63 lower-case letters, digits or '-',"
                    + " starting with a letter or digit; got '" + c.name() + "'");
        }
        if (state.accounts().containsKey(c.name())) {
            return Decision.reject("Conflict", "account " + c.name() + " already exists");
        }
        Account a = new Account(c.name(), c.role(), nowMs);
        return new Decision(List.of(new IdentityRecord.AccountCreated(a)), Result.ok(a));
    }

    /** A new access key of an existing account (the id and the sealed secret come from the caller). */
    public static Decision createAccessKey(CloudState state, Command.CreateAccessKey c, long nowMs) {
        if (!state.accounts().containsKey(c.account())) {
            return Decision.reject("NotFound", "account " + c.account() + " does not exist (see: phare account ls)");
        }
        if (!AccessKey.validId(c.keyId())) {
            return Decision.reject("InvalidParameterValue", "an access key id is PHK and 17 upper-case letters or digits");
        }
        if (state.accessKeys().containsKey(c.keyId())) {
            return Decision.reject("Conflict", "access key " + c.keyId() + " already exists");
        }
        AccessKey k = new AccessKey(c.keyId(), c.account(), c.sealedSecret(), nowMs, 0);
        return new Decision(List.of(new IdentityRecord.AccessKeyCreated(k)), Result.ok(k));
    }

    /** Revokes a key; revoking a revoked key changes nothing and succeeds. */
    public static Decision revokeAccessKey(CloudState state, Command.RevokeAccessKey c, long nowMs) {
        AccessKey k = state.accessKeys().get(c.keyId());
        if (k == null) {
            return Decision.reject("NotFound", "access key " + c.keyId() + " does not exist (see: phare key ls)");
        }
        return new Decision(k.active() ? List.of(new IdentityRecord.AccessKeyRevoked(k.id(), nowMs)) : List.of(), Result.ok(k.id()));
    }

    public static Decision createKeyPair(CloudState state, Command.CreateKeyPair c, long nowMs) {
        if (c.name() == null || c.name().isEmpty() || c.name().length() > MAX_KEY_NAME
                || !c.name().chars().allMatch(ch -> ch >= 0x20 && ch <= 0x7e)) {
            return Decision.reject("InvalidParameterValue", "a key pair name is 1 to " + MAX_KEY_NAME + " printable ASCII characters");
        }
        if (state.keyPair(c.tenant(), c.name()) != null) {
            return Decision.reject("InvalidKeyPair.Duplicate", "the key pair '" + c.name() + "' already exists");
        }
        if (state.keyPairCount(c.tenant()) >= MAX_KEY_PAIRS_PER_TENANT) {
            return Decision.reject("ResourceLimitExceeded", "an account may hold at most " + MAX_KEY_PAIRS_PER_TENANT + " key pairs");
        }
        KeyPair k = new KeyPair(keyPairId(state.idSalt(), state.keyPairSeq() + 1), c.tenant(), c.name(), c.type(), c.fingerprint(),
                c.publicKey(), nowMs);
        return new Decision(List.of(new IdentityRecord.KeyPairCreated(k)), Result.ok(k));
    }

    public static Decision deleteKeyPair(CloudState state, Command.DeleteKeyPair c) {
        KeyPair k = c.id() != null ? state.keyPairs().get(c.id()) : state.keyPair(c.tenant(), c.name());
        if (k == null || !k.tenant().equals(c.tenant())) {
            return new Decision(List.of(), Result.ok(List.of()));
        }
        return new Decision(List.of(new IdentityRecord.KeyPairDeleted(k.id())), Result.ok(List.of(k.id())));
    }
}
