package dev.tally.launcher.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The what-if replay on hand-made decision logs, and the file it reads. */
class UsageWhatIfTest {

    private final HandMadeLog log = new HandMadeLog("t.");
    private long sent;
    private long used;

    /** A record-usage decision as the engine writes it, against a HARD limit of 10, in order. */
    private LoggedRecord usage(String workspace, long amount, String periodStart) {
        boolean fits = used + amount <= 10;
        if (fits) {
            used += amount;
        }
        String json = "{\"requestId\":\"r" + sent++ + "\",\"type\":\"record-usage\",\"code\":\"" + (fits ? "OK"
                : "QUOTA_EXCEEDED") + "\",\"workspace\":\"" + workspace + "\",\"feature\":\"ai.tokens\",\"amount\":"
                + amount + ",\"scope\":\"workspace\",\"used\":" + used + ",\"reserved\":0,\"limit\":10,"
                + "\"enforcement\":\"HARD\",\"periodStart\":\"" + periodStart + "\"}";
        return log.record("usage.decisions", workspace, json);
    }

    private List<WhatIfChange> replay(String file, int requests, long amount) {
        UsageWhatIf replay = new UsageWhatIf(WhatIfFile.parse(List.of(file.split("\n"))));
        for (int i = 0; i < requests; i++) {
            replay.accept(usage("acme", amount, "2026-12-01T00:00:00Z"));
        }
        assertThat(replay.replayed()).isEqualTo(requests);
        return replay.changes();
    }

    private LoggedRecord decision(String json) {
        return log.record("usage.decisions", "acme", json);
    }

    @Test
    void usageUnderNoHardLimitIsCountedAsNotReplayedAndChangesNothing() {
        UsageWhatIf replay = new UsageWhatIf(WhatIfFile.parse(List.of("limit acme ai.tokens 1")));
        String common = "\"type\":\"record-usage\",\"workspace\":\"acme\",\"feature\":\"ai.tokens\",\"amount\":5,"
                + "\"scope\":\"workspace\"";
        // No limit defined, a SOFT limit, an unlimited grant (no number), a dry run: none decided again
        replay.accept(decision("{\"requestId\":\"n1\",\"code\":\"NO_LIMIT_DEFINED\"," + common + "}"));
        replay.accept(decision("{\"requestId\":\"n2\",\"code\":\"SOFT_LIMIT_EXCEEDED\"," + common
                + ",\"used\":5,\"reserved\":0,\"limit\":3,\"enforcement\":\"SOFT\",\"periodStart\":\"p\"}"));
        replay.accept(decision("{\"requestId\":\"n3\",\"code\":\"OK\"," + common
                + ",\"used\":10,\"reserved\":0,\"enforcement\":\"HARD\",\"periodStart\":\"p\"}"));
        replay.accept(decision("{\"requestId\":\"n4\",\"code\":\"OK\"," + common + ",\"dryRun\":true"
                + ",\"used\":5,\"reserved\":0,\"limit\":10,\"enforcement\":\"HARD\",\"periodStart\":\"p\"}"));
        // A limit decision is not usage at all
        replay.accept(decision("{\"requestId\":\"l1\",\"type\":\"set-limit\",\"code\":\"LIMIT_SET\"}"));

        assertThat(replay.replayed()).isZero();
        assertThat(replay.notReplayed()).isEqualTo(4);
        assertThat(replay.changes()).isEmpty();
    }

    @Test
    void aHigherLimitTurnsTheFirstRejectionsIntoAccepts() {
        // 15 records of 1 against 10: r10 to r14 were rejected; at 12, r10 and r11 would fit
        List<WhatIfChange> changes = replay("limit acme ai.tokens 12", 15, 1);

        assertThat(changes).extracting(WhatIfChange::requestId).containsExactly("r10", "r11");
        assertThat(changes).allSatisfy(change -> {
            assertThat(change.was()).isEqualTo("QUOTA_EXCEEDED");
            assertThat(change.wouldBe()).isEqualTo("OK");
        });
    }

