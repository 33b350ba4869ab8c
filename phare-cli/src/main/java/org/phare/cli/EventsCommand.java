package org.phare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "events", mixinStandardHelpOptions = true,
        description = "What happened, as the log committed it: hosts declared dead, instances running again after their"
            + " host died (with how long they were down), zones and sites down or back, alarms, alert levels changed or"
            + " recommended, sites closed, transport lost. The last 10,000 are kept, on every member alike.",
        footer = {"", "Examples:", "  phare events", "  phare events --follow      # and every new one as it happens (Ctrl-C to stop)"})
final class EventsCommand extends ClientCommands.ClientCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    @Option(names = {"-f", "--follow"}, description = "Wait for new events and print them as they come, until interrupted.")
    boolean follow;

    @Option(names = "--new", description = "Only the events to come, not those already kept (with --follow).")
    boolean onlyNew;

    @Override
    void run(ApiClient api) {
        follow(api, out(), onlyNew ? -1 : 0, follow ? () -> true : () -> false, "json".equals(connection.output));
    }

    /**
     * Prints the events after {@code after} (-1: only those to come), then, while {@code more} says so, waits for the
     * next ones and prints them too. Shared by {@code phare demo}, which prints what happens where it runs.
     */
    static void follow(ApiClient api, PrintWriter out, long after, BooleanSupplier more, boolean json) {
        long next = after;
        boolean first = true;
        do {
            JsonNode page;
            try {
                page = api.get("/v1/events?after=" + next + "&limit=1000&waitMs=" + (first ? 0 : 20_000));
            } catch (ApiClient.Failure e) {
                if (!more.getAsBoolean()) {
                    throw e;
                }
                sleep(1_000); // no member answers for a moment: try again
                continue;
            }
            first = false;
            for (JsonNode e : page.path("events")) {
                out.println(json ? e.toString() : line(e));
            }
            out.flush();
            next = page.path("next").asLong(next);
        } while (more.getAsBoolean());
    }

    /** {@code 12:03:04  WARNING  host h-a-1 declared dead: silent for 5002 ms} */
    static String line(JsonNode e) {
        return TIME.format(Instant.ofEpochMilli(e.path("at").asLong())) + "  " + String.format("%-7s", e.path("severity").asText())
                + "  " + e.path("text").asText();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiClient.Failure("interrupted");
        }
    }
}
