package org.phare.agent.driver;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.phare.agent.image.HttpEcho;
import org.phare.agent.image.Images;
import org.phare.agent.image.Leash;
import org.phare.core.model.HostId;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each instance copy as a supervised OS process: a JVM running the image's main class (see {@link Images})
 * with the agent's own Java and classpath, listening on a free loopback port.
 *
 * <p><b>No orphans.</b> Each child's standard input is a pipe whose write end only this driver holds (the
 * <em>leash</em>, see {@link Leash}). When the agent process dies, {@code kill -9} included, the kernel closes it and
 * the child halts at once. Children also run in their own session ({@code setsid}, when installed) so that a Ctrl-C
 * in the agent's terminal reaches the agent alone, which then takes its copies down by the leash, in order.
 *
 * <p><b>The lease travels down the leash.</b> An agent that is alive but frozen keeps its pipes open, so each copy
 * also holds a deadline that only the agent renews: {@link #renewLease} hands the driver the agent's lease, a copy
 * starts with what remains of it ({@code --lease-ms}) and each renewal is written to every copy's pipe as
 * {@code renew MS}, what then remains minus {@value #LEASE_MARGIN_MS} ms. A copy halts when its deadline passes, so a
 * frozen agent's copies are gone by its lease deadline, as its own fence would have made them. Each copy has its own
 * writer thread: a copy that does not read its pipe (frozen itself) blocks nobody, and dies by its deadline.
 *
 * <p><b>Supervision.</b> One virtual thread per copy probes readiness ({@link HttpProbe}): every
 * {@value #STARTING_PROBE_MS} ms while it starts, every {@value #RUNNING_PROBE_MS} ms after. A copy that exits
 * on its own leaves {@link #list()} and its record is removed; restarting it is the control plane's decision,
 * not the driver's. The one exception: a copy that exits with {@link HttpEcho#EXIT_PORT_TAKEN} before it ever
 * served (another process took its port between our check and its bind) is relaunched on another port, at most
 * {@value #MAX_LAUNCH_ATTEMPTS} launches in all.
 *
 * <p><b>Records.</b> {@code <dataDir>/instances/<id>.json} describes each live copy, for {@link #recover()};
 * {@code <id>.log} collects its output (appended across launches).
 *
 * <p>The process driver does not confine a copy to its {@code demand} (no cgroups); every copy is a small JVM.
 */
public final class ProcessDriver implements InstanceDriver {
    private static final Logger log = LoggerFactory.getLogger(ProcessDriver.class);

    /** How long a copy may take to exit after its leash is cut and it got SIGTERM, before SIGKILL. */
    static final Duration STOP_GRACE = Duration.ofSeconds(2);
    /** How long to wait for the kernel to reap a copy after SIGKILL before reporting it as surviving. */
    static final Duration KILL_WAIT = Duration.ofSeconds(5);
    static final int MAX_LAUNCH_ATTEMPTS = 5;
    static final long STARTING_PROBE_MS = 50;
    static final long RUNNING_PROBE_MS = 1000;
    /** After this long without ever answering, a starting copy is probed at the running pace. */
    private static final Duration FAST_PROBING_FOR = Duration.ofSeconds(30);
    private static final int MAX_PORT_PICKS = 20;
    private static final String LOOPBACK = "127.0.0.1";
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    /** Ids become file names: nothing that could climb out of the data directory. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /**
     * A copy is a tiny service: a small heap, a quick start, no /tmp/hsperfdata file per copy; and a halt that does
     * not wait 300 ms for the leash's reader, blocked in native code (the option is JDK 25's; older JDKs ignore it).
     */
    private static final List<String> CHILD_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx64m",
            "-XX:-UsePerfData", "-XX:+IgnoreUnrecognizedVMOptions", "-XX:UserThreadWaitAttemptsAtExit=0");
    /**
     * What a copy's deadline keeps below the agent's lease: the delay between computing a renewal and the copy reading
     * it (a thread hand-off and a pipe write), and the copy's own 10 ms uncertainty about its start.
     */
    static final long LEASE_MARGIN_MS = 50;
    /** A renewal written this long after it was computed (the agent was descheduled meanwhile) is written again. */
    private static final long LATE_RENEWAL_MS = 20;
    /** How many times in a row a late renewal is written again before waiting for the next one. */
    private static final int MAX_REWRITES = 3;
    /**
     * Variables the java launcher reads. An agent started with, say, a debugger agent on a fixed port must not
     * hand it to every copy.
     */
    private static final List<String> LAUNCHER_ENVIRONMENT = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    private final Path instancesDir;
    private final HostId host;
    private final Function<ImageId, String> imageKind;
    private final String java;
    private final String classpath;
    private final Optional<Path> setsid;
    private final InstantSource clock;
    private final IntSupplier freePorts;

    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final Map<InstanceId, Slot> slots = new LinkedHashMap<>();
    /** Guarded by {@link #lock}. */
    private boolean closed;
    /** The agent's lease ({@link System#nanoTime()}), or null while none was ever given: copies live on the leash alone. */
    private volatile Long leaseExpiresAtNanos;

    private ProcessDriver(Builder b) {
        this.instancesDir = b.dataDir.resolve("instances");
        this.host = b.host;
        this.imageKind = b.imageKind;
        this.java = b.java != null ? b.java.toString() : currentJava();
        this.classpath = b.classpath != null ? b.classpath : System.getProperty("java.class.path");
        this.setsid = b.useSetsid && Files.isExecutable(SETSID) ? Optional.of(SETSID) : Optional.empty();
        this.clock = b.clock;
        this.freePorts = b.freePorts;
        try {
            Files.createDirectories(instancesDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + instancesDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A driver keeping its records under {@code dataDir/instances} for copies that run on {@code host}.
     * Defaults: every image runs as {@link Images#HTTP_ECHO}, children run with this JVM's java and classpath,
     * in their own session when {@code /usr/bin/setsid} exists.
     */
    public static Builder builder(Path dataDir, HostId host) {
        return new Builder(dataDir, host);
    }

    /** One instance and its current launch. */
    private static final class Slot {
        final InstanceId id;
        final long generation;
        final ImageId image;
        final String kind;
        /** Guarded by {@link #lock}. */
        Launch launch;
        /** Guarded by {@link #lock}. */
        int attempts;
        /** Guarded by {@link #lock}. */
        boolean stopping;
        /** Written under {@link #lock}; read without it. */
        volatile boolean ready;
        volatile boolean everReady;

        Slot(InstanceId id, long generation, ImageId image, String kind) {
            this.id = id;
            this.generation = generation;
            this.image = image;
            this.kind = kind;
        }
    }

    /**
     * One OS process of a slot. {@code process} and {@code lease} are null for an adopted copy: it is not our child,
     * and we hold no pipe to it.
     */
    private record Launch(ProcessHandle handle, Process process, int port, Instant startedAt, LeaseWriter lease) {
        CompletableFuture<?> exit() {
            return process != null ? process.onExit() : handle.onExit();
        }

        long pid() {
            return handle.pid();
        }
    }

    /** What a live process's command line says it runs. */
    private record ChildArgs(String kind, InstanceId instance, long generation, int port) {}

    @Override
    public RunningInstance start(InstanceId id, long generation, ImageId image, Resources demand) {
        requireSafe(id);
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(demand, "demand");
        String kind = imageKind.apply(image);
        try {
            Images.mainClass(kind);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("image " + image + ": " + e.getMessage(), e);
        }
        Slot slot;
        Launch launch;
        synchronized (lock) {
            requireOpen();
            Slot existing = slots.get(id);
            if (existing != null) {
                if (existing.generation == generation && !existing.stopping) {
                    return snapshot(existing, existing.launch);
                }
                throw new IllegalStateException("instance " + id + " generation " + existing.generation
                        + (existing.stopping ? " is still stopping" : " still runs") + " on this host; stop it before starting generation " + generation);
            }
            slot = new Slot(id, generation, image, kind);
            try {
                launch = launch(slot);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot launch instance " + id + " generation " + generation + ": " + e.getMessage(), e);
            }
            slots.put(id, slot);
        }
        log.info("instance {} generation {} launched: pid {}, 127.0.0.1:{}", id, generation, launch.pid(), launch.port());
        supervise(slot, launch);
        return snapshot(slot, launch);
    }

    @Override
    public boolean stop(InstanceId id) {
        Slot slot;
        Launch launch;
        synchronized (lock) {
            slot = slots.get(id);
            if (slot == null) {
                return false;
            }
            slot.stopping = true;
            slot.ready = false;
            launch = slot.launch;
        }
        boolean gone = terminate(launch, System.nanoTime() + STOP_GRACE.toNanos());
        if (!gone) {
            throw new IllegalStateException("instance " + id + " (pid " + launch.pid() + ") survived SIGKILL for "
                    + KILL_WAIT.toSeconds() + " s; it is still listed as running");
        }
        synchronized (lock) {
            forget(slot);
        }
        log.info("instance {} generation {} stopped (pid {})", id, slot.generation, launch.pid());
        return true;
    }

    @Override
    public void renewLease(long expiresAtNanos) {
        leaseExpiresAtNanos = expiresAtNanos;
        synchronized (lock) {
            for (Slot slot : slots.values()) {
                if (slot.launch.lease() != null) {
                    slot.launch.lease().renew();
                }
            }
        }
    }

    @Override
    public int fence() {
        Map<Slot, Launch> all = new LinkedHashMap<>();
        synchronized (lock) {
            for (Slot slot : slots.values()) {
                slot.stopping = true;
                slot.ready = false;
                all.put(slot, slot.launch);
            }
        }
        // No grace: the lease ran out, the copies may run elsewhere soon. Signal all, then wait: n stop in the time of one.
        all.values().forEach(l -> l.handle().destroyForcibly());
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        int killed = 0;
        for (Map.Entry<Slot, Launch> e : all.entrySet()) {
            if (awaitExit(e.getValue(), deadline)) {
                synchronized (lock) {
                    forget(e.getKey());
                }
                killed++;
            } else {
                log.error("instance {} (pid {}) survived SIGKILL for {} s while fencing; it is still listed as running",
                        e.getKey().id, e.getValue().pid(), KILL_WAIT.toSeconds());
            }
        }
        return killed;
    }

    @Override
    public Map<InstanceId, RunningInstance> list() {
        Map<InstanceId, RunningInstance> all = new TreeMap<>();
        synchronized (lock) {
            for (Slot slot : slots.values()) {
                all.put(slot.id, snapshot(slot, slot.launch));
            }
        }
        return Collections.unmodifiableMap(all);
    }

    @Override
    public List<RecoveredInstance> recover() {
        List<RecoveredInstance> found = new ArrayList<>();
        synchronized (lock) {
            List<Path> files;
            try (Stream<Path> listing = Files.list(instancesDir)) {
                files = listing.sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + instancesDir + ": " + e.getMessage(), e);
            }
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(StateFile.TEMP_SUFFIX)) {
                    deleteQuietly(file); // a write that never got renamed: never a valid record
                    continue;
                }
                if (!name.endsWith(StateFile.SUFFIX)) {
                    continue;
                }
                String idText = name.substring(0, name.length() - StateFile.SUFFIX.length());
                if (!SAFE_ID.matcher(idText).matches()) {
                    continue; // not a name we write: not ours to judge
                }
                InstanceId id = InstanceId.of(idText);
                if (slots.containsKey(id)) {
                    continue; // a copy of ours, live
                }
                Optional<RecoveredInstance> recovered = inspect(file, id);
                if (recovered.isPresent()) {
                    found.add(recovered.get());
                } else {
                    deleteQuietly(file);
                    log.info("instance {}: removed the record of a copy that no longer runs", id);
                }
            }
        }
        return List.copyOf(found);
    }

    @Override
    public RunningInstance adopt(RecoveredInstance recovered) {
        Slot slot;
        Launch launch;
        synchronized (lock) {
            requireOpen();
            if (slots.containsKey(recovered.id())) {
                throw new IllegalStateException("instance " + recovered.id() + " already runs under this driver");
            }
            ProcessHandle handle = ProcessHandle.of(recovered.pid()).filter(ProcessHandle::isAlive)
                    .orElseThrow(() -> new IllegalStateException(describe(recovered) + " is no longer alive"));
            ChildArgs args = ourCommandLine(handle, recovered.id())
                    .filter(a -> a.generation() == recovered.generation())
                    .orElseThrow(() -> new IllegalStateException(describe(recovered) + " no longer runs that copy"));
            slot = new Slot(recovered.id(), args.generation(), recovered.image(), args.kind());
            slot.attempts = MAX_LAUNCH_ATTEMPTS; // never relaunched: it already started once
            // Not our child: no pipe, so no renewal reaches it. After an agent restart nothing is left to adopt (the
            // leash took every copy down); a copy found alive lives on whatever holds its standard input.
            launch = new Launch(handle, null, args.port(), recovered.startedAt(), null);
            slot.launch = launch;
            try {
                writeRecord(slot, launch);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the record of " + describe(recovered) + ": " + e.getMessage(), e);
            }
            slots.put(slot.id, slot);
        }
        log.info("adopted {}", describe(recovered));
        supervise(slot, launch);
        return snapshot(slot, launch);
    }

    @Override
    public void discard(RecoveredInstance recovered) {
        synchronized (lock) {
            Slot slot = slots.get(recovered.id());
            if (slot != null && slot.launch.pid() == recovered.pid()) {
                throw new IllegalStateException(describe(recovered) + " was adopted; stop it instead");
            }
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(recovered.pid()).filter(ProcessHandle::isAlive)
                .filter(h -> ourCommandLine(h, recovered.id()).isPresent());
        if (handle.isPresent()) {
            Launch launch = new Launch(handle.get(), null, 0, recovered.startedAt(), null);
            if (!terminate(launch, System.nanoTime() + STOP_GRACE.toNanos())) {
                throw new IllegalStateException(describe(recovered) + " survived SIGKILL for " + KILL_WAIT.toSeconds() + " s");
            }
            log.info("discarded {}", describe(recovered));
        }
        synchronized (lock) {
            if (!slots.containsKey(recovered.id())) {
                deleteQuietly(recordFile(recovered.id()));
            }
        }
    }

    @Override
    public void close() {
        Map<Slot, Launch> all = new LinkedHashMap<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            for (Slot slot : slots.values()) {
                slot.stopping = true;
                slot.ready = false;
                all.put(slot, slot.launch);
            }
        }
        // Signal every copy first, then wait: n copies stop in the time of one.
        long graceDeadline = System.nanoTime() + STOP_GRACE.toNanos();
        all.values().forEach(ProcessDriver::cutLeashAndTerm);
        List<Slot> survivors = new ArrayList<>();
        for (Map.Entry<Slot, Launch> e : all.entrySet()) {
            if (!awaitExit(e.getValue(), graceDeadline)) {
                e.getValue().handle().destroyForcibly();
                survivors.add(e.getKey());
            }
        }
        long killDeadline = System.nanoTime() + KILL_WAIT.toNanos();
        for (Slot slot : survivors) {
            if (!awaitExit(all.get(slot), killDeadline)) {
                log.error("instance {} (pid {}) survived SIGKILL for {} s", slot.id, all.get(slot).pid(), KILL_WAIT.toSeconds());
            }
        }
        synchronized (lock) {
            for (Map.Entry<Slot, Launch> e : all.entrySet()) {
                if (!e.getValue().handle().isAlive()) {
                    forget(e.getKey());
                }
            }
        }
        if (!all.isEmpty()) {
            log.info("driver closed: {} instance(s) stopped", all.size());
        }
    }

    // ---- launching and supervising ----

    /**
     * Starts one process for the slot and records it. Called with {@link #lock} held (forking is quick).
     *
     * @throws IllegalStateException if the agent's lease has run out: nothing may start
     */
    private Launch launch(Slot slot) throws IOException {
        int port = pickPort();
        List<String> command = new ArrayList<>();
        setsid.ifPresent(p -> command.add(p.toString()));
        command.add(java);
        command.addAll(CHILD_JVM_OPTIONS);
        command.add(Images.mainClass(slot.kind));
        command.addAll(List.of("--instance", slot.id.value(), "--generation", Long.toString(slot.generation),
                "--host", host.value(), "--port", Integer.toString(port)));
        // Computed before the fork and counted by the copy from its start, which comes later: never past the lease.
        Long lease = leaseExpiresAtNanos;
        if (lease != null) {
            long remainingMs = TimeUnit.NANOSECONDS.toMillis(lease - System.nanoTime()) - LEASE_MARGIN_MS;
            if (remainingMs <= 0) {
                throw new IllegalStateException("the agent's lease has run out: instance " + slot.id + " cannot start");
            }
            command.addAll(List.of("--lease-ms", Long.toString(remainingMs)));
        }
        slot.attempts++;
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeAll(LAUNCHER_ENVIRONMENT);
        // The classpath goes in the environment, not after -cp: Linux lets a process read at most a page of
        // another's command line, and a long classpath would hide the arguments recover() identifies copies by.
        builder.environment().put("CLASSPATH", classpath);
        Path logFile = logFile(slot.id);
        Instant startedAt = clock.instant();
        Files.writeString(logFile, "=== " + startedAt + " phare agent: starting " + slot.id + " generation " + slot.generation
                        + " on " + LOOPBACK + ":" + port + " (launch " + slot.attempts + ")\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        builder.redirectInput(ProcessBuilder.Redirect.PIPE); // the leash: held open, written only with renewals
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Process process = builder.start();
        LeaseWriter writer = new LeaseWriter(slot.id, process.getOutputStream());
        Launch launch = new Launch(process.toHandle(), process, port, startedAt, writer);
        try {
            writeRecord(slot, launch);
        } catch (IOException e) {
            cutLeashAndTerm(launch);
            process.destroyForcibly();
            throw e;
        }
        writer.start();
        slot.launch = launch;
        return launch;
    }

    /**
     * Writes the agent's lease renewals into one copy's pipe, on its own virtual thread: a copy that does not read
     * (frozen, or its pipe full) blocks only this thread, never the agent. Only this thread writes to the pipe and
     * closes it, so cutting the leash never waits on a blocked write.
     */
    private final class LeaseWriter {
        private final InstanceId id;
        private final OutputStream pipe;
        private final AtomicBoolean pending = new AtomicBoolean();
        private volatile boolean cut;
        private volatile Thread thread;

        LeaseWriter(InstanceId id, OutputStream pipe) {
            this.id = id;
            this.pipe = pipe;
        }

        void start() {
            thread = Thread.ofVirtual().name("lease-" + id).start(this::run);
        }

        /** The lease was renewed: write what remains of it (soon, on the writer's thread). */
        void renew() {
            pending.set(true);
            LockSupport.unpark(thread);
        }

        /** Cuts the leash: the pipe is closed (the copy reads end of file and halts) and the writer ends. */
        void cut() {
            cut = true;
            Thread t = thread;
            if (t == null) {
                closePipe(); // never started (the launch failed): nobody else will close it
            } else {
                LockSupport.unpark(t);
            }
        }

        private void run() {
            try {
                int rewrites = 0;
                while (!cut) {
                    if (!pending.getAndSet(false)) {
                        LockSupport.park(this);
                        continue;
                    }
                    Long lease = leaseExpiresAtNanos;
                    if (lease == null) {
                        continue;
                    }
                    long computedAt = System.nanoTime();
                    long remainingMs = Math.max(0, TimeUnit.NANOSECONDS.toMillis(lease - computedAt) - LEASE_MARGIN_MS);
                    pipe.write((Leash.RENEW + " " + remainingMs + "\n").getBytes(StandardCharsets.US_ASCII));
                    pipe.flush();
                    // Descheduled (or frozen) between computing and writing: the copy counts from its reading, so what
                    // it got may outlast the lease by that delay. Write what remains now, which supersedes it.
                    if (System.nanoTime() - computedAt > TimeUnit.MILLISECONDS.toNanos(LATE_RENEWAL_MS) && rewrites < MAX_REWRITES) {
                        rewrites++;
                        pending.set(true);
                    } else {
                        rewrites = 0;
                    }
                }
            } catch (IOException e) {
                // The copy is gone (broken pipe): nothing left to renew.
            } finally {
                closePipe();
            }
        }

        private void closePipe() {
            try {
                pipe.close();
            } catch (IOException e) {
                // already closed (the process exited): nothing to cut
            }
        }
    }

    private void supervise(Slot slot, Launch launch) {
        launch.exit().whenComplete((ignored, error) -> exited(slot, launch));
        Thread.ofVirtual().name("probe-" + slot.id).start(() -> probe(slot, launch));
    }

    private void probe(Slot slot, Launch launch) {
        long fastUntil = System.nanoTime() + FAST_PROBING_FOR.toNanos();
        while (true) {
            synchronized (lock) {
                if (slot.launch != launch || slots.get(slot.id) != slot || slot.stopping) {
                    return;
                }
            }
            if (!launch.handle().isAlive()) {
                return;
            }
            boolean answers = HttpProbe.answersAsItself(launch.port(), slot.id, slot.generation, launch.pid());
            synchronized (lock) {
                // Only the current, live launch may set readiness: never a probe that lost a race with an exit.
                if (slot.launch == launch && !slot.stopping && launch.handle().isAlive()) {
                    if (answers && !slot.everReady) {
                        log.info("instance {} generation {} is ready on 127.0.0.1:{}", slot.id, slot.generation, launch.port());
                    }
                    slot.ready = answers;
                    slot.everReady |= answers;
                }
            }
            boolean fast = !slot.everReady && System.nanoTime() - fastUntil < 0;
            try {
                Thread.sleep(fast ? STARTING_PROBE_MS : RUNNING_PROBE_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Runs when a launch's process is gone, whoever ended it. */
    private void exited(Slot slot, Launch launch) {
        Integer code = launch.process() != null ? launch.process().exitValue() : null;
        Launch relaunched = null;
        String outcome;
        synchronized (lock) {
            if (slot.launch != launch || slots.get(slot.id) != slot) {
                return; // superseded by a relaunch, or already forgotten by stop()
            }
            slot.ready = false;
            if (slot.stopping) {
                forget(slot); // stop() or close() is waiting for this very exit
                return;
            }
            if (launch.lease() != null) {
                launch.lease().cut(); // ends its writer
            }
            if (code != null && code == HttpEcho.EXIT_PORT_TAKEN && !slot.everReady && !closed
                    && slot.attempts < MAX_LAUNCH_ATTEMPTS) {
                try {
                    relaunched = launch(slot);
                    outcome = "its port " + launch.port() + " was taken; relaunched on port " + relaunched.port()
                            + " (launch " + slot.attempts + " of " + MAX_LAUNCH_ATTEMPTS + ")";
                } catch (IOException | RuntimeException e) {
                    forget(slot);
                    outcome = "its port " + launch.port() + " was taken and relaunching failed: " + e.getMessage();
                }
            } else {
                forget(slot);
                outcome = code != null && code == Leash.EXIT_LEASE_EXPIRED
                        ? "its lease ran out before the agent renewed it; see " + logFile(slot.id)
                        : "it is no longer running; see " + logFile(slot.id);
            }
        }
        log.warn("instance {} generation {} (pid {}) exited with {}: {}", slot.id, slot.generation, launch.pid(),
                code == null ? "an unknown code" : "code " + code, outcome);
        if (relaunched != null) {
            supervise(slot, relaunched);
        }
    }

    /** Cuts the leash and sends SIGTERM, then SIGKILL after the grace; true once the process is confirmed gone. */
    private static boolean terminate(Launch launch, long graceDeadlineNanos) {
        cutLeashAndTerm(launch);
        if (awaitExit(launch, graceDeadlineNanos)) {
            return true;
        }
        log.warn("pid {} did not exit within {} s of SIGTERM; sending SIGKILL", launch.pid(), STOP_GRACE.toSeconds());
        launch.handle().destroyForcibly();
        return awaitExit(launch, System.nanoTime() + KILL_WAIT.toNanos());
    }

    private static void cutLeashAndTerm(Launch launch) {
        if (launch.lease() != null) {
            launch.lease().cut();
        }
        launch.handle().destroy();
    }

    private static boolean awaitExit(Launch launch, long deadlineNanos) {
        try {
            launch.exit().get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return !launch.handle().isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !launch.handle().isAlive();
        }
    }

    // ---- records ----

    private void writeRecord(Slot slot, Launch launch) throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("instance", slot.id.value());
        fields.put("generation", slot.generation);
        fields.put("image", slot.image.value());
        fields.put("kind", slot.kind);
        fields.put("host", host.value());
        fields.put("pid", launch.pid());
        fields.put("port", launch.port());
        fields.put("startedAt", launch.startedAt().toString());
        StateFile.write(recordFile(slot.id), fields);
    }

    /** A recovered copy, if the record's pid is alive and provably runs this instance. */
    private Optional<RecoveredInstance> inspect(Path file, InstanceId id) {
        Map<String, String> fields;
        long pid;
        try {
            fields = StateFile.read(file);
            pid = Long.parseLong(Objects.requireNonNullElse(fields.get("pid"), "missing"));
        } catch (IOException | NumberFormatException e) {
            log.warn("instance {}: unreadable record {} ({}); treating it as stale", id, file, e.getMessage());
            return Optional.empty();
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            return Optional.empty();
        }
        // The pid may have been reused by an unrelated process: only the command line proves it is our copy.
        Optional<ChildArgs> args = ourCommandLine(handle.get(), id);
        if (args.isEmpty()) {
            return Optional.empty();
        }
        String imageText = fields.get("image");
        ImageId image = imageText == null || imageText.isBlank() ? ImageId.of(args.get().kind()) : ImageId.of(imageText);
        Instant startedAt;
        try {
            startedAt = Instant.parse(fields.getOrDefault("startedAt", ""));
        } catch (DateTimeParseException e) {
            startedAt = handle.get().info().startInstant().orElse(Instant.EPOCH);
        }
        return Optional.of(new RecoveredInstance(id, args.get().generation(), image,
                LOOPBACK + ":" + args.get().port(), pid, startedAt));
    }

    /**
     * What a live process runs, if its command line is one of our images' for this instance. A process whose
     * command line cannot be read is never claimed.
     */
    private static Optional<ChildArgs> ourCommandLine(ProcessHandle handle, InstanceId id) {
        String[] args = handle.info().arguments().orElse(null);
        if (args == null) {
            return Optional.empty();
        }
        for (int i = 0; i < args.length; i++) {
            Optional<String> kind = Images.kindOfMainClass(args[i]);
            if (kind.isEmpty()) {
                continue;
            }
            Map<String, String> opts = new LinkedHashMap<>();
            for (int j = i + 1; j + 1 < args.length; j += 2) {
                opts.put(args[j], args[j + 1]);
            }
            try {
                if (!id.value().equals(opts.get("--instance"))) {
                    return Optional.empty();
                }
                return Optional.of(new ChildArgs(kind.get(), id, Long.parseLong(opts.get("--generation")),
                        Integer.parseInt(opts.get("--port"))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Removes a slot and its record, if it is still the current one. Called with {@link #lock} held. */
    private void forget(Slot slot) {
        if (slots.remove(slot.id, slot)) {
            deleteQuietly(recordFile(slot.id));
        }
    }

    private Path recordFile(InstanceId id) {
        return instancesDir.resolve(id.value() + StateFile.SUFFIX);
    }

    private Path logFile(InstanceId id) {
        return instancesDir.resolve(id.value() + ".log");
    }

    // ---- small things ----

    /** A loopback port free right now and not given to another copy of ours. Called with {@link #lock} held. */
    private int pickPort() throws IOException {
        Set<Integer> ours = new HashSet<>();
        for (Slot s : slots.values()) {
            ours.add(s.launch.port());
        }
        for (int i = 0; i < MAX_PORT_PICKS; i++) {
            int port = freePorts.getAsInt();
            if (!ours.contains(port)) {
                return port;
            }
        }
        throw new IOException("no free loopback port after " + MAX_PORT_PICKS + " tries");
    }

    /** Asks the kernel for a free port: bind port 0 on loopback, read the port, release it for the child. */
    static int ephemeralLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port: " + e.getMessage(), e);
        }
    }

    private static String currentJava() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private RunningInstance snapshot(Slot slot, Launch launch) {
        return new RunningInstance(slot.id, slot.generation, slot.image, LOOPBACK + ":" + launch.port(),
                launch.pid(), launch.startedAt(), slot.ready);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the process driver is closed");
        }
    }

    private static void requireSafe(InstanceId id) {
        Objects.requireNonNull(id, "id");
        if (!SAFE_ID.matcher(id.value()).matches()) {
            throw new IllegalArgumentException("instance id '" + id.value()
                    + "' cannot name a file: use letters, digits, '.', '_' and '-' (at most 128)");
        }
    }

    private static String describe(RecoveredInstance r) {
        return "instance " + r.id() + " generation " + r.generation() + " (pid " + r.pid() + ")";
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", file, e.getMessage());
        }
    }

    /** Builds a {@link ProcessDriver}; see {@link ProcessDriver#builder}. */
    public static final class Builder {
        private final Path dataDir;
        private final HostId host;
        private Function<ImageId, String> imageKind = image -> Images.HTTP_ECHO;
        private Path java;
        private String classpath;
        private boolean useSetsid = true;
        private InstantSource clock = InstantSource.system();
        private IntSupplier freePorts = ProcessDriver::ephemeralLoopbackPort;

        private Builder(Path dataDir, HostId host) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            this.host = Objects.requireNonNull(host, "host");
        }

        /**
         * How to learn an image's kind ({@link org.phare.core.model.Image#kind()}). The agent protocol's
         * assignments carry only the image id; until the agent knows the catalog, every image runs as
         * {@link Images#HTTP_ECHO}, the one built-in kind.
         */
        public Builder imageKind(Function<ImageId, String> imageKind) {
            this.imageKind = Objects.requireNonNull(imageKind, "imageKind");
            return this;
        }

        /** The java executable for children; default: the one running this JVM. */
        public Builder java(Path java) {
            this.java = Objects.requireNonNull(java, "java");
            return this;
        }

        /** The classpath for children; default: this JVM's {@code java.class.path}. */
        public Builder classpath(String classpath) {
            this.classpath = Objects.requireNonNull(classpath, "classpath");
            return this;
        }

        /** Whether to start children in their own session with {@code /usr/bin/setsid} when it exists (default). */
        public Builder useSetsid(boolean useSetsid) {
            this.useSetsid = useSetsid;
            return this;
        }

        /** The wall clock that stamps records and logs. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where free ports come from; tests use it to hand out a taken port. */
        Builder freePorts(IntSupplier freePorts) {
            this.freePorts = Objects.requireNonNull(freePorts, "freePorts");
            return this;
        }

        public ProcessDriver build() {
            return new ProcessDriver(this);
        }
    }
}
