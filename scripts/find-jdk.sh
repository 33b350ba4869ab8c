# shellcheck shell=bash
#
# find-jdk.sh -- pick a JDK 21 or newer for Phare.  A function library: source it,
# don't run it.  Used by ./phare (the launcher) and .ci/run (CI).
#
#   . scripts/find-jdk.sh
#   phare_find_jdk || exit 1     # exports JAVA_HOME and PHARE_JAVA_MAJOR, prints nothing
#   flags=$(phare_default_jvm_flags)
#
# Search order (the first JDK whose bin/java reports major >= PHARE_MIN_JAVA wins):
#   1. $JAVA_HOME
#   2. `java` on PATH (its home resolved with readlink -f)
#   3. the newest JDK directly under each directory of PHARE_JVM_DIRS
#      (colon-separated, default /usr/lib/jvm)
# A candidate must also have bin/javac: the launcher compiles the distribution.
#
# Settings (environment):
#   PHARE_MIN_JAVA      lowest major accepted (default 21)
#   PHARE_JVM_DIRS      where to look for installed JDKs (default /usr/lib/jvm)
#   PHARE_FIND_JDK_PROG prefix of the error message (default "phare")
#
# Safe under `set -euo pipefail`; defines only phare_* names.

# phare_java_major JAVA_BINARY
# Prints the major version that JAVA_BINARY reports ("1.8.0_392" -> 8,
# "17.0.15" -> 17, "21" -> 21, "25.0.1" -> 25, "26-ea" -> 26); returns 1 if unknown.
phare_java_major() {
  local java_bin=$1 line ver major
  [ -x "$java_bin" ] || return 1
  # The line looks like: openjdk version "17.0.15" 2025-04-15   (or java version "1.8.0_392").
  # Other lines (e.g. "Picked up JAVA_TOOL_OPTIONS: ...") may come first.
  line=$("$java_bin" -version 2>&1 </dev/null | grep -m1 -E '(java|jdk|jre) version "' || true)
  [ -n "$line" ] || return 1
  ver=${line#*version \"}
  ver=${ver%%\"*}
  case $ver in
    1.*) ver=${ver#1.} ;;  # legacy scheme: 1.8.0_392 -> 8
  esac
  major=${ver%%[!0-9]*}
  [ -n "$major" ] || return 1
  printf '%s\n' "$((10#$major))"
}

# _phare_jdk_ok HOME -> prints the major if HOME is a JDK >= PHARE_MIN_JAVA (returns 0),
# else prints what was found ("17", "no javac", "no java") and returns 1.
_phare_jdk_ok() {
  local home=$1 major
  if [ ! -x "$home/bin/java" ]; then
    printf 'no bin/java\n'
    return 1
  fi
  if ! major=$(phare_java_major "$home/bin/java"); then
    printf 'unknown version\n'
    return 1
  fi
  if [ "$major" -lt "${PHARE_MIN_JAVA:-21}" ]; then
    printf '%s\n' "$major"
    return 1
  fi
  if [ ! -x "$home/bin/javac" ]; then
    printf '%s, a JRE without javac\n' "$major"
    return 1
  fi
  printf '%s\n' "$major"
}

# phare_find_jdk -> exports JAVA_HOME and PHARE_JAVA_MAJOR and returns 0, or prints
# one message to stderr and returns 1.
phare_find_jdk() {
  local min=${PHARE_MIN_JAVA:-21} prog=${PHARE_FIND_JDK_PROG:-phare}
  local result java_path home dir cand best='' best_major=0 major
  local looked_home looked_path looked_dirs
  local -a dirs

  # 1. JAVA_HOME
  if [ -n "${JAVA_HOME:-}" ]; then
    home=${JAVA_HOME%/}
    if result=$(_phare_jdk_ok "$home"); then
      export JAVA_HOME=$home PHARE_JAVA_MAJOR=$result
      return 0
    fi
    looked_home="JAVA_HOME=$JAVA_HOME ($result)"
  else
    looked_home="JAVA_HOME (not set)"
  fi

  # 2. java on PATH
  if java_path=$(command -v java 2>/dev/null) && [ -n "$java_path" ]; then
    java_path=$(readlink -f "$java_path" 2>/dev/null || printf '%s' "$java_path")
    home=${java_path%/bin/java}
    if [ "$home" != "$java_path" ] && result=$(_phare_jdk_ok "$home"); then
      export JAVA_HOME=$home PHARE_JAVA_MAJOR=$result
      return 0
    fi
    [ "$home" != "$java_path" ] || result=$(phare_java_major "$java_path" || echo "unknown version")
    looked_path="java on PATH ($java_path: $result)"
  else
    looked_path="java on PATH (none)"
  fi

  # 3. the newest JDK under PHARE_JVM_DIRS (highest major; on a tie the first in glob order)
  IFS=: read -r -a dirs <<<"${PHARE_JVM_DIRS:-/usr/lib/jvm}"
  looked_dirs=''
  for dir in ${dirs[@]+"${dirs[@]}"}; do
    [ -n "$dir" ] || continue
    dir=${dir%/}
    looked_dirs="${looked_dirs:+$looked_dirs, }$dir/*"
    [ -d "$dir" ] || continue
    for cand in "$dir"/*; do
      [ -d "$cand" ] || continue
      if major=$(_phare_jdk_ok "$cand") && [ "$major" -gt "$best_major" ]; then
        best=$cand best_major=$major
      fi
    done
  done
  [ -n "$looked_dirs" ] || looked_dirs='PHARE_JVM_DIRS (empty)'
  if [ -n "$best" ]; then
    export JAVA_HOME=$best PHARE_JAVA_MAJOR=$best_major
    return 0
  fi

  printf '%s: no JDK %s or newer found (looked at %s, %s, %s). Install one (e.g. apt-get install -y openjdk-21-jdk-headless where your distribution has it; Debian 12 ships only 17, so use a vendor build such as Temurin 21+), or set JAVA_HOME to it.\n' \
    "$prog" "$min" "$looked_home" "$looked_path" "$looked_dirs" >&2
  return 1
}

# phare_default_jvm_flags [MAJOR] -> prints the JVM flags Phare runs with on that
# Java major (default: $PHARE_JAVA_MAJOR): they silence the shaded libraries'
# native-access and sun.misc.Unsafe warnings on new JDKs.
phare_default_jvm_flags() {
  local major=${1:-${PHARE_JAVA_MAJOR:-0}}
  local flags=''
  # --enable-native-access=ALL-UNNAMED: accepted on 21+.
  if [ "$major" -ge 21 ]; then
    flags='--enable-native-access=ALL-UNNAMED'
  fi
  # --sun-misc-unsafe-memory-access exists only on JDK 24+ (JEP 498): older JVMs refuse to start with it.
  if [ "$major" -ge 24 ]; then
    flags="$flags --sun-misc-unsafe-memory-access=allow"
  fi
  printf '%s\n' "$flags"
}
