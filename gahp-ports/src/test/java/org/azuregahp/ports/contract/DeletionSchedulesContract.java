package org.azuregahp.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.DeletionSchedules;
import org.azuregahp.ports.ScheduledDeletion;
import org.junit.jupiter.api.Test;

/** What any {@link DeletionSchedules} adapter must do at the port (firing is adapter-specific). */
public abstract class DeletionSchedulesContract extends ContractSupport {

    protected abstract CloudAccount account();

    protected DeletionSchedules schedules() {
        return account().deletionSchedules();
    }

    private Instant inADay() {
        return Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MINUTES);
    }

    @Test
    public void scheduleRescheduleAndCancel() {
        String rg = uniqueName("ctrg");
        assertThat(await(schedules().schedule(new ScheduledDeletion(rg, location(), inADay())))).isNull();
        assertThat(await(schedules().schedule(new ScheduledDeletion(rg, location(), inADay().plusSeconds(3600)))))
                .isNull();
        assertThat(await(schedules().cancel(rg))).isNull();
    }

    @Test
    public void cancellingWhenNothingIsScheduledSucceeds() {
        assertThat(await(schedules().cancel(uniqueName("ctrg")))).isNull();
    }
}
