# One image for both deployables: `docker run IMAGE engine` or `docker run IMAGE gateway` (any tally
# command works: `keys new`, `audit`). Build: docker build -t tally .
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
# The launcher's jar and every runtime dependency (the other modules' jars included) in one directory.
RUN ./mvnw -B -q -DskipTests install \
 && ./mvnw -B -q -pl launcher dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/app/lib \
 && cp launcher/target/tally-launcher-*.jar /app/lib/

FROM eclipse-temurin:17-jre
# The state dir exists, owned by tally, so that a volume mounted on it starts owned by tally too.
RUN useradd --system --uid 10001 --home-dir /var/lib/tally --create-home tally \
 && mkdir -p /var/lib/tally/state && chown tally /var/lib/tally/state
COPY --from=build /app/lib /app/lib
USER tally
WORKDIR /var/lib/tally
# 8080: the gateway's API, health and metrics; 8081: the engine's health and metrics.
EXPOSE 8080 8081
ENTRYPOINT ["java", "-cp", "/app/lib/*", "dev.tally.launcher.Tally"]
CMD ["--help"]
