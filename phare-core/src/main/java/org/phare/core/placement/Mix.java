package org.phare.core.placement;

/** SplitMix64's finaliser: a cheap bijective scrambler for deriving seeds from ids. */
public final class Mix {
    private Mix() {}

    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
