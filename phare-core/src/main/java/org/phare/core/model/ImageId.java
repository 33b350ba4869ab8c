package org.phare.core.model;

/** Typed id of a image. */
public record ImageId(String value) implements Comparable<ImageId> {
    public ImageId {
        Ids.require(value, "image id");
    }

    public static ImageId of(String value) {
        return new ImageId(value);
    }

    @Override
    public int compareTo(ImageId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
