#!/usr/bin/env bash
# Pushes N telemetry events through the pipeline's four topologies on a local embedded broker and
# prints events/s and the failure-to-ejection decision delay. Not a test.
# Usage: telemetry-pipeline/bench/pipeline-bench.sh [events=300000] [probes=50] [warmup=300000]
# (warmup: events a first pipeline processes so the measured one runs JIT-compiled code; 0 = cold)
# Env: THREADS (stream threads per instance, default 2), INSTANCES (pipeline instances sharing the
# partitions, default 1), TOPOLOGIES (all, a list such as outlier,edges, or each: every topology
# alone, then all; the events are produced once and each run reads them under its own application id),
# MVN_OFFLINE=-o to build offline, JAVA_OPTS (e.g. -Dkafka.streams.commit.interval.ms=50 to try
# another Streams setting).
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q ${MVN_OFFLINE:-} -pl telemetry-pipeline -am test-compile
CP_FILE=telemetry-pipeline/target/bench.classpath
mvn -B -q ${MVN_OFFLINE:-} -pl telemetry-pipeline dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$(pwd)/$CP_FILE" >/dev/null
# This checkout's modules first: the jars in ~/.m2 may be older than the sources (a new Avro field).
CP="telemetry-pipeline/target/classes:telemetry-pipeline/target/test-classes:schemas/target/classes:policy-model/target/classes:kafka-embedded/target/classes:$(cat "$CP_FILE")"
exec java -Xmx2g ${JAVA_OPTS:-} -Dthreads="${THREADS:-2}" -Dinstances="${INSTANCES:-1}" -Dtopologies="${TOPOLOGIES:-all}" -Dlogback.configurationFile=telemetry-pipeline/src/test/resources/logback-test.xml \
    -cp "$CP" io.meshlog.pipeline.bench.PipelineBench "${1:-300000}" "${2:-50}" "${3:-300000}"
