package org.phare.core.state;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.phare.core.model.AccessKey;
import org.phare.core.model.Account;
import org.phare.core.model.KeyPair;
import org.phare.core.model.TenantId;
import org.phare.core.record.IdentityRecord;

/**
 * Who may sign requests, and tenants' key pairs: accounts, their access keys (sealed secrets only), key pairs (public
 * halves only). Replays {@link IdentityRecord}s alone; its snapshot section is {@link Section}.
 */
public final class IdentityManager {
    private final Map<TenantId, Account> accounts = new TreeMap<>();
    private final Map<String, AccessKey> accessKeys = new TreeMap<>();
    private final Map<String, KeyPair> keyPairs = new TreeMap<>();
    /** Each tenant's key pairs by name. Derived from {@code keyPairs}. */
    private final Map<TenantId, Map<String, KeyPair>> keyPairsByName = new HashMap<>();
    private long keyPairSeq;

    /** The identity snapshot section ({@code identity/1}). */
    public record Section(List<Account> accounts, List<AccessKey> accessKeys, List<KeyPair> keyPairs, long keyPairSeq) {
        public static final Section EMPTY = new Section(null, null, null, 0);

        public Section {
            accounts = accounts == null ? List.of() : List.copyOf(accounts);
            accessKeys = accessKeys == null ? List.of() : List.copyOf(accessKeys);
            keyPairs = keyPairs == null ? List.of() : List.copyOf(keyPairs);
        }
    }

    void replay(IdentityRecord record) {
        switch (record) {
            case IdentityRecord.AccountCreated r -> accounts.putIfAbsent(r.account().name(), r.account());
            case IdentityRecord.AccessKeyCreated r -> accessKeys.putIfAbsent(r.key().id(), r.key());
            case IdentityRecord.AccessKeyRevoked r -> accessKeys.computeIfPresent(r.keyId(),
                    (id, k) -> k.active() ? k.revoked(r.atMs()) : k);
            case IdentityRecord.KeyPairCreated r -> {
                keyPairSeq++;
                if (keyPairs.putIfAbsent(r.keyPair().id(), r.keyPair()) == null) {
                    keyPairsByName.computeIfAbsent(r.keyPair().tenant(), t -> new HashMap<>()).put(r.keyPair().name(), r.keyPair());
                }
            }
            case IdentityRecord.KeyPairDeleted r -> {
                KeyPair gone = keyPairs.remove(r.keyPairId());
                if (gone != null) {
                    keyPairsByName.get(gone.tenant()).remove(gone.name());
                }
            }
        }
    }

    Section section() {
        return new Section(List.copyOf(accounts.values()), List.copyOf(accessKeys.values()), List.copyOf(keyPairs.values()),
                keyPairSeq);
    }

    static IdentityManager restore(Section s) {
        IdentityManager m = new IdentityManager();
        s.accounts().forEach(a -> Snapshots.putNew(m.accounts, a.name(), a, "account"));
        for (AccessKey k : s.accessKeys()) {
            if (!m.accounts.containsKey(k.account())) {
                throw new IllegalArgumentException("access key " + k.id() + " belongs to unknown account " + k.account());
            }
            Snapshots.putNew(m.accessKeys, k.id(), k, "access key");
        }
        for (KeyPair k : s.keyPairs()) {
            Snapshots.putNew(m.keyPairs, k.id(), k, "key pair");
            m.keyPairsByName.computeIfAbsent(k.tenant(), t -> new HashMap<>()).put(k.name(), k);
        }
        m.keyPairSeq = s.keyPairSeq();
        return m;
    }

    void differences(IdentityManager other, List<String> diffs) {
        Snapshots.compare(diffs, "accounts", accounts, other.accounts);
        Snapshots.compare(diffs, "accessKeys", accessKeys, other.accessKeys);
        Snapshots.compare(diffs, "keyPairs", keyPairs, other.keyPairs);
        if (keyPairSeq != other.keyPairSeq) {
            diffs.add("keyPairSeq " + keyPairSeq + " != " + other.keyPairSeq);
        }
    }

    Map<TenantId, Account> accounts() {
        return Collections.unmodifiableMap(accounts);
    }

    Map<String, AccessKey> accessKeys() {
        return Collections.unmodifiableMap(accessKeys);
    }

    Map<String, KeyPair> keyPairs() {
        return Collections.unmodifiableMap(keyPairs);
    }

    KeyPair keyPair(TenantId tenant, String name) {
        Map<String, KeyPair> mine = keyPairsByName.get(tenant);
        return mine == null ? null : mine.get(name);
    }

    int keyPairCount(TenantId tenant) {
        Map<String, KeyPair> mine = keyPairsByName.get(tenant);
        return mine == null ? 0 : mine.size();
    }

    long keyPairSeq() {
        return keyPairSeq;
    }
}
