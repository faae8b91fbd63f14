# The extractor's Cloud Run image: a JRE 17, the fat jar, its main class as entrypoint (the
# DAG's container args are the command and its options), run as a non-root user.
# No secret is baked in: Cloud Run sets SPOTIFY_CLIENT_ID/SECRET from Secret Manager and
# USERS_URI=sm://... when an execution starts (infrastructure/cloud_run.tf).
#
#   mvn -B -q -DskipTests package
#   docker build -f images/extractor.Dockerfile -t REPO/extractor:0.1.0 .     (or buildah bud)
#
# The base: Google's distroless Java 17 (Debian 12, a JRE and nothing else, no shell). Pin it by
# digest when you first pull it (distroless publishes no version tags). images/build.sh builds
# this file on a base made from this machine's JRE instead (no registry here).
ARG BASE_IMAGE=gcr.io/distroless/java17-debian12:nonroot
FROM ${BASE_IMAGE}
WORKDIR /app
COPY extractor/target/extractor.jar /app/extractor.jar
# distroless' nonroot user; a numeric id so that runAsNonRoot checks need no passwd lookup.
USER 65532:65532
ENV LOG_FORMAT=json \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["/usr/bin/java", "-jar", "/app/extractor.jar"]
