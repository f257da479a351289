package dev.tally.launcher.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands every test (and {@code @BeforeAll} method) that asks for a {@link TestKafka} parameter the one
 * broker of this JVM, started on first use and stopped when the whole run ends. Starting a broker costs
 * seconds; sharing it keeps the suite fast, and unique names per test keep tests apart.
 */
public final class KafkaExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // The root context lives as long as the run; its store closes AutoCloseable values at the end.
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(TestKafka.class, type -> TestKafka.start(), TestKafka.class);
    }
}
