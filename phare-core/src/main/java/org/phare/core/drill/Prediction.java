package org.phare.core.drill;

/**
 * What the simulator predicts of a drill's outages, over several seeds: the longest outage of each watched instance,
 * taken over every seed, summarised.
 *
 * @param seeds     runs of the simulator
 * @param instances watched instances (per run)
 * @param outages   instances that had an outage, summed over the runs
 */
public record Prediction(int seeds, int instances, long outages, double p50Seconds, double p95Seconds, double maxSeconds) {}
