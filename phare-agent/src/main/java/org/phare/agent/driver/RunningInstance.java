package org.phare.agent.driver;

import java.time.Instant;
import java.util.Objects;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceId;

/**
 * One live copy of an instance, as a driver sees it.
 *
 * @param address   where the copy serves, {@code host:port}
 * @param pid       the operating-system process of the copy
 * @param startedAt when the driver launched it (the agent's wall clock, for people to read)
 * @param ready     the copy answered on its address at the last probe
 */
public record RunningInstance(InstanceId id, long generation, ImageId image, String address, long pid,
                              Instant startedAt, boolean ready) {
    public RunningInstance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
