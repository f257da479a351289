package dev.tally.topology.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.usage.Enforcement;
import dev.tally.schemas.usage.Period;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AccountSerdeTest {

    /** Every period with every enforcement: a new enum value without a stored form fails here. */
    @ParameterizedTest
    @EnumSource(Period.class)
    void everyLimitKindComesBackAsItWent(Period period) {
        for (Enforcement enforcement : Enforcement.values()) {
            Account account = new Account(new LimitSpec(Long.MAX_VALUE - 1, period, enforcement),
                    1_764_547_200_000L, 999_999_999_999L);

            assertThat(AccountSerde.read(AccountSerde.write(account))).isEqualTo(account);
        }
    }
}
