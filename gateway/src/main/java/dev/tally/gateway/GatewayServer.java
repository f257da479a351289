package dev.tally.gateway;

import dev.tally.contract.TopicNames;
import dev.tally.contract.TopicProvisioner;
import dev.tally.gateway.auth.Authentication;
import dev.tally.gateway.kafka.KafkaClients;
import dev.tally.gateway.kafka.KafkaRequestSender;
import dev.tally.gateway.kafka.PendingReplies;
import dev.tally.gateway.kafka.ReplyListener;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: topics ensured, producer and reply listener up, HTTP serving. Stateless: any number
 * of instances share the reply partitions through one consumer group.
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final Javalin http;
    private final KafkaRequestSender sender;
    private final ExecutorService responseExecutor;
    private final Deque<AutoCloseable> meterBinders;
    private final boolean authenticates;

    private GatewayServer(Javalin http, KafkaRequestSender sender, ExecutorService responseExecutor,
                          Deque<AutoCloseable> meterBinders, boolean authenticates) {
        this.http = http;
        this.sender = sender;
        this.responseExecutor = responseExecutor;
        this.meterBinders = meterBinders;
        this.authenticates = authenticates;
    }

    /**
     * Creates the missing topics, starts the producer, the reply listener and the HTTP server. Returns once
     * HTTP serves; {@link #isReady()} turns true when the group has assigned this instance a reply partition.
     *
     * @throws IllegalStateException when Kafka cannot be reached or the topics disagree
     */
    public static GatewayServer start(GatewayConfig config) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        GatewayServer server;
        try {
            server = start(config, registry);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        // Its own registry: closed after the meters bound to it.
        server.meterBinders.addLast(registry::close);
        return server;
    }

    /**
     * As {@link #start(GatewayConfig)}, with the registry its {@code /metrics} serves and its meters join:
     * {@code tally dev} adds the engine's, so that one process has one scrape. The caller closes it, after
     * the gateway and whatever else it meters.
     */
    public static GatewayServer start(GatewayConfig config, PrometheusMeterRegistry registry) {
        // Declared keys only, sorted: pass-through client settings may hold secrets, so only their names.
        log.info("gateway configuration: {}, kafka client settings: {}", new TreeMap<>(config.values()),
                new TreeSet<>(config.kafkaClientSettings().keySet()));
        Authentication authentication = config.authentication();
        if (authentication == null) {
            log.warn("gateway requires no credentials ({} / {} / {} unset): every caller may read and change"
                    + " everything", GatewayConfig.AUTH_KEYS_FILE, GatewayConfig.AUTH_KEYS,
                    GatewayConfig.AUTH_JWT_KEY_FILE);
        } else {
            log.info("gateway requires credentials on every /v1 route: {} API key(s), JWTs {}, {} calls a second"
                    + " per caller", authentication.keys() == null ? 0 : authentication.keys().size(),
                    authentication.tokens() == null ? "not accepted" : "accepted", authentication.callsPerSecondPerCaller());
        }
        TopicNames topics = config.topicNames();
        TopicProvisioner.ensure(config.adminClientSettings(), topics.keyedTopics(), config.partitions(),
                List.of(topics.replies(), topics.deadLetter()), config.repliesPartitions(),
                config.replicationFactor());

        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            Producer<String, byte[]> producer = new KafkaProducer<>(KafkaClients.producer(config));
            started.push(producer::close);
            // Fetch the request topics' metadata now, so the first call does not wait for it in send().
            producer.partitionsFor(topics.usageRequests());
            producer.partitionsFor(topics.claimRequests());
            producer.partitionsFor(topics.bookingRequests());
            producer.partitionsFor(topics.compositeRequests());

            PendingReplies pending = new PendingReplies(config.pendingMax(), config.decisionTimeoutMs());
            ReplyListener listener = new ReplyListener(new KafkaConsumer<>(KafkaClients.replyConsumer(config)),
                    topics.replies(), pending);
            started.push(listener);
            listener.start();
            KafkaRequestSender sender = new KafkaRequestSender(producer, listener, pending, topics);
            started.push(sender);

            Deque<AutoCloseable> binders = bindMeters(registry, producer);
            started.addAll(binders);
            ExecutorService responseExecutor = responseExecutor();
            started.push(responseExecutor::shutdown);

            Javalin http = GatewayApp.create(sender, registry, config.bodyMaxBytes(), config.claimScopes(),
                    responseExecutor, authentication);
            started.push(http::stop);
            http.start(config.httpHost(), config.httpPort());
            log.info("gateway serving http://{}:{}", config.httpHost(), http.port());
            return new GatewayServer(http, sender, responseExecutor, binders, authentication != null);
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    /** The port HTTP listens on: the configured one, or the one picked for {@code http.port=0}. */
    public int port() {
        return http.port();
    }

    /** Whether every {@code /v1} call needs an API key. */
    public boolean authenticates() {
        return authenticates;
    }

    /** True when the producer is up and this instance reads a reply partition. */
    public boolean isReady() {
        return sender.isReady();
    }

    /**
     * Stops taking calls first, then answers every waiting call 503, then closes the consumer and the
     * producer. Decisions already in flight are not lost: the decision topic has them, and a retry with the
     * same requestId returns them.
     */
    @Override
    public void close() {
        http.stop();
        sender.close();
        responseExecutor.shutdown();
        closeAll(meterBinders);
        log.info("gateway stopped");
    }

    private static Deque<AutoCloseable> bindMeters(PrometheusMeterRegistry registry, Producer<String, byte[]> producer) {
        Deque<AutoCloseable> binders = new ArrayDeque<>();
        binders.push(JvmMeters.bindTo(registry));
        // The producer only: the consumer belongs to the listener's thread and is not safe to read from here.
        KafkaClientMetrics producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
        binders.push(producerMetrics);
        return binders;
    }

    /** Writes answers once their reply arrives; bounded in threads, queued by the pending-call bound. */
    private static ExecutorService responseExecutor() {
        int threads = Math.max(4, Runtime.getRuntime().availableProcessors());
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, "tally-gateway-answer-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                log.warn("closing a gateway resource failed", e);
            }
        }
    }
}
