package org.phare.agent.driver;

import java.util.List;
import java.util.Map;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.Resources;

/**
 * Runs instance copies on one host. The agent's reconcile loop ({@link org.phare.core.agent.HostReconciler})
 * decides what to start and kill; a driver only does it and reports what truly lives.
 *
 * <p><b>Threading.</b> Every method is thread-safe: the agent calls the driver from its loop and from an HTTP
 * thread. No method blocks for longer than its documented bound.
 *
 * <p><b>Fencing.</b> The control plane starts an instance elsewhere only once its old copy is known to be gone,
 * so {@link #stop} returns only when the copy is confirmed dead, and {@link #list} reports every copy that is
 * still alive, starting and stopping ones included.
 *
 * <p><b>Lifetime.</b> Copies never outlive the agent process that started them, even if it is killed with
 * {@code kill -9}: a host that dies takes its instances with it. Nor do they outlive the agent's lease, even if the
 * agent is frozen and cannot fence: see {@link #renewLease}.
 */
public interface InstanceDriver extends AutoCloseable {

    /**
     * Starts a copy of an instance at a generation and returns at once, before the copy is ready; {@link #list}
     * tells when it serves. Starting the generation that already runs returns that copy (safe to run twice).
     *
     * @throws IllegalArgumentException if the image cannot be run by this driver (the message says why)
     * @throws IllegalStateException    if another generation of the instance still runs here (stop it first),
     *                                  the lease given to {@link #renewLease} has run out, or the driver is closed
     * @throws java.io.UncheckedIOException if the copy could not be launched
     */
    RunningInstance start(InstanceId id, long generation, ImageId image, Resources demand);

    /**
     * Stops the copy of an instance and returns once it is confirmed dead (bounded: a few seconds).
     *
     * @return false if no copy of the instance ran here
     * @throws IllegalStateException if the copy survived even a forcible kill; it stays listed
     */
    boolean stop(InstanceId id);

    /**
     * The agent's lease now runs until {@code expiresAtNanos} (on this JVM's {@link System#nanoTime()}): every copy
     * must be gone by then unless the lease is renewed again, whatever happens to the agent meanwhile (frozen by
     * SIGSTOP, a stalled JVM, a swap storm) — the watchdog behind the agent's own fence. A copy started afterwards holds
     * this deadline from its start; a start after it has passed is refused. Called after every reply that renews the
     * lease; never blocks. Until it is first called, copies live on the leash alone.
     */
    void renewLease(long expiresAtNanos);

    /**
     * Fencing: kills every copy at once, without grace (SIGKILL, or powering the VM off), and returns once they are
     * confirmed dead (bounded: a few seconds) with how many were killed. The driver keeps taking starts afterwards.
     * A copy that survives is logged and stays listed.
     */
    int fence();

    /** Every copy alive under this driver, by instance. A snapshot: later changes do not show in it. */
    Map<InstanceId, RunningInstance> list();

    /**
     * What a previous driver on the same data directory left running: copies still alive whose process is
     * verifiably ours. Records of dead copies are removed. Nothing is adopted or killed: the agent decides, by
     * generation, to {@link #adopt} or {@link #discard} each.
     */
    List<RecoveredInstance> recover();

    /**
     * Takes a recovered copy under this driver: it shows in {@link #list}, and {@link #stop} and {@link #close}
     * kill it.
     *
     * @throws IllegalStateException if the copy is no longer alive, or the instance already runs here
     */
    RunningInstance adopt(RecoveredInstance recovered);

    /**
     * Kills a recovered copy (if it still lives) and forgets it; returns once it is confirmed dead.
     *
     * @throws IllegalStateException if the copy survived even a forcible kill
     */
    void discard(RecoveredInstance recovered);

    /** Kills every copy this driver runs and refuses further starts. Idempotent. */
    @Override
    void close();
}
