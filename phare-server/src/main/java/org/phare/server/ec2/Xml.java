package org.phare.server.ec2;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes the small XML documents the EC2 API answers with: elements, text escaped, no attributes but the
 * namespace on the root. Names are the API's own ({@code instancesSet}, {@code item}, ...).
 */
final class Xml {
    static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private final StringBuilder sb = new StringBuilder(1024);
    private final Deque<String> open = new ArrayDeque<>();

    /** A response document: {@code <ActionResponse xmlns=...><requestId>...}. */
    static Xml response(String action, String requestId) {
        Xml x = new Xml();
        x.sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<").append(action).append("Response xmlns=\"")
                .append(NAMESPACE).append("\">");
        x.open.push(action + "Response");
        x.leaf("requestId", requestId);
        return x;
    }

    /** The error document EC2 answers with. */
    static String error(String code, String message, String requestId) {
        Xml x = new Xml();
        x.sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.open("Response").open("Errors").open("Error").leaf("Code", code).leaf("Message", message).close().close()
                .leaf("RequestID", requestId);
        return x.finish();
    }

    Xml open(String name) {
        sb.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    Xml close() {
        sb.append("</").append(open.pop()).append('>');
        return this;
    }

    /** {@code <name>value</name>}; nothing when the value is null. */
    Xml leaf(String name, Object value) {
        if (value == null) {
            return this;
        }
        sb.append('<').append(name).append('>');
        org.phare.api.Markup.escape(value.toString(), sb);
        sb.append("</").append(name).append('>');
        return this;
    }

    /** {@code <name/>}: an empty set. */
    Xml empty(String name) {
        sb.append('<').append(name).append("/>");
        return this;
    }

    /** Closes every open element and returns the document. */
    String finish() {
        while (!open.isEmpty()) {
            close();
        }
        return sb.toString();
    }
}
