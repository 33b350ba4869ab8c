package org.phare.agent.driver;

import java.nio.file.Path;
import org.phare.core.model.HostId;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.Resources;

/**
 * Stands in for an agent in {@link NoOrphanTest}: starts two instances on the data directory given as its
 * argument, waits until both serve, prints {@code pids <a> <b>} and then sleeps until it is killed. It never
 * closes its driver: its copies must die with it all the same.
 */
public final class OrphanProbeMain {
    private OrphanProbeMain() {}

    public static void main(String[] args) throws InterruptedException {
        ProcessDriver driver = ProcessDriver.builder(Path.of(args[0]), HostId.of("h-probe")).build();
        RunningInstance a = driver.start(InstanceId.of("i-probe-1"), 1, ImageId.of("ami-probe"), new Resources(1, 256));
        RunningInstance b = driver.start(InstanceId.of("i-probe-2"), 1, ImageId.of("ami-probe"), new Resources(1, 256));
        // Bounded: the test reads our stdout with its own bound and kills us anyway.
        for (int i = 0; i < 400 && !driver.list().values().stream().allMatch(RunningInstance::ready); i++) {
            Thread.sleep(50);
        }
        System.out.println("pids " + a.pid() + " " + b.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
