package org.phare.core.state;

import java.util.List;
import java.util.Map;

/** What the managers share to restore their sections and compare themselves. */
final class Snapshots {
    private Snapshots() {}

    static <K, V> void putNew(Map<K, V> map, K key, V value, String what) {
        if (map.putIfAbsent(key, value) != null) {
            throw new IllegalArgumentException("the snapshot holds " + what + " " + key + " twice");
        }
    }

    static <K, V> void compare(List<String> diffs, String what, Map<K, V> a, Map<K, V> b) {
        if (a.equals(b)) {
            return;
        }
        for (Map.Entry<K, V> e : a.entrySet()) {
            V theirs = b.get(e.getKey());
            if (!e.getValue().equals(theirs)) {
                diffs.add(what + " " + e.getKey() + ": " + e.getValue() + " != " + theirs);
                if (diffs.size() > 20) {
                    return;
                }
            }
        }
        for (K k : b.keySet()) {
            if (!a.containsKey(k)) {
                diffs.add(what + " " + k + ": absent != " + b.get(k));
            }
        }
    }
}
