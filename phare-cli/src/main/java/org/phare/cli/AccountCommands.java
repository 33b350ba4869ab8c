package org.phare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code phare account} and {@code phare key}: tenants, operators and their access keys. */
final class AccountCommands {
    private AccountCommands() {}

    static final String[] ACCOUNT_COLUMNS = {"name", "role", "createdAt"};
    static final String[] KEY_COLUMNS = {"accessKeyId", "account", "state", "createdAt", "revokedAt"};

    @Command(name = "account", mixinStandardHelpOptions = true, description = "Accounts: tenants (their own resources), operators (all of them) and agents (hosts).",
            subcommands = {AccountCreate.class, AccountLs.class})
    static final class Account {}

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates an account.",
            footer = {"", "Example:", "  phare account create acme"})
    static final class AccountCreate extends ClientCommands.ClientCommand {
        @Parameters(paramLabel = "NAME", description = "1 to 63 lower-case letters, digits or '-'.")
        String name;
        @Option(names = "--role", defaultValue = "tenant", paramLabel = "ROLE", description = "tenant (its own instances,"
                + " key pairs and tags), operator (every tenant's, the hosts, the topology, the accounts) or agent (a host's"
                + " agent: the agent protocol only). Default: ${DEFAULT-VALUE}.")
        String role;

        @Option(names = "--operator", description = "Same as --role operator.")
        boolean operator;

        @Override
        void run(ApiClient api) {
            JsonNode a = api.post("/v1/accounts", Map.of("name", name, "role", operator ? "operator" : role));
            Output.print(out(), connection.output, List.of(a), ACCOUNT_COLUMNS);
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists accounts.")
    static final class AccountLs extends ClientCommands.ClientCommand {
        @Override
        void run(ApiClient api) {
            List<JsonNode> rows = new ArrayList<>();
            api.get("/v1/accounts").forEach(rows::add);
            Output.print(out(), connection.output, rows, ACCOUNT_COLUMNS);
        }
    }

    @Command(name = "key", mixinStandardHelpOptions = true, description = "Access keys: create, list, revoke.", subcommands = {KeyCreate.class, KeyLs.class, KeyRevoke.class})
    static final class Key {}

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Issues an access key to an account. The secret is printed now and never again (the cloud"
                + " keeps it sealed): store it, e.g. in ~/.aws/credentials for the AWS CLI.",
            footer = {"", "Example:", "  phare key create --account acme --output json   # accessKeyId, secretAccessKey"})
    static final class KeyCreate extends ClientCommands.ClientCommand {
        @Option(names = "--account", required = true, description = "The account that owns the key.")
        String account;

        @Override
        void run(ApiClient api) {
            JsonNode k = api.post("/v1/accounts/" + account + "/keys", Map.of());
            if ("json".equals(connection.output)) {
                Output.json(out(), k);
                return;
            }
            Output.print(out(), connection.output, List.of(k), "accessKeyId", "account", "secretAccessKey");
            out().println("The secret is shown only this once.");
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists access keys (never their secrets).")
    static final class KeyLs extends ClientCommands.ClientCommand {
        @Option(names = "--account", description = "Only this account's keys.")
        String account;

        @Override
        void run(ApiClient api) {
            List<JsonNode> rows = new ArrayList<>();
            api.get("/v1/keys" + (account == null ? "" : "?account=" + account)).forEach(rows::add);
            Output.print(out(), connection.output, rows, KEY_COLUMNS);
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes an access key: its requests are refused from now on.")
    static final class KeyRevoke extends ClientCommands.ClientCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        void run(ApiClient api) {
            Output.print(out(), connection.output, List.of(api.delete("/v1/keys/" + id)), KEY_COLUMNS);
        }
    }
}
