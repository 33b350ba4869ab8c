package org.phare.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.apache.ratis.retry.MultipleLinearRandomRetry;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;

/**
 * How long a leader waits before it tries again a member it could not reach ({@link RatisLog#APPENDER_RETRIES}): a
 * member that was away comes back to a leader that tries it again within a second, however long it was away.
 */
class AppenderRetriesTest {

    /** The longest wait the policy draws after {@code failures} failed attempts (each draw is random, ±50 %). */
    private static long longestWaitMs(String policy, int failures) {
        RetryPolicy p = MultipleLinearRandomRetry.parseCommaSeparated(policy);
        long longest = 0;
        for (int draw = 0; draw < 200; draw++) {
            RetryPolicy.Action a = p.handleAttemptFailure(() -> failures);
            assertThat(a.shouldRetry()).as("retries after %d failures", failures).isTrue();
            longest = Math.max(longest, a.getSleepTime().toLong(TimeUnit.MILLISECONDS));
        }
        return longest;
    }

    @Test
    void theDefaultMadeAMemberBackFromALongAbsenceWaitSeconds() {
        // Why the policy is set: Ratis's own waits 5 s (2.5 to 7.5 s) between attempts after the thirtieth failure.
        assertThat(longestWaitMs(RaftServerConfigKeys.Log.Appender.RETRY_POLICY_DEFAULT, 40)).isGreaterThan(2_000);
    }

    @Test
    void aMemberIsTriedAgainWithinASecondHoweverLongItWasAway() {
        assertThat(longestWaitMs(RatisLog.APPENDER_RETRIES, 1)).isLessThanOrEqualTo(2);
        assertThat(longestWaitMs(RatisLog.APPENDER_RETRIES, 9)).isLessThanOrEqualTo(2);
        for (int failures : new int[] {11, 50, 110}) {
            assertThat(longestWaitMs(RatisLog.APPENDER_RETRIES, failures)).as("after %d failures", failures).isBetween(1L, 150L);
        }
        for (int failures : new int[] {111, 1_000, 1_000_000, Integer.MAX_VALUE - 1}) {
            assertThat(longestWaitMs(RatisLog.APPENDER_RETRIES, failures)).as("after %d failures", failures).isBetween(100L, 750L);
        }
    }
}
