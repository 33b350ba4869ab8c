package org.phare.core.placement;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.phare.core.model.HostId;

/**
 * Candidate source: the hosts of a zone in a random order drawn from a seed.
 *
 * <p>A lazy Fisher-Yates shuffle: each {@link #next()} draws one more position, and only the swapped
 * positions are remembered. A placement that stops after a few dozen candidates costs a few dozen draws,
 * not a shuffle of the whole zone (10,000 hosts).
 */
final class ShuffledCandidates {
    private final List<HostId> hosts;
    private final SplittableRandom random;
    private final Map<Integer, Integer> swapped = new HashMap<>();
    private int position;

    ShuffledCandidates(List<HostId> hosts, long seed) {
        this.hosts = hosts;
        this.random = new SplittableRandom(seed);
    }

    /** The next host, or null when every host has been drawn. */
    HostId next() {
        int n = hosts.size();
        if (position >= n) {
            return null;
        }
        int j = position + random.nextInt(n - position);
        int atJ = swapped.getOrDefault(j, j);
        int atPosition = swapped.getOrDefault(position, position);
        swapped.put(j, atPosition);
        swapped.remove(position);
        position++;
        return hosts.get(atJ);
    }
}
