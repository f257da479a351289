package dev.tally.topology.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.usage.Enforcement;
import dev.tally.schemas.usage.FeatureGrant;
import dev.tally.schemas.usage.Period;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AccountSerdeTest {

    /** Every period with every enforcement: a new enum value without a stored form fails here. */
    @ParameterizedTest
    @EnumSource(Period.class)
    void everyLimitKindComesBackAsItWent(Period period) {
        for (Enforcement enforcement : Enforcement.values()) {
            Account account = new Account(new LimitSpec(Long.MAX_VALUE - 1, period, enforcement), List.of(),
                    List.of(), period, 1_764_547_200_000L, 999_999_999_999L, 12, 0b101);

            assertThat(AccountSerde.read(AccountSerde.write(account))).isEqualTo(account);
        }
    }

    @Test
    void everyKindOfGrantAndBoostComesBackAsItWent() {
        Account account = new Account(null,
                List.of(new PackageGrant("addon-a", false, FeatureGrant.metered(500, Period.DAY, Enforcement.SOFT)),
                        new PackageGrant("addon-b", false, FeatureGrant.flag(false)),
                        new PackageGrant("pro", true, FeatureGrant.unlimitedPer(Period.HOUR))),
                List.of(new Boost("inv-1", 50, Boost.NEVER), new Boost("inv-2", 7, 1_764_547_200_000L)),
                Period.HOUR, 1_764_547_200_000L, 3, 4, 0b1);

        assertThat(AccountSerde.read(AccountSerde.write(account))).isEqualTo(account);
    }

    /** State dirs written by the spine hold version 1 accounts: a direct limit and usage. */
    @Test
    void aVersionOneAccountReadsAsItsDirectLimitAndUsage() {
        // 27 bytes, as the spine (578ea1e) wrote them: version, period, enforcement, limit, start, used
        byte[] v1 = ByteBuffer.allocate(1 + 1 + 1 + 8 + 8 + 8).put((byte) 1).put((byte) 2).put((byte) 1).putLong(1000)
                .putLong(1_764_547_200_000L).putLong(250).array();

        Account account = AccountSerde.read(v1);

        assertThat(account.direct()).isEqualTo(new LimitSpec(1000, Period.MONTH, Enforcement.SOFT));
        assertThat(account.countedPeriod()).isEqualTo(Period.MONTH);
        assertThat(account.periodStartMs()).isEqualTo(1_764_547_200_000L);
        assertThat(account.used()).isEqualTo(250);
        assertThat(account.reserved()).isZero();
    }
}
