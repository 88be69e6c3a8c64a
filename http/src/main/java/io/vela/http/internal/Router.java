package io.vela.http.internal;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vela.engine.VelaConfigException;
import io.vela.http.AsyncHttpHandler;
import io.vela.http.HttpHandler;
import io.vela.http.HttpResponse;
import io.vela.http.RouteOptions;
import io.vela.http.Middleware;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The route table: a tree of path segments (literal children first, then one parameter child) built once at
 * start; matching walks it segment by segment, no regular expression. Read-only after construction: any thread may
 * match.
 */
final class Router {
    private static final String[] NO_VALUES = new String[0];
    private final Node root = new Node();
    /** Templates without parameters, by their exact text (while building). */
    private final Map<String, Match> exact = new HashMap<>();
    /**
     * The same by length, then text: the common case is matched by comparing the request's path with the templates
     * of its length, without hashing it (a new string per request, ADR 0014 decision 7).
     */
    private final String[][] exactText;
    private final Match[][] exactMatch;
    private final List<Route> routes = new ArrayList<>();
    /** Answers 404, 405 and automatic OPTIONS, through the middleware too (CORS preflight, access log). */
    private final Route fallback;

    Router(List<RouteSpec> specs, List<Middleware> middleware) {
        fallback = new Route("*", "(unrouted)", List.of(), compose(req -> CompletableFuture.completedFuture(
                unrouted(req.method(), new QueryStringDecoder(req.uri()).rawPath())), middleware), null,
                RouteOptions.defaults().nonBlocking());
        List<String> problems = new ArrayList<>();
        for (RouteSpec spec : specs) {
            add(spec, middleware, problems);
        }
        if (!problems.isEmpty()) {
            throw new VelaConfigException(problems);
        }
        int longest = exact.keySet().stream().mapToInt(String::length).max().orElse(-1);
        exactText = new String[longest + 1][];
        exactMatch = new Match[longest + 1][];
        exact.forEach((text, m) -> {
            int n = text.length();
            int i = exactText[n] == null ? 0 : exactText[n].length;
            exactText[n] = exactText[n] == null ? new String[1] : Arrays.copyOf(exactText[n], i + 1);
            exactMatch[n] = exactMatch[n] == null ? new Match[1] : Arrays.copyOf(exactMatch[n], i + 1);
            exactText[n][i] = text;
            exactMatch[n][i] = m;
        });
    }

    List<Route> routes() {
        return routes;
    }

    Route fallback() {
        return fallback;
    }

    private HttpResponse unrouted(String method, String rawPath) {
        Match match = rawPath.startsWith("/") ? match(rawPath) : null;
        if (method.equals("OPTIONS") && (match != null || rawPath.equals("*"))) {
            return HttpResponse.of(204).withHeader("allow", match == null ? "GET, HEAD, POST, PUT, DELETE, OPTIONS"
                    : match.allow());
        }
        if (match == null) {
            return HttpResponse.text(404, "not found\n");
        }
        return HttpResponse.text(405, "method not allowed\n").withHeader("allow", match.allow());
    }

    private void add(RouteSpec spec, List<Middleware> middleware, List<String> problems) {
        String t = spec.template();
        if (!t.startsWith("/")) {
            problems.add("route " + spec.method() + " " + t + ": template is invalid; valid: a path starting with /");
            return;
        }
        Node node = root;
        List<String> names = new ArrayList<>();
        for (String seg : segments(t)) {
            if (seg.startsWith("{") && seg.endsWith("}") && seg.length() > 2) {
                String name = seg.substring(1, seg.length() - 1);
                if (names.contains(name)) {
                    problems.add("route " + spec.method() + " " + t + ": parameter {" + name + "} repeats");
                }
                names.add(name);
                if (node.param == null) {
                    node.param = new Node();
                }
                node = node.param;
            } else {
                node = node.literals.computeIfAbsent(seg, k -> new Node());
            }
        }
        String keyParam = spec.options().keyPathParam().orElse(null);
        if (keyParam != null && !names.contains(keyParam)) {
            problems.add("route " + spec.method() + " " + t + ": keyedByPathParam = " + keyParam
                    + " is invalid; valid: " + names);
        }
        if (node.methods.containsKey(spec.method())) {
            problems.add("route " + spec.method() + " " + t + " is declared twice (or clashes with "
                    + node.methods.get(spec.method()).template + ")");
            return;
        }
        HttpHandler direct = middleware.isEmpty() && spec.handler() instanceof SyncHandler sync ? sync.handler() : null;
        Route r = new Route(spec.method(), t, names, compose(spec.handler(), middleware), direct, spec.options());
        node.methods.put(spec.method(), r);
        routes.add(r);
        if (names.isEmpty()) {
            exact.put(t, new Match(node.methods, NO_VALUES));
        }
    }

    private static AsyncHttpHandler compose(AsyncHttpHandler handler, List<Middleware> middleware) {
        AsyncHttpHandler chain = handler;
        for (int i = middleware.size() - 1; i >= 0; i--) {
            Middleware m = middleware.get(i);
            AsyncHttpHandler next = chain;
            chain = req -> m.handle(req, next::handle);
        }
        return chain;
    }

    /**
     * @param rawPath the path as sent, still percent-encoded
     * @return the node's methods and decoded parameter values, or {@code null} when no template matches
     */
    Match match(String rawPath) {
        int length = rawPath.length();
        String[] texts = length < exactText.length ? exactText[length] : null;
        if (texts != null) {
            for (int i = 0; i < texts.length; i++) {
                if (texts[i].equals(rawPath)) {
                    return exactMatch[length][i]; // a template without parameters, sent as declared: no walk, no hash
                }
            }
        }
        List<String> segs = segments(rawPath);
        String[] values = new String[segs.size()];
        Node n = walk(root, segs, 0, values, 0);
        if (n == null) {
            return null;
        }
        return new Match(n.methods, values);
    }

    private static Node walk(Node node, List<String> segs, int i, String[] values, int p) {
        if (i == segs.size()) {
            return node.methods.isEmpty() ? null : node;
        }
        Node lit = node.literals.get(segs.get(i));
        if (lit != null) {
            Node found = walk(lit, segs, i + 1, values, p);
            if (found != null) {
                return found;
            }
        }
        if (node.param != null) {
            values[p] = segs.get(i);
            return walk(node.param, segs, i + 1, values, p + 1);
        }
        return null;
    }

    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>(8);
        int start = 1;
        for (int i = 1; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                if (i > start) {
                    out.add(QueryStringDecoder.decodeComponent(path.substring(start, i), StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return out;
    }

    /** A matched template: the routes per method, and parameter values in template order. */
    static final class Match {
        final Map<String, Route> methods;
        final String[] values;

        Match(Map<String, Route> methods, String[] values) {
            this.methods = methods;
            this.values = values;
        }

        /** @return the Allow header value: the methods, HEAD beside GET, and OPTIONS */
        String allow() {
            TreeSet<String> m = new TreeSet<>(methods.keySet());
            if (m.contains("GET")) {
                m.add("HEAD");
            }
            m.add("OPTIONS");
            return String.join(", ", m);
        }
    }

    private static final class Node {
        final Map<String, Node> literals = new HashMap<>();
        final Map<String, Route> methods = new LinkedHashMap<>();
        Node param;
    }
}
