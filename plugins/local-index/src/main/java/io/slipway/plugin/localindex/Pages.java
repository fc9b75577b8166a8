package io.slipway.plugin.localindex;

import io.slipway.python.Pep440Version;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The simple index's pages: PEP 503 HTML, or PEP 691 JSON (API version 1.1, PEP 700) when the
 * client's {@code Accept} header prefers it, as pip's and Slipway's own index client do.
 */
final class Pages {

    static final String JSON = "application/vnd.pypi.simple.v1+json";
    static final String HTML = "application/vnd.pypi.simple.v1+html";
    static final String TEXT_HTML = "text/html";
    /** The formats, for a 406 answer. */
    static final String FORMATS = JSON + ", " + HTML + ", " + TEXT_HTML;
    private static final String API_VERSION = "1.1";

    /** A page in one format: its content type and bytes. */
    record Page(String contentType, byte[] body) {
    }

    private Pages() {
    }

    /**
     * The format the {@code Accept} header prefers among PEP 691's ({@link #JSON}, {@link #HTML})
     * and plain {@code text/html}; {@code text/html} without a header; empty when it accepts none
     * of them (406, as PyPI answers).
     */
    static Optional<String> negotiate(String accept) {
        if (accept == null || accept.isBlank()) {
            return Optional.of(TEXT_HTML);
        }
        String best = null;
        double bestQ = 0;
        for (String range : accept.split(",")) {
            String[] params = range.split(";");
            String type = params[0].strip().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < params.length; i++) {
                String param = params[i].strip().toLowerCase(Locale.ROOT);
                if (param.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(param.substring(2).strip());
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            String format = switch (type) {
                case JSON, "application/vnd.pypi.simple.latest+json" -> JSON;
                case HTML, "application/vnd.pypi.simple.latest+html" -> HTML;
                case TEXT_HTML, "text/*", "*/*" -> TEXT_HTML;
                default -> null;
            };
            // The first of equally preferred formats wins.
            if (format != null && q > bestQ) {
                best = format;
                bestQ = q;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The project list: every project with a file. */
    static Page projects(List<String> projects, String format) {
        if (format.equals(JSON)) {
            StringBuilder json = new StringBuilder("{\"meta\":{\"api-version\":\"" + API_VERSION + "\"},\"projects\":[");
            for (int i = 0; i < projects.size(); i++) {
                json.append(i == 0 ? "" : ",").append("{\"name\":").append(quote(projects.get(i))).append('}');
            }
            return json(json.append("]}"));
        }
        StringBuilder html = head("Simple index");
        for (String project : projects) {
            html.append("    <a href=\"/simple/").append(project).append("/\">").append(escape(project)).append("</a><br>\n");
        }
        return html(html, format);
    }

    /** A project's files with their sha256 (and Requires-Python when the file's metadata gives one). */
    static Page project(String project, List<Store.Stored> files, String format) {
        if (format.equals(JSON)) {
            StringBuilder json = new StringBuilder("{\"meta\":{\"api-version\":\"" + API_VERSION + "\"},\"name\":")
                    .append(quote(project)).append(",\"files\":[");
            TreeSet<Pep440Version> versions = new TreeSet<>();
            for (int i = 0; i < files.size(); i++) {
                Store.Stored f = files.get(i);
                versions.add(f.file().version());
                json.append(i == 0 ? "" : ",").append("{\"filename\":").append(quote(f.file().fileName()))
                        .append(",\"url\":").append(quote(url(project, f.file().fileName())))
                        .append(",\"hashes\":{\"sha256\":").append(quote(f.sha256())).append('}');
                f.requiresPython().ifPresent(r -> json.append(",\"requires-python\":").append(quote(r)));
                json.append(",\"size\":").append(f.size()).append(",\"upload-time\":")
                        .append(quote(f.modified().toInstant().truncatedTo(ChronoUnit.SECONDS).toString())).append('}');
            }
            json.append("],\"versions\":[");
            String separator = "";
            for (Pep440Version version : versions) {
                json.append(separator).append(quote(version.toString()));
                separator = ",";
            }
            return json(json.append("]}"));
        }
        StringBuilder html = head("Links for " + project);
        for (Store.Stored f : files) {
            html.append("    <a href=\"").append(escape(url(project, f.file().fileName()))).append("#sha256=")
                    .append(f.sha256()).append('"');
            f.requiresPython().ifPresent(r -> html.append(" data-requires-python=\"").append(escape(r)).append('"'));
            html.append('>').append(escape(f.file().fileName())).append("</a><br>\n");
        }
        return html(html, format);
    }

    /** Where a file is downloaded: {@code /packages/<project>/<file>}, the file name percent-encoded. */
    static String url(String project, String fileName) {
        StringBuilder url = new StringBuilder("/packages/").append(project).append('/');
        for (byte b : fileName.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~!".indexOf(c) >= 0) {
                url.append(c);
            } else {
                url.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return url.toString();
    }

    private static Page json(StringBuilder json) {
        return new Page(JSON, json.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON string (RFC 8259): quotes, backslashes and control characters escaped. */
    static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    private static StringBuilder head(String title) {
        return new StringBuilder("<!DOCTYPE html>\n<html>\n  <head>\n")
                .append("    <meta name=\"pypi:repository-version\" content=\"").append(API_VERSION).append("\">\n")
                .append("    <title>").append(escape(title)).append("</title>\n  </head>\n  <body>\n")
                .append("    <h1>").append(escape(title)).append("</h1>\n");
    }

    private static Page html(StringBuilder html, String format) {
        html.append("  </body>\n</html>\n");
        String type = format.equals(HTML) ? HTML : TEXT_HTML + "; charset=utf-8";
        return new Page(type, html.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
