package org.phare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AotTrainingCommandTest {

    @Test
    @DisplayName("the training run forms a cloud, creates through the API, snapshots, starts again from the snapshot, then runs a group")
    void trainingRunRestartsFromItsSnapshot() {
        Cli r = Cli.run("aot-training", "--instances", "40");

        assertThat(r.exit()).as(r.err()).isZero();
        Matcher m = Pattern.compile("41 instances created .* snapshot at log index (\\d+) and still had (i-[0-9a-f]+) \\((\\w+)\\)")
                .matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Long.parseLong(m.group(1))).isPositive();
        assertThat(m.group(3)).isIn("pending", "running");
        // Then a group of members: elections and replication over gRPC, a leader lost and taken back.
        assertThat(r.out()).contains("a group of 3 members elected a leader, placed 41 instances, lost its leader,"
                + " elected another and took the old one back");
    }

    @Test
    @DisplayName("a refused count says what is accepted")
    void refusesABadCount() {
        Cli r = Cli.run("aot-training", "--instances", "0");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--instances must be 1..100000, got 0");
    }

    @Test
    @DisplayName("a child JVM inherits the ahead-of-time cache and the access flags, not the parent's heap or collector")
    void childrenInheritOnlyTheCacheAndAccessFlags() {
        List<String> parent = List.of("-Xmx1g", "-XX:AOTCache=/t/phare.aot", "-Xlog:aot*=off", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-XX:+UseSerialGC", "-Dx=y");

        assertThat(ChildJvm.inherited(parent)).containsExactly("-XX:AOTCache=/t/phare.aot", "-Xlog:aot*=off",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");
    }
}
