#!/usr/bin/env bash
# Runs one meshlog proxy from a static bootstrap file (no Kafka, no Hazelcast).
#   proxy-verticle/bin/proxy-static.sh proxy-verticle/examples/static-bootstrap.yaml
#
# Builds the module's classpath once (target/classpath.txt). Start-up: the first run after a build
# trains the JVM (ProxyMain --train: the whole request path on free ports, then exit) and keeps
# what it loaded, so later starts skip class loading and linking:
#   Java 25+: an ahead-of-time cache (-XX:AOTCacheOutput / -XX:AOTCache) with method profiles;
#   Java 17-24: a class-data-sharing archive (-XX:ArchiveClassesAtExit / -XX:SharedArchiveFile).
# Either is rebuilt when the JVM, the proxy's classes or any jar on the classpath changes.
#
#   JAVA=/path/to/bin/java   the JVM (default: java on PATH)
#   JAVA_OPTS                the JVM flags (default: see below, sized for <= 80 MB resident)
#   JAVA_EXTRA_OPTS          flags added to those (e.g. -XX:NativeMemoryTracking=summary)
#   MESHLOG_CDS=0            no archive or cache
#   MESHLOG_EVENT_LOOPS      the number of event loops (default: one per core)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bootstrap="${1:?usage: proxy-static.sh <bootstrap.yaml>}"
java_bin="${JAVA:-java}"
if [[ ! -f "$here/target/classpath.txt" || ! -d "$here/target/classes/io/meshlog/proxy" ]]; then
  (cd "$here/.." && mvn -B -q -o -pl proxy-verticle compile) >&2
  (cd "$here" && mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime) >&2
fi
# archives cannot hold classes loaded from a directory: run from a jar of target/classes
app_jar="$here/target/proxy-static-app.jar"
if [[ ! -f "$app_jar" || -n "$(find "$here/target/classes" -newer "$app_jar" -type f -print -quit)" ]]; then
  jar cf "$app_jar" -C "$here/target/classes" .
fi
classpath="$app_jar:$(cat "$here/target/classpath.txt")"
# the JVM's feature release, from its release file (starting a JVM to ask costs 50 ms of start-up)
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v "$java_bin")")")")"
java_version="$(sed -n 's/^JAVA_VERSION="\([0-9.]*\).*/\1/p' "$java_home/release" 2>/dev/null || true)"
[[ -n "$java_version" ]] || java_version="$("$java_bin" -XshowSettings:properties -version 2>&1 \
  | awk -F' = ' '/java.version = / {print $2}')"
java_feature="${java_version%%.*}"
java_update="$(cut -d. -f3 <<<"$java_version")"; java_update="${java_update:-0}"
# glibc keeps one malloc arena per thread that ever allocated (JIT compiler threads hold tens of MB
# after warm-up); one arena and a periodic trim keep that memory from staying resident
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
# Heap: an 8 MB young generation, the old one sized from the live set (about 14 MB with Kafka
# telemetry: Kafka's protocol schemas, meters, the snapshot) and grown only as needed, up to 48 MB;
# a fixed 64 MB heap ended up wholly resident as garbage was promoted between full collections.
flags=(${JAVA_OPTS:--Xms32m -Xmx48m -Xmn8m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=24m -Xss256k})
# the trim exists from 17.0.9 and 21.0.1 (experimental) and 22 on; an unknown flag stops the JVM
if (( java_feature >= 22 || (java_feature == 21 && java_update >= 1) || (java_feature == 17 && java_update >= 9) )); then
  flags+=(-XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=5000)
fi
(( java_feature >= 22 )) && flags+=(--enable-native-access=ALL-UNNAMED)
flags+=(-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.meshlog.schemas.v1)
# Netty 4.2 otherwise starts JDK Flight Recorder's machinery for its allocator events on the first
# request: ~0.1 s of a start on one core, for events nobody records here
flags+=(-Dio.netty.jfr.enabled=false)
# slf4j would otherwise scan every jar for its provider; logback is the one on this classpath
flags+=(-Dslf4j.provider=ch.qos.logback.classic.spi.LogbackServiceProvider -Dslf4j.internal.verbosity=WARN)

stale() { # archive -> true when missing or older than the JVM, the app jar or any classpath entry
  local archive=$1
  [[ ! -f "$archive" ]] && return 0
  [[ "$java_home/release" -nt "$archive" ]] && return 0
  local entry
  IFS=: read -ra entries <<<"$classpath"
  for entry in "${entries[@]}" "$here/target/classpath.txt"; do
    [[ "$entry" -nt "$archive" ]] && return 0
  done
  return 1
}
train() { # archive, extra JVM flags for the training run
  local archive=$1 log
  shift
  log="$(mktemp)"
  if ! "$java_bin" "${flags[@]}" "$@" -cp "$classpath" io.meshlog.proxy.ProxyMain --train --bootstrap "$bootstrap" >"$log" 2>&1; then
    echo "proxy-static.sh: start-up training failed, starting without an archive:" >&2
    tail -5 "$log" >&2
    rm -f "$archive"
  fi
  rm -f "$log"
}
if [[ "${MESHLOG_CDS:-1}" == 1 ]]; then
  if (( java_feature >= 25 )); then
    cache="$here/target/proxy-static-java$java_feature.aot"
    stale "$cache" && { rm -f "$cache"; train "$cache" -XX:AOTCacheOutput="$cache"; }
    [[ -f "$cache" ]] && flags+=(-XX:AOTCache="$cache")
  else
    cache="$here/target/proxy-static-java$java_feature.jsa"
    stale "$cache" && { rm -f "$cache"; train "$cache" -XX:ArchiveClassesAtExit="$cache"; }
    [[ -f "$cache" ]] && flags+=(-XX:SharedArchiveFile="$cache" -Xshare:auto)
  fi
fi
flags+=(${JAVA_EXTRA_OPTS:-})
exec "$java_bin" "${flags[@]}" -cp "$classpath" io.meshlog.proxy.ProxyMain --bootstrap "$bootstrap"
