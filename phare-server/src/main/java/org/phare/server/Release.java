package org.phare.server;

import org.phare.core.record.RecordTypes;

/**
 * What this member runs: its release and the log formats it reads. Members announce both through the log, so that the
 * cloud raises its log format only once every member reads the new one.
 *
 * <p>The system property {@code phare.logFormat.max} makes this member read (and announce) fewer formats than its
 * release knows: it stands for an older release in upgrade tests and drills, where building two releases is not
 * practical. It never raises the maximum.
 */
public final class Release {
    private Release() {}

    /** The release's version as its jar's manifest says, {@code dev} when run from classes. */
    public static String version() {
        String v = Release.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The latest log format this member reads and writes. */
    public static int maxLogFormat() {
        int max = Integer.getInteger("phare.logFormat.max", RecordTypes.CURRENT_FORMAT);
        return Math.clamp(max, 1, RecordTypes.CURRENT_FORMAT);
    }
}
