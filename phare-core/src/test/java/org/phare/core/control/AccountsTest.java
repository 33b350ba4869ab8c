package org.phare.core.control;

import org.phare.core.record.IdentityRecord;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.model.AccessKey;
import org.phare.core.model.Account;
import org.phare.core.model.TenantId;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

@DisplayName("accounts and access keys")
class AccountsTest {
    private final CloudState state = new CloudState();
    private static final TenantId ACME = new TenantId("acme");

    private Result apply(Decision d) {
        d.records().forEach(state::replay);
        return d.result();
    }

    private static String code(Result r) {
        return r instanceof Result.Rejected x ? x.code() : "ok";
    }

    private static String code(Decision d) {
        return code(d.result());
    }

    @Test
    @DisplayName("an account, a key, a revocation: each one record, replayed and restored alike")
    void lifecycle() {
        assertThat(code(apply(IdentityWrites.createAccount(state, new Command.CreateAccount(ACME, Account.Role.TENANT), 10)))).isEqualTo("ok");
        Decision key = IdentityWrites.createAccessKey(state, new Command.CreateAccessKey(ACME, "PHKABCDEFGHIJKLMNOPQ", "sealed:xyz"), 20);
        assertThat(key.records()).singleElement().isInstanceOf(IdentityRecord.AccessKeyCreated.class);
        apply(key);
        assertThat(state.accessKeys().get("PHKABCDEFGHIJKLMNOPQ").active()).isTrue();
        assertThat(state.accessKeys().get("PHKABCDEFGHIJKLMNOPQ").toString()).doesNotContain("sealed:xyz");

        Decision revoke = IdentityWrites.revokeAccessKey(state, new Command.RevokeAccessKey("PHKABCDEFGHIJKLMNOPQ"), 30);
        assertThat(revoke.records()).containsExactly(new IdentityRecord.AccessKeyRevoked("PHKABCDEFGHIJKLMNOPQ", 30));
        apply(revoke);
        AccessKey k = state.accessKeys().get("PHKABCDEFGHIJKLMNOPQ");
        assertThat(k.active()).isFalse();
        assertThat(k.revokedAtMs()).isEqualTo(30);
        assertThat(IdentityWrites.revokeAccessKey(state, new Command.RevokeAccessKey(k.id()), 40).records())
                .as("revoking twice changes nothing").isEmpty();

        CloudState restored = CloudState.restore(state.snapshot());
        assertThat(restored.differences(state)).isEmpty();
        assertThat(restored.accounts()).containsKey(ACME);
        assertThat(restored.accessKeys().get(k.id())).isEqualTo(k);
    }

    @Test
    @DisplayName("bad names, duplicates and unknown accounts or keys are refused with stable codes")
    void refusals() {
        apply(IdentityWrites.createAccount(state, new Command.CreateAccount(ACME, Account.Role.TENANT), 1));
        assertThat(code(IdentityWrites.createAccount(state, new Command.CreateAccount(ACME, Account.Role.OPERATOR), 2))).isEqualTo("Conflict");
        assertThat(code(IdentityWrites.createAccount(state, new Command.CreateAccount(new TenantId("Bad_Name"), Account.Role.TENANT), 2)))
                .isEqualTo("InvalidParameterValue");
        assertThat(code(IdentityWrites.createAccessKey(state, new Command.CreateAccessKey(new TenantId("nobody"), "PHKABCDEFGHIJKLMNOPQ", "s"), 3)))
                .isEqualTo("NotFound");
        assertThat(code(IdentityWrites.createAccessKey(state, new Command.CreateAccessKey(ACME, "AKIA123", "s"), 3)))
                .isEqualTo("InvalidParameterValue");
        apply(IdentityWrites.createAccessKey(state, new Command.CreateAccessKey(ACME, "PHKABCDEFGHIJKLMNOPQ", "s"), 3));
        assertThat(code(IdentityWrites.createAccessKey(state, new Command.CreateAccessKey(ACME, "PHKABCDEFGHIJKLMNOPQ", "t"), 4)))
                .isEqualTo("Conflict");
        assertThat(code(IdentityWrites.revokeAccessKey(state, new Command.RevokeAccessKey("PHKZZZZZZZZZZZZZZZZZ"), 5))).isEqualTo("NotFound");
        assertThat(state.accessKeys()).hasSize(1);
        assertThat(List.copyOf(state.accounts().values())).extracting(Account::role).containsExactly(Account.Role.TENANT);
    }
}
