package org.phare.api;

import java.util.List;

/**
 * A report as sections of text, bullets and tables, rendered as Markdown or as one HTML page: the situation report
 * and the drill report share it. Every text is made inert in both (no markup, link or heading passes through).
 */
public final class Document {
    private Document() {
    }

    /** What a section holds, in order. */
    public sealed interface Block {}

    public record Text(String text) implements Block {}

    public record Bullets(List<String> items) implements Block {}

    public record Table(List<String> header, List<List<String>> rows) implements Block {}

    public record Section(String title, List<Block> blocks) {}

    /** The document in Markdown, every text made inert. */
    public static String markdown(String title, List<Section> sections) {
        StringBuilder out = new StringBuilder("# " + md(title) + "\n\n");
        for (Section section : sections) {
            out.append("## ").append(section.title()).append("\n\n");
            for (Block b : section.blocks()) {
                switch (b) {
                    case Text t -> out.append(md(t.text())).append("\n\n");
                    case Bullets l -> {
                        l.items().forEach(i -> out.append("- ").append(md(i)).append('\n'));
                        out.append('\n');
                    }
                    case Table t -> {
                        out.append(mdRow(t.header()));
                        out.append(mdRow(t.header().stream().map(h -> "---").toList()));
                        t.rows().forEach(r -> out.append(mdRow(r)));
                        out.append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    private static String mdRow(List<String> cells) {
        return "| " + String.join(" | ", cells.stream().map(c -> md(c, false).replace("|", "\\|")).toList()) + " |\n";
    }

    /**
     * Free text (decisions, orders, reasons) made inert in Markdown: on one line, with HTML markup escaped (renderers
     * pass it through), and no character that would make a heading, emphasis, code or a link.
     */
    public static String md(String text) {
        return md(text, true);
    }

    /** @param lineStart the text starts a line (or a list item), where {@code #} would make a heading */
    static String md(String text, boolean lineStart) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '\r', '\n' -> b.append(' ');
                case '\\', '`', '*', '_', '[', ']' -> b.append('\\').append(ch);
                case '#' -> b.append(i == 0 && lineStart ? "\\#" : "#");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    /** The document as one HTML page that needs nothing (no script, no resource), printable. */
    public static String html(String title, List<Section> sections) {
        StringBuilder out = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                """);
        out.append("<title>").append(Markup.escape(title)).append("</title>\n");
        out.append("""
                <style>
                body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;max-width:60rem;margin:2rem auto;padding:0 1rem}
                h1{font-size:1.5rem;border-bottom:3px solid #111;padding-bottom:.3rem}
                h2{font-size:1.15rem;margin-top:1.6rem;border-bottom:1px solid #999}
                table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
                th,td{border:1px solid #bbb;padding:.25rem .45rem;text-align:left;vertical-align:top}
                th{background:#eee}
                .down,.overdue,.gap{background:#fdd;font-weight:bold}
                .degraded,.single{background:#ffe9b3}
                .ok{background:#e3f5e1}
                section{break-inside:avoid-page}
                @media print{body{margin:0;max-width:none;font-size:11pt}h2{break-after:avoid}tr{break-inside:avoid}
                th,.down,.overdue,.gap,.degraded,.single,.ok{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
                </style></head><body>
                """);
        out.append("<h1>").append(Markup.escape(title)).append("</h1>\n");
        for (Section section : sections) {
            out.append("<section><h2>").append(Markup.escape(section.title())).append("</h2>\n");
            for (Block b : section.blocks()) {
                switch (b) {
                    case Text t -> out.append("<p>").append(Markup.escape(t.text())).append("</p>\n");
                    case Bullets l -> {
                        out.append("<ul>");
                        l.items().forEach(i -> out.append("<li>").append(Markup.escape(i)).append("</li>"));
                        out.append("</ul>\n");
                    }
                    case Table t -> {
                        out.append("<table><thead><tr>");
                        t.header().forEach(h -> out.append("<th>").append(Markup.escape(h)).append("</th>"));
                        out.append("</tr></thead><tbody>\n");
                        for (List<String> r : t.rows()) {
                            out.append("<tr>");
                            r.forEach(c -> out.append(cell(c)));
                            out.append("</tr>\n");
                        }
                        out.append("</tbody></table>\n");
                    }
                }
            }
            out.append("</section>\n");
        }
        return out.append("</body></html>\n").toString();
    }

    /** A cell, marked for colour when it states a status. */
    private static String cell(String c) {
        String cls = switch (c) {
            case "down", "overdue", "NO" -> "down";
            case "degraded" -> "degraded";
            case "ok", "yes" -> "ok";
            default -> c.startsWith("gap ") ? "gap" : c.equals("single point") ? "single" : null;
        };
        return (cls == null ? "<td>" : "<td class=\"" + cls + "\">") + Markup.escape(c) + "</td>";
    }

}
