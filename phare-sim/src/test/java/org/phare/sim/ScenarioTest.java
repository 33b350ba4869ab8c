package org.phare.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What each fault scenario must show, in virtual time (never wall-clock). */
class ScenarioTest {

    @Test
    @DisplayName("a lost zone is detected within 6 s and every one of its instances runs elsewhere within 30 s")
    void zoneLoss() {
        SimResult r = Simulation.run(SimConfig.of(60, 3, 600, Scenario.ZONE_LOSS, 11));
        assertThat(r.violations()).isEmpty();
        assertThat(r.rejectedInstances()).as("the fleet is sized for its workload").isLessThanOrEqualTo(6);
        assertThat(r.affectedInstances()).isGreaterThan(100);
        assertThat(r.detectionSeconds()).isBetween(5.0, 6.0);
        assertThat(r.recoverySeconds()).isLessThanOrEqualTo(30.0);
        assertThat(r.unplacedInstances()).isZero();
        assertThat(r.failoverPlacements()).isEqualTo(r.affectedInstances());
        assertThat(r.hostsDeclaredDead()).isEqualTo(20);
    }

    @Test
    @DisplayName("the log stalls for 5 s as a lost zone's recovery starts: no invariant breaks, every instance runs again,"
            + " and no live host fences itself")
    void logStall() {
        SimResult r = Simulation.run(SimConfig.of(60, 3, 600, Scenario.LOG_STALL, 11));
        assertThat(r.violations()).isEmpty();
        assertThat(r.affectedInstances()).isGreaterThan(100);
        assertThat(r.unplacedInstances()).isZero();
        assertThat(r.recoverySeconds()).as("held back by the stall, then done").isBetween(10.0, 40.0);
        assertThat(r.wronglyFenced()).as("fences of hosts no fault touched").isZero();
        assertThat(r.hostsDeclaredDead()).isEqualTo(20);
    }

    @Test
    @DisplayName("a slow log (50 ms a commit, 20 entries a second): a lost zone still recovers, nobody fences wrongly,"
            + " and a whole tick of failover placements commits as one entry")
    void slowLog() {
        SimConfig slow = SimConfig.of(60, 3, 600, Scenario.ZONE_LOSS, 11).withLog(new LogModel(SimClock.ms(50), 20, 2_000));
        SimResult r = Simulation.run(slow);
        assertThat(r.violations()).isEmpty();
        assertThat(r.unplacedInstances()).isZero();
        assertThat(r.recoverySeconds()).isNotNull();
        assertThat(r.wronglyFenced()).isZero();
        assertThat(r.logEntries()).as("entries: far fewer than records").isLessThan(r.logRecords() / 5);
    }

    @Test
    @DisplayName("a controller killed with entries in flight: they are lost with it, and no agent ever heard of them")
    void crashLosesWhatDidNotCommit() {
        SimConfig slow = SimConfig.of(30, 3, 250, Scenario.CONTROLLER_RESTART, 2).withLog(new LogModel(SimClock.ms(400), 0, 0));
        SimResult r = Simulation.run(slow);
        assertThat(r.violations()).isEmpty();
        assertThat(r.controllerRestarts()).isEqualTo(1);
        assertThat(r.unplacedInstances()).isZero();
        assertThat(r.wronglyFenced()).isZero();
    }

    @Test
    @DisplayName("a host cut off but alive fences itself before its instances restart elsewhere")
    void partition() {
        SimResult r = Simulation.run(SimConfig.of(12, 3, 80, Scenario.PARTITION, 3));
        assertThat(r.violations()).isEmpty();
        assertThat(r.agentFences()).isGreaterThanOrEqualTo(1);
        assertThat(r.evictions()).isEqualTo(r.affectedInstances()).isPositive();
        assertThat(r.recoverySeconds()).isNotNull();
    }

    @Test
    @DisplayName("an agent frozen for 10 s cannot fence, yet its copies stop at its lease deadline on their own; its instances"
            + " run elsewhere before it thaws, and nobody else fences")
    void frozenAgent() {
        SimResult r = Simulation.run(SimConfig.of(12, 3, 80, Scenario.FROZEN_AGENT, 3));
        assertThat(r.violations()).isEmpty();
        assertThat(r.affectedInstances()).isPositive();
        assertThat(r.evictions()).as("its instances moved off it").isEqualTo(r.affectedInstances());
        assertThat(r.hostsDeclaredDead()).isEqualTo(1);
        assertThat(r.recoverySeconds()).as("recovered while the agent was still frozen").isNotNull().isLessThan(10.0);
        assertThat(r.agentFences()).as("the thawed agent finds its lease run out and fences").isEqualTo(1);
        assertThat(r.wronglyFenced()).as("fences or watchdog stops of hosts no fault touched").isZero();
    }