    @Test
    void aLowerLimitTurnsTheLastAcceptsIntoRejectionsAndKeepsTheRejectedRejected() {
        List<WhatIfChange> changes = replay("# lower\nlimit acme ai.tokens 7\n", 15, 1);

        assertThat(changes).extracting(WhatIfChange::requestId).containsExactly("r7", "r8", "r9");
        assertThat(changes).allSatisfy(change -> assertThat(change.wouldBe()).isEqualTo("QUOTA_EXCEEDED"));
    }

    @Test
    void aRecordThatNoLongerFitsLeavesRoomForALaterSmallerOne() {
        // 6 then 3 then 2 against 10: all but the 2 accepted (6 + 3 = 9). Against 8: the 3 is refused, the 2 fits.
        UsageWhatIf replay = new UsageWhatIf(WhatIfFile.parse(List.of("limit acme ai.tokens 8")));
        replay.accept(usage("acme", 6, "p"));
        replay.accept(usage("acme", 3, "p"));
        replay.accept(usage("acme", 2, "p"));

        assertThat(replay.changes()).extracting(WhatIfChange::requestId, WhatIfChange::wouldBe)
                .containsExactly(tuple("r1", "QUOTA_EXCEEDED"), tuple("r2", "OK"));
    }

    @Test
    void eachPeriodIsReplayedOnItsOwn() {
        // 8 of 1 in December, then 8 of 1 in January against 10: all accepted. Against 5: 3 refused in each month.
        UsageWhatIf replay = new UsageWhatIf(WhatIfFile.parse(List.of("limit acme ai.tokens 5")));
        for (int i = 0; i < 8; i++) {
            replay.accept(usage("acme", 1, "2026-12-01T00:00:00Z"));
        }
        used = 0;
        for (int i = 0; i < 8; i++) {
            replay.accept(usage("acme", 1, "2027-01-01T00:00:00Z"));
        }

        assertThat(replay.changes()).extracting(WhatIfChange::requestId)
                .containsExactly("r5", "r6", "r7", "r13", "r14", "r15");
    }

    @Test
    void otherWorkspacesAndTheSameLimitChangeNothing() {
        assertThat(replay("limit other ai.tokens 1", 15, 1)).isEmpty();
        used = 0;
        assertThat(replay("limit acme ai.tokens 10", 15, 1)).isEmpty();
    }

    @Test
    void aLineThatIsNeitherALimitNorACapacityIsRefusedWithItsNumber() {
        assertThatThrownBy(() -> WhatIfFile.parse(List.of("", "limit acme ai.tokens ten")))
                .hasMessageContaining("line 2").hasMessageContaining("'ten'");
        assertThatThrownBy(() -> WhatIfFile.parse(List.of("capacity desk-4")))
                .hasMessageContaining("line 1").hasMessageContaining("'capacity desk-4'");
        assertThatThrownBy(() -> WhatIfFile.parse(List.of("seats desk-4 3"))).hasMessageContaining("line 1");
        assertThatThrownBy(() -> WhatIfFile.parse(List.of("capacity desk-4 -1"))).hasMessageContaining("'-1'");
    }

    @Test
    void aFileHoldsLimitsAndCapacitiesSideBySide() {
        WhatIfFile file = WhatIfFile.parse(List.of("limit acme/eu ai.tokens 5", "# rooms", "capacity desk-4 3"));

        assertThat(file.limitOf("acme", "namespace:eu", "ai.tokens")).contains(5L);
        assertThat(file.limitOf("acme", "workspace", "ai.tokens")).isEmpty();
        assertThat(file.capacityOf("desk-4")).contains(3L);
        assertThat(file.capacityOf("desk-5")).isEmpty();
        assertThat(file.limits()).isEqualTo(1);
        assertThat(file.capacities()).isEqualTo(1);
    }
}
