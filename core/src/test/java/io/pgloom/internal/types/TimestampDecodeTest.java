package io.pgloom.internal.types;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Timestamps decode through a one-day cache of the date; checked against the JDK's own
 * conversion for runs within a day, jumps between days, and days before 1970 and 2000.
 */
class TimestampDecodeTest {

    private static final long EPOCH_SECOND_2000 = 946_684_800L;

    private static LocalDateTime reference(long micros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L) + EPOCH_SECOND_2000,
                (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
    }

    @Test
    void everyTimestampGetsItsOwnDayAndTime() {
        Random random = new Random(4);
        long micros = -40L * 365 * 86_400_000_000L; // 1960
        for (int i = 0; i < 50_000; i++) {
            // mostly small steps (rows of one day), now and then a jump of years either way
            micros += random.nextInt(10) == 0 ? (random.nextLong() % (80L * 365 * 86_400_000_000L))
                    : random.nextInt(3_600_000) * 1_000L + random.nextInt(1000);
            assertThat(DateTimeCodecs.localDateTime(micros)).as("%d µs", micros).isEqualTo(reference(micros));
        }
        for (long edge : new long[] {0, -1, 86_399_999_999L, 86_400_000_000L, -86_400_000_000L, -86_400_000_001L}) {
            assertThat(DateTimeCodecs.localDateTime(edge)).as("%d µs", edge).isEqualTo(reference(edge));
        }
    }
}
