package io.vela.di.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.vela.di.Key;

/** Near matches for a missing key: same type with another qualifier, a bound subtype, or a similar name. */
final class Suggestions {
    private static final int MAX = 3;

    private Suggestions() {
    }

    static String didYouMean(Key<?> missing, Collection<Key<?>> known) {
        List<String> out = new ArrayList<>(MAX);
        // 1. same type, other qualifier
        for (Key<?> k : known) {
            if (out.size() < MAX && k.type().equals(missing.type()) && !k.equals(missing)) {
                out.add(k.toString());
            }
        }
        // 2. a bound subtype
        for (Key<?> k : known) {
            if (out.size() < MAX && !k.type().equals(missing.type())
                    && missing.rawType().isAssignableFrom(k.rawType()) && missing.rawType() != Object.class) {
                out.add(k + " (a subtype)");
            }
        }
        // 3. a similar name
        String name = missing.rawType().getSimpleName().toLowerCase();
        for (Key<?> k : known) {
            if (out.size() >= MAX) {
                break;
            }
            String other = k.rawType().getSimpleName().toLowerCase();
            if (!k.rawType().equals(missing.rawType()) && !missing.rawType().isAssignableFrom(k.rawType())
                    && distance(name, other) <= Math.max(1, name.length() / 4)) {
                out.add(k.toString());
            }
        }
        return out.isEmpty() ? "" : ". Did you mean: " + String.join(", ", out) + "?";
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
