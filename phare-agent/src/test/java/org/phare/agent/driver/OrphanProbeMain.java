package org.phare.agent.driver;

import java.nio.file.Path;
import org.phare.core.model.HostId;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.Resources;

/**
 * Stands in for an agent in {@link NoOrphanTest}: starts two instances on the data directory given as its first
 * argument, waits until both serve, prints {@code pids <a> <b>} and then sleeps until it is killed. It never closes its
 * driver: its copies must die with it all the same. With a second argument {@code LEASE_MS}, it holds a lease of that
 * length, renewed every 200 ms as an agent's replies would renew it, until it is frozen or killed.
 */
public final class OrphanProbeMain {
    static final long RENEW_EVERY_MS = 200;

    private OrphanProbeMain() {}

    public static void main(String[] args) throws InterruptedException {
        long leaseMs = args.length > 1 ? Long.parseLong(args[1]) : -1;
        ProcessDriver driver = ProcessDriver.builder(Path.of(args[0]), HostId.of("h-probe")).build();
        if (leaseMs > 0) {
            driver.renewLease(System.nanoTime() + leaseMs * 1_000_000);
        }
        RunningInstance a = driver.start(InstanceId.of("i-probe-1"), 1, ImageId.of("ami-probe"), new Resources(1, 256));
        RunningInstance b = driver.start(InstanceId.of("i-probe-2"), 1, ImageId.of("ami-probe"), new Resources(1, 256));
        // Bounded: the test reads our stdout with its own bound and kills us anyway.
        for (int i = 0; i < 400 && !driver.list().values().stream().allMatch(RunningInstance::ready); i++) {
            renew(driver, leaseMs);
            Thread.sleep(50);
        }
        System.out.println("pids " + a.pid() + " " + b.pid());
        System.out.flush();
        while (true) {
            renew(driver, leaseMs);
            Thread.sleep(leaseMs > 0 ? RENEW_EVERY_MS : Long.MAX_VALUE);
        }
    }

    private static void renew(ProcessDriver driver, long leaseMs) {
        if (leaseMs > 0) {
            driver.renewLease(System.nanoTime() + leaseMs * 1_000_000);
        }
    }
}
