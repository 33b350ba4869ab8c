package org.phare.api;

/** Text made safe inside XML or HTML elements and attribute values: one escaper for the EC2 answers and the sitrep page. */
public final class Markup {
    private Markup() {
    }

    /**
     * Appends {@code text} with {@code < > & " '} as entities; the control characters XML 1.0 forbids even escaped
     * become U+FFFD.
     */
    public static StringBuilder escape(CharSequence text, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? '\uFFFD' : c);
            }
        }
        return out;
    }

    public static String escape(CharSequence text) {
        return escape(text, new StringBuilder(text.length() + 16)).toString();
    }
}
