package dev.tally.launcher.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.contract.TallyHeaders;
import dev.tally.contract.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Claims, bookings and composite bookings streamed straight to Kafka at a steady rate, next to
 * {@link UsageTraffic}, so that a fault lands on every domain and not on usage alone: a few owners
 * competing for a few slugs and releasing them, bookings and cancellations on a few resources of small
 * capacity, and composites over two of those resources at once.
 *
 * One record in fifty is unreadable, on one of the three request topics in turn.
 *
 * <p>The invariants themselves are the audit's to check (I2, I3, I5). What this class checks is what the
 * audit cannot: that every request it sent got a decision, that every unreadable record is in the
 * dead-letter topic exactly once whatever failed meanwhile, and that each domain really changed state
 * under the fault (claims made, bookings and composites booked), without which a clean audit says little.
 */
public final class DomainTraffic implements AutoCloseable {

    /** What the decisions and the dead-letter topic showed. */
    public record Figures(int requests, int claimed, int booked, int compositesBooked, int compositesNot,
                          int deadLetters) {
    }

    private record Sent(String topic, String key, String requestId, String json) {
    }

    private static final int RESOURCES = 4;
    private static final int CAPACITY = 2;
    private static final int SLUGS = 30;
    private static final int OWNERS = 4;
    /** Hours of one day: with four resources of two places, books start to conflict after a few hundred. */
    private static final int HOURS = 24;
    private static final String DAY = "2031-03-01T";
    private static final Duration READ_AGAIN = Duration.ofMillis(500);
    /** One record in this many is unreadable, so that faults land on dead-lettering too. */
    private static final int POISON_EVERY = 50;

    private final String bootstrapServers;
    private final TopicNames topics;
    private final String run;
    private final Random random = new Random(7);
    /** Every request id sent, by the decisions topic its decision goes to. */
    private final Map<String, Set<String>> sentIds = new HashMap<>();
    /** The booking ids of the books sent, with their resource: what cancellations pick from. */
    private final List<String[]> books = new ArrayList<>();
    /** Where each unreadable record sent among the requests was written: each must be dead-lettered once. */
    private final List<Future<RecordMetadata>> poison = new ArrayList<>();
    private PacedStream stream;
    private int count;