    @Test
    @DisplayName("without the copies' own deadline (the leash alone), a frozen agent's copies outlive its lease: the checker"
            + " sees them alive when their instances move")
    void frozenAgentWithoutWatchdogIsCaught() {
        SimResult r = Simulation.run(SimConfig.of(12, 3, 80, Scenario.FROZEN_AGENT, 3).withWatchdogDisabled(true));
        assertThat(r.violations()).anySatisfy(v -> assertThat(v).satisfiesAnyOf(
                s -> assertThat(s).startsWith("S1"),
                s -> assertThat(s).startsWith("S4").contains("while its copy is still alive")));
    }

    @Test
    @DisplayName("one way: a host whose heartbeats arrive but whose replies are lost fences itself, and the controller, which"
            + " stops granting a lease it sees unacknowledged, declares it dead and moves its instances before the network"
            + " heals; a host whose heartbeats are lost is a partition; nobody else fences")
    void oneWayPartition() {
        SimResult r = Simulation.run(SimConfig.of(12, 3, 80, Scenario.ONE_WAY_PARTITION, 3));
        assertThat(r.violations()).isEmpty();
        assertThat(r.hostsDeclaredDead()).as("both hosts, the one still heard included").isEqualTo(2);
        assertThat(r.evictions()).isEqualTo(r.affectedInstances()).isPositive();
        assertThat(r.agentFences()).isGreaterThanOrEqualTo(2);
        assertThat(r.recoverySeconds()).as("every instance running elsewhere before the 20 s cut heals").isNotNull()
                .isLessThan(20.0);
        assertThat(r.wronglyFenced()).isZero();
        assertThat(r.unplacedInstances()).isZero();
    }

    @Test
    @DisplayName("when the controller is cut off from every host, failover freezes and ControlPlaneIsolated is raised")
    void controlPlaneIsolation() {
        SimResult r = Simulation.run(SimConfig.of(30, 3, 200, Scenario.CONTROL_PLANE_ISOLATION, 5));
        assertThat(r.violations()).isEmpty();
        assertThat(r.alarmsRaised()).contains("ControlPlaneIsolated");
        assertThat(r.hostsDeclaredDead()).as("no host is declared dead because of the controller's own isolation").isZero();
        assertThat(r.evictions()).isZero();
        assertThat(r.recoverySeconds()).as("instances fenced during the isolation run again where they were").isNotNull();
    }

    @Test
    @DisplayName("a controller killed mid-recovery rebuilds its state from the log and finishes the failover")
    void controllerRestart() {
        SimResult r = Simulation.run(SimConfig.of(30, 3, 250, Scenario.CONTROLLER_RESTART, 2));
        assertThat(r.violations()).isEmpty();
        assertThat(r.controllerRestarts()).isEqualTo(1);
        assertThat(r.unplacedInstances()).isZero();
        assertThat(r.recoverySeconds()).isNotNull();
    }

    @Test
    @DisplayName("the safety checker stops the run when agents that do not fence themselves would let a second copy start")
    void brokenFencingIsCaught() {
        SimConfig broken = SimConfig.of(12, 3, 80, Scenario.PARTITION, 3).withFencingDisabled(true);
        SimResult r = Simulation.run(broken);
        // S4 sees the eviction while the old copy still runs; S1 would see the second copy one step later.
        assertThat(r.violations()).anySatisfy(v -> assertThat(v).satisfiesAnyOf(
                s -> assertThat(s).startsWith("S1"),
                s -> assertThat(s).startsWith("S4").contains("while its copy is still alive")));
    }

    @Test
    @DisplayName("the same seed gives the same run, record for record; another seed another run")
    void determinism() {
        SimConfig c = SimConfig.of(20, 3, 150, Scenario.RANDOM, 42);
        SimResult a = Simulation.run(c);
        SimResult b = Simulation.run(c);
        assertThat(b.logDigest()).isEqualTo(a.logDigest());
        assertThat(b.events()).isEqualTo(a.events());
        assertThat(b.logRecords()).isEqualTo(a.logRecords());
        assertThat(b.recoverySeconds()).isEqualTo(a.recoverySeconds());
        SimResult other = Simulation.run(c.withSeed(43));
        assertThat(other.logDigest()).isNotEqualTo(a.logDigest());
    }

    @Test
    @DisplayName("the failover reserve refuses new instances beyond what the loss of a zone allows")
    void admissionRefusesBeyondTheReserve() {
        // Hosts sized so that the workload would fill 90% of them: the zone reserve caps admission at 2/3.
        SimConfig c = SimConfig.of(12, 3, 300, Scenario.ZONE_LOSS, 8);
        SimResult sized = Simulation.run(c);
        assertThat(sized.rejectedInstances()).isZero();
        SimConfig crowded = new SimConfig(12, 3, 2, 300, 30, Scenario.ZONE_LOSS, 8, 0.9, 0.0, false, false, c.controller(), c.log());
        SimResult r = Simulation.run(crowded);
        assertThat(r.rejectedInstances()).isPositive();
        assertThat(r.violations()).isEmpty();
        assertThat(r.unplacedInstances()).as("what was admitted survives the loss of a zone").isZero();
    }
}
