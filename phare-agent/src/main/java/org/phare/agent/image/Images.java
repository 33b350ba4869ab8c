package org.phare.agent.image;

import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The images a process driver can run, by image kind ({@link org.phare.core.model.Image#kind()}). Each kind
 * is a Java main class started in its own JVM with the same command-line contract:
 * {@code --instance ID --generation G --host HOST --port P [--lease-ms MS]}, listening on 127.0.0.1:P, and holding
 * the {@link Leash} first of all: exiting when its standard input reaches end of file or its lease runs out.
 */
public final class Images {
    /** A small HTTP service that answers with its instance id, generation, host and pid. */
    public static final String HTTP_ECHO = "http-echo";

    private static final Map<String, Class<?>> MAIN_CLASSES = Map.of(HTTP_ECHO, HttpEcho.class);

    private Images() {}

    /**
     * The main class that runs an image of this kind.
     *
     * @throws IllegalArgumentException if no built-in image has this kind; the message names the known kinds
     */
    public static String mainClass(String kind) {
        Class<?> main = kind == null ? null : MAIN_CLASSES.get(kind);
        if (main == null) {
            throw new IllegalArgumentException(
                    "unknown image kind '" + kind + "': the process driver knows " + String.join(", ", kinds()));
        }
        return main.getName();
    }

    /** The kind whose main class this is, if it is one of ours (used to recognise our processes). */
    public static Optional<String> kindOfMainClass(String className) {
        return MAIN_CLASSES.entrySet().stream()
                .filter(e -> e.getValue().getName().equals(className))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    /** Every known kind, sorted. */
    public static SortedSet<String> kinds() {
        return new TreeSet<>(MAIN_CLASSES.keySet());
    }
}
