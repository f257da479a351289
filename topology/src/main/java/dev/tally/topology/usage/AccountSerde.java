package dev.tally.topology.usage;

import dev.tally.schemas.usage.Enforcement;
import dev.tally.schemas.usage.Period;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * {@link Account} in the accounts store: read and written for every usage request, so a fixed 28-byte
 * binary form instead of JSON. Layout: version byte, period and enforcement by name index, limit,
 * periodStartMs, used. The enums are written by their position in {@link #PERIODS} and
 * {@link #ENFORCEMENTS}, which only grow at the end.
 */
public final class AccountSerde {

    static final byte VERSION = 1;
    private static final Period[] PERIODS = {Period.HOUR, Period.DAY, Period.MONTH, Period.LIFETIME};
    private static final Enforcement[] ENFORCEMENTS = {Enforcement.HARD, Enforcement.SOFT};
    static final int SIZE = 1 + 1 + 1 + 8 + 8 + 8;

    private AccountSerde() {
    }

    public static Serde<Account> serde() {
        return Serdes.serdeFrom((topic, value) -> value == null ? null : write(value),
                (topic, bytes) -> bytes == null ? null : read(bytes));
    }

    static byte[] write(Account account) {
        LimitSpec limit = account.limit();
        return ByteBuffer.allocate(SIZE)
                .put(VERSION)
                .put((byte) indexOf(PERIODS, limit.period()))
                .put((byte) indexOf(ENFORCEMENTS, limit.enforcement()))
                .putLong(limit.limit())
                .putLong(account.periodStartMs())
                .putLong(account.used())
                .array();
    }

    static Account read(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte version = in.get();
        if (version != VERSION || bytes.length != SIZE) {
            throw new SerializationException("account record of unknown version " + version + " or size "
                    + bytes.length);
        }
        Period period = PERIODS[in.get()];
        Enforcement enforcement = ENFORCEMENTS[in.get()];
        long limit = in.getLong();
        return new Account(new LimitSpec(limit, period, enforcement), in.getLong(), in.getLong());
    }

    private static <T> int indexOf(T[] values, T value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        throw new SerializationException("no stored form for " + value);
    }
}
