package dev.tally.topology.usage;

import dev.tally.schemas.usage.Enforcement;
import dev.tally.schemas.usage.FeatureGrant;
import dev.tally.schemas.usage.Period;
import dev.tally.topology.engine.BinaryFields;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * {@link Account} in the accounts store: read and written for every usage request, so a binary form
 * instead of JSON. Enums are written by their position in {@link #PERIODS} and {@link #ENFORCEMENTS},
 * which only grow at the end; -1 is "absent".
 *
 * <p>Version 2: version, counted period, periodStartMs, used, reserved, alertsSent, then the direct limit
 * (a presence byte, limit, period, enforcement), the package grants (count, then code, base, kind, limit,
 * period, enforcement, enabled) and the boosts (count, then externalId, amount, expiresAtMs). Version 1
 * (the spine's fixed 27 bytes: a direct limit and usage) is still read, so older state dirs keep working.
 */
public final class AccountSerde {

    static final byte VERSION = 2;
    static final byte VERSION_1 = 1;
    /** Version, period, enforcement, limit, periodStartMs, used. */
    static final int VERSION_1_SIZE = 1 + 1 + 1 + 8 + 8 + 8;
    private static final Period[] PERIODS = {Period.HOUR, Period.DAY, Period.MONTH, Period.LIFETIME};
    private static final Enforcement[] ENFORCEMENTS = {Enforcement.HARD, Enforcement.SOFT};
    private static final byte METERED = 0;
    private static final byte UNLIMITED = 1;
    private static final byte FLAG = 2;
    private static final int FIXED = 1 + 1 + 8 + 8 + 8 + 1 + 1 + 8 + 1 + 1 + 2 + 2;

    private AccountSerde() {
    }

    public static Serde<Account> serde() {
        return Serdes.serdeFrom((topic, value) -> value == null ? null : write(value),
                (topic, bytes) -> bytes == null ? null : read(bytes));
    }

    static byte[] write(Account account) {
        List<byte[]> codes = new ArrayList<>(account.packages().size());
        int size = FIXED;
        for (PackageGrant grant : account.packages()) {
            byte[] code = BinaryFields.utf8(grant.packageCode());
            codes.add(code);
            size += BinaryFields.sizeOf(code) + 1 + 1 + 8 + 1 + 1 + 1;
        }
        List<byte[]> ids = new ArrayList<>(account.boosts().size());
        for (Boost boost : account.boosts()) {
            byte[] id = BinaryFields.utf8(boost.externalId());
            ids.add(id);
            size += BinaryFields.sizeOf(id) + 8 + 8;
        }
        ByteBuffer out = ByteBuffer.allocate(size)
                .put(VERSION)
                .put(index(PERIODS, account.countedPeriod()))
                .putLong(account.periodStartMs())
                .putLong(account.used())
                .putLong(account.reserved())
                .put((byte) account.alertsSent());
        LimitSpec direct = account.direct();
        out.put((byte) (direct == null ? 0 : 1))
                .put(direct == null ? -1 : index(PERIODS, direct.period()))
                .putLong(direct == null ? 0 : direct.limit())
                .put(direct == null ? -1 : index(ENFORCEMENTS, direct.enforcement()));
        out.putShort((short) account.packages().size());
        for (int i = 0; i < account.packages().size(); i++) {
            PackageGrant p = account.packages().get(i);
            FeatureGrant g = p.grant();
            BinaryFields.putBytes(out, codes.get(i));
            out.put((byte) (p.base() ? 1 : 0))
                    .put(g.isMetered() ? METERED : g.isUnlimited() ? UNLIMITED : FLAG)
                    .putLong(g.isMetered() ? g.limit() : 0)
                    .put(index(PERIODS, g.period()))
                    .put(index(ENFORCEMENTS, g.enforcement()))
                    .put((byte) (Boolean.TRUE.equals(g.enabled()) ? 1 : 0));
        }
        out.putShort((short) account.boosts().size());
        for (int i = 0; i < account.boosts().size(); i++) {
            Boost boost = account.boosts().get(i);
            BinaryFields.putBytes(out, ids.get(i));
            out.putLong(boost.amount()).putLong(boost.expiresAtMs());
        }
        return out.array();
    }

    static Account read(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte version = in.get();
        if (version == VERSION_1 && bytes.length == VERSION_1_SIZE) {
            return readVersion1(in);
        }
        if (version != VERSION) {
            throw new SerializationException("account record of unknown version " + version);
        }
        Period counted = PERIODS[in.get()];
        long periodStartMs = in.getLong();
        long used = in.getLong();
        long reserved = in.getLong();
        int alertsSent = in.get();
        boolean hasDirect = in.get() == 1;
        Period directPeriod = at(PERIODS, in.get());
        long directLimit = in.getLong();
        Enforcement directEnforcement = at(ENFORCEMENTS, in.get());
        LimitSpec direct = hasDirect ? new LimitSpec(directLimit, directPeriod, directEnforcement) : null;
        int packageCount = in.getShort();
        List<PackageGrant> packages = new ArrayList<>(packageCount);
        for (int i = 0; i < packageCount; i++) {
            String code = BinaryFields.getText(in);
            boolean base = in.get() == 1;
            byte kind = in.get();
            long limit = in.getLong();
            Period period = at(PERIODS, in.get());
            Enforcement enforcement = at(ENFORCEMENTS, in.get());
            boolean enabled = in.get() == 1;
            FeatureGrant grant = switch (kind) {
                case METERED -> FeatureGrant.metered(limit, period, enforcement);
                case UNLIMITED -> FeatureGrant.unlimitedPer(period);
                default -> FeatureGrant.flag(enabled);
            };
            packages.add(new PackageGrant(code, base, grant));
        }
        int boostCount = in.getShort();
        List<Boost> boosts = new ArrayList<>(boostCount);
        for (int i = 0; i < boostCount; i++) {
            boosts.add(new Boost(BinaryFields.getText(in), in.getLong(), in.getLong()));
        }
        return new Account(direct, packages, boosts, counted, periodStartMs, used, reserved, alertsSent);
    }

    /** The spine's layout: period, enforcement, limit, periodStartMs, used. */
    private static Account readVersion1(ByteBuffer in) {
        Period period = PERIODS[in.get()];
        Enforcement enforcement = ENFORCEMENTS[in.get()];
        long limit = in.getLong();
        return new Account(new LimitSpec(limit, period, enforcement), List.of(), List.of(), period, in.getLong(),
                in.getLong(), 0, 0);
    }

    private static <T> byte index(T[] values, T value) {
        if (value == null) {
            return -1;
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return (byte) i;
            }
        }
        throw new SerializationException("no stored form for " + value);
    }

    private static <T> T at(T[] values, byte index) {
        return index < 0 ? null : values[index];
    }
}
