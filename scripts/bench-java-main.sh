#!/usr/bin/env bash
# Runs a benchmark main of phare-cli's test sources (LeaderKillBench, HistoryBench) with the test classpath,
# which the local clouds they start also use for their processes.
#   usage: scripts/bench-java-main.sh CLASS [ARGS...]
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
main=$1; shift
./mvnw -B -q -pl phare-cli -am install -DskipTests >/dev/null
./mvnw -B -q -pl phare-cli test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
    -Dmdep.includeScope=test >/dev/null
. scripts/find-jdk.sh
phare_find_jdk || exit 1
PHARE_JAVA="$JAVA_HOME/bin/java"
cp="$PWD/phare-cli/target/test-classes:$PWD/phare-cli/target/classes:$(cat phare-cli/target/bench-classpath.txt)"
exec "$PHARE_JAVA" -Xmx512m $(phare_default_jvm_flags) -cp "$cp" "org.phare.cli.e2e.$main" "$@"
