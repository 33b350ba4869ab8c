package org.phare.core.drill;

/**
 * How the crisis cell learns of a drill: {@code announced: 1d} tells it that long ahead (an entry in the situation
 * report and the agenda of the meetings from then on); a surprise tells nobody before it starts.
 *
 * @param aheadMs how long before the start the cell is told; 0 for a surprise
 */
public record Announcement(long aheadMs) {
    public static final Announcement SURPRISE = new Announcement(0);

    public Announcement {
        if (aheadMs < 0) {
            throw new IllegalArgumentException("an announcement cannot come after the start");
        }
    }

    public boolean surprise() {
        return aheadMs == 0;
    }
}
