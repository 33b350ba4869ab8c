#!/usr/bin/env bash
# Runs a benchmark main of phare-cli's test sources (LeaderKillBench, HistoryBench, ec2.Ec2Bench) with the test classpath,
# which the local clouds they start also use for their processes.
#   usage: scripts/bench-java-main.sh CLASS [ARGS...]
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
main=$1; shift
# One reactor build, nothing installed in ~/.m2: phare-cli's classpath then names the sibling modules' jars in their target/.
./mvnw -B -q ${PHARE_BENCH_MVN_FLAGS:-} -pl phare-cli -am package -DskipTests dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
. scripts/find-jdk.sh
phare_find_jdk || exit 1
PHARE_JAVA="$JAVA_HOME/bin/java"
# A copy of the classes, so that rebuilding the tree while a long benchmark runs cannot pull them away.
snap=$(mktemp -d /tmp/phare-bench-classes.XXXXXX)
cp -r phare-cli/target/test-classes "$snap/test-classes"
cp -r phare-cli/target/classes "$snap/classes"
deps=""
IFS=: read -ra entries < phare-cli/target/bench-classpath.txt || true  # no final newline
for e in "${entries[@]}"; do
  case "$e" in
    */org/phare/*|"$PWD"/phare-*/target/*) cp -r "$e" "$snap/"; deps="$deps:$snap/$(basename "$e")" ;;
    *) deps="$deps:$e" ;;
  esac
done
cp="$snap/test-classes:$snap/classes$deps"
case "$main" in
  *.*) class="org.phare.cli.$main" ;;   # e.g. ec2.Ec2Bench
  *) class="org.phare.cli.e2e.$main" ;;
esac
exec "$PHARE_JAVA" -Xmx${PHARE_BENCH_HEAP:-512m} $(phare_default_jvm_flags) -cp "$cp" "$class" "$@"