    public DomainTraffic(String bootstrapServers, TopicNames topics) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.run = TestNames.random(6);
    }

    /** Defines the resources, then streams about {@code perSecond} requests in the background until {@link #stop}. */
    public void start(int perSecond) {
        stream = new PacedStream("domain-traffic", bootstrapServers, perSecond, this::defineResources, (producer, seq) -> {
            if (seq % POISON_EVERY == POISON_EVERY - 1) {
                sendPoison(producer, seq / POISON_EVERY);
            } else {
                send(producer, next());
            }
        });
    }

    private void defineResources(KafkaProducer<String, String> producer) {
        for (int r = 0; r < RESOURCES; r++) {
            String id = id("def");
            send(producer, new Sent(topics.bookingRequests(), resource(r), id, "{\"type\":\"define-resource\","
                    + "\"requestId\":\"" + id + "\",\"resource\":\"" + resource(r) + "\",\"capacity\":" + CAPACITY
                    + ",\"slot\":\"HOUR\",\"timezone\":\"UTC\"}"));
        }
    }

    /** Stops streaming; everything sent is acknowledged by the broker when this returns. */
    public void stop() throws Exception {
        stream.stop();
    }

    /** Stops streaming if a failed test left it running, so that it sends nothing into the next test. */
    @Override
    public void close() {
        if (stream != null) {
            stream.close();
        }
    }

    /** The next request: a claim or a release, a book or a cancel, or a composite, at random. */
    private Sent next() {
        int pick = random.nextInt(100);
        if (pick < 40) {
            String slug = "s" + random.nextInt(SLUGS) + "-" + run;
            String type = pick < 30 ? "create-claim" : "release-claim";
            String id = id("c");
            return new Sent(topics.claimRequests(), "tenant-slug/" + slug, id, "{\"type\":\"" + type
                    + "\",\"requestId\":\"" + id + "\",\"scope\":\"tenant-slug\",\"value\":\"" + slug
                    + "\",\"owner\":\"o" + random.nextInt(OWNERS) + "\"}");
        }
        int hour = random.nextInt(HOURS);
        if (pick >= 70 && pick < 85 && !books.isEmpty()) {
            String[] booked = books.get(random.nextInt(books.size()));
            String id = id("x");
            return new Sent(topics.bookingRequests(), booked[0], id, "{\"type\":\"cancel-booking\",\"requestId\":\""
                    + id + "\",\"resource\":\"" + booked[0] + "\",\"bookingId\":\"" + booked[1] + "\"}");
        }
        if (pick < 85) {
            String resource = resource(random.nextInt(RESOURCES));
            String id = id("b");
            books.add(new String[] {resource, id});
            return new Sent(topics.bookingRequests(), resource, id, "{\"type\":\"book\",\"requestId\":\"" + id
                    + "\",\"resource\":\"" + resource + "\"," + range(hour) + ",\"quantity\":1}");
        }
        int first = random.nextInt(RESOURCES);
        int second = (first + 1 + random.nextInt(RESOURCES - 1)) % RESOURCES;
        String id = id("k");
        return new Sent(topics.compositeRequests(), id, id, "{\"type\":\"book-composite\",\"requestId\":\"" + id
                + "\",\"compositeId\":\"" + id + "\",\"segments\":[" + segment(first, hour) + ","
                + segment(second, hour) + "]}");
    }

    private String segment(int resource, int hour) {
        return "{\"resource\":\"" + resource(resource) + "\"," + range(hour) + ",\"quantity\":1}";
    }

    private static String range(int hour) {
        return String.format("\"from\":\"%s%02d:00\",\"to\":\"%s%02d:00\"", DAY, hour, DAY, hour + 1)
                .replace(DAY + "24:00", "2031-03-02T00:00");
    }

    private String resource(int r) {
        return "r" + r + "-" + run;
    }

    private String id(String kind) {
        return kind + "-" + run + "-" + (count++);
    }

    private void send(KafkaProducer<String, String> producer, Sent request) {
        synchronized (sentIds) {
            sentIds.computeIfAbsent(decisionsTopic(request.topic()), t -> new HashSet<>()).add(request.requestId());
        }
        producer.send(new ProducerRecord<>(request.topic(), request.key(), request.json()));
    }

    /** A record no producer of tally's would send, on one of the three request topics in turn. */
    private void sendPoison(KafkaProducer<String, String> producer, long n) {
        List<String> requestTopics = List.of(topics.claimRequests(), topics.bookingRequests(),
                topics.compositeRequests());
        poison.add(producer.send(new ProducerRecord<>(requestTopics.get((int) (n % 3)), "poison-" + n,
                "not json " + n)));
    }

    private String decisionsTopic(String requestTopic) {
        if (requestTopic.equals(topics.claimRequests())) {
            return topics.claimDecisions();
        }
        return requestTopic.equals(topics.bookingRequests()) ? topics.bookingDecisions() : topics.compositeDecisions();
    }

    /**
     * After {@link #stop}: waits until every request sent has its decision, asserts each has exactly one,
     * and that every domain changed state (claims made, bookings and composites booked).
     */
    public Figures checkEveryRequestDecided(Duration timeout) {
        Map<String, List<JsonNode>> decisions = new HashMap<>();
        // Every half second: each look reads three whole topics.
        Await.until(timeout, READ_AGAIN, () -> {
            decisions.clear();
            sentIds.keySet().forEach(topic -> decisions.put(topic, readDecisions(topic)));
            return sentIds.entrySet().stream().allMatch(e -> requestIds(decisions.get(e.getKey())).containsAll(e.getValue()));
        }, () -> "a decision for every claim, booking and composite request sent");
        int deadLetters = checkEveryPoisonDeadLetteredOnce(timeout);
        Map<String, Integer> codes = new HashMap<>();
        int requests = 0;
        for (Map.Entry<String, Set<String>> topic : sentIds.entrySet()) {
            requests += topic.getValue().size();
            Map<String, Integer> perId = new HashMap<>();
            for (JsonNode decision : decisions.get(topic.getKey())) {
                String id = decision.path("requestId").asText();
                if (topic.getValue().contains(id)) {
                    perId.merge(id, 1, Integer::sum);
                    codes.merge(decision.path("code").asText(), 1, Integer::sum);
                }
            }
            assertThat(perId).as("decisions per request id on %s", topic.getKey()).allSatisfy((id, n) ->
                    assertThat(n).as(id).isEqualTo(1));
        }
        Figures figures = new Figures(requests, codes.getOrDefault("CLAIMED", 0), codes.getOrDefault("BOOKED", 0),
                codes.getOrDefault("COMPOSITE_BOOKED", 0), codes.getOrDefault("COMPOSITE_REFUSED", 0)
                        + codes.getOrDefault("COMPOSITE_TIMED_OUT", 0), deadLetters);
        assertThat(figures.claimed()).as("claims made; codes %s", codes).isPositive();
        assertThat(figures.booked()).as("bookings booked; codes %s", codes).isPositive();
        assertThat(figures.compositesBooked()).as("composites booked; codes %s", codes).isPositive();
        return figures;
    }

    /** Waits until every unreadable record sent is in the dead-letter topic, and asserts it is there once. */
    private int checkEveryPoisonDeadLetteredOnce(Duration timeout) {
        Set<String> positions = new HashSet<>();
        for (Future<RecordMetadata> sent : poison) {
            try {
                RecordMetadata at = sent.get();
                positions.add(TallyHeaders.position(at.topic(), at.partition(), at.offset()));
            } catch (Exception e) {
                throw new AssertionError("a poison record was not written", e);
            }
        }
        assertThat(positions).as("unreadable records sent").isNotEmpty();
        Map<String, List<String>> reasons = new HashMap<>();
        Await.until(timeout, READ_AGAIN, () -> {
            reasons.clear();
            for (ConsumerRecord<String, byte[]> letter : TestClients.readAllCommittedRecords(bootstrapServers,
                    topics.deadLetter(), Duration.ofSeconds(30))) {
                reasons.computeIfAbsent(TestClients.deadLetterPosition(letter), p -> new ArrayList<>())
                        .add(TallyHeaders.text(letter.headers(), TallyHeaders.DLQ_REASON));
            }
            return reasons.keySet().containsAll(positions);
        }, () -> "a dead letter for each of " + positions.size() + " unreadable records; " + reasons.size() + " seen");
        for (String position : positions) {
            assertThat(reasons.get(position)).as("dead letters of %s", position).singleElement()
                    .satisfies(reason -> assertThat(reason).contains("not JSON"));
        }
        return positions.size();
    }

    /**
     * Asserts that the audit's summary lines show it checked claims (I3), slots (I2) and composites (I5):
     * a clean audit that read none of them would prove nothing about them.
     */
    public static void assertAuditCheckedEveryDomain(List<String> summaries) {
        assertCounted(summaries, "I2 capacity per resource and slot: ([\\d,]+) taken");
        assertCounted(summaries, "I3 one live owner per claim: ([\\d,]+) claims made");
        assertCounted(summaries, "I5 composites all or nothing: [\\d,]+ decided \\(([\\d,]+) booked");
    }

    private static void assertCounted(List<String> summaries, String regex) {
        Pattern pattern = Pattern.compile(regex);
        long counted = summaries.stream().map(pattern::matcher).filter(Matcher::find)
                .mapToLong(m -> Long.parseLong(m.group(1).replace(",", ""))).findFirst()
                .orElseThrow(() -> new AssertionError("no audit summary matches " + regex + ": " + summaries));
        assertThat(counted).as("audit: %s in %s", regex, summaries).isPositive();
    }

    private List<JsonNode> readDecisions(String topic) {
        return TestClients.readAllCommittedRecords(bootstrapServers, topic, Duration.ofSeconds(30)).stream()
                .map(ConsumerRecord::value).map(TestClients::json).toList();
    }

    private static Set<String> requestIds(List<JsonNode> decisions) {
        Set<String> ids = new HashSet<>();
        decisions.forEach(d -> ids.add(d.path("requestId").asText()));
        return ids;
    }

}
