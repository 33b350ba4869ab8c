/**
 * Instance drivers: how an agent runs the instance copies its host must run.
 *
 * <pre>
 *   agent loop ──HostReconciler.plan──▶ kill / start ──▶ InstanceDriver ──▶ copies (OS processes)
 *        ▲                                                    │
 *        └────────────── list(): id, generation, ready ◀──────┘
 * </pre>
 *
 * <h2>Vocabulary</h2>
 * <dl>
 *   <dt>copy</dt><dd>one running incarnation of an instance at one generation; at most one per instance per host.</dd>
 *   <dt>ready</dt><dd>the copy answered on its address, as itself, at the last probe.</dd>
 *   <dt>leash</dt><dd>the child's standard-input pipe. The driver holds its write end; the child halts on end of
 *   file. The kernel closes the write end when the agent process dies, however it dies, so copies never outlive
 *   their agent (Java cannot set {@code PR_SET_PDEATHSIG} without native code; the pipe does the same job
 *   portably).</dd>
 *   <dt>lease (of a copy)</dt><dd>a deadline the copy holds and only the agent renews, by writing {@code renew MS}
 *   into the leash; never later than the agent's own lease. A frozen agent cannot renew it, so its copies halt by
 *   the deadline on their own.</dd>
 *   <dt>record</dt><dd>{@code <dataDir>/instances/<id>.json}: pid, generation, port, start time of a live copy,
 *   read back by {@code recover()}. Its console output goes to {@code <id>.log} next to it.</dd>
 *   <dt>recover, adopt, discard</dt><dd>a driver restarted on the same data directory finds what a previous
 *   driver left (only copies whose process command line proves they are ours), and the agent adopts or
 *   discards each by generation.</dd>
 * </dl>
 */
package org.phare.agent.driver;
