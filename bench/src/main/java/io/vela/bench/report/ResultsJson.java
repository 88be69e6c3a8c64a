package io.vela.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vela.bench.cli.BenchResult;
import io.vela.engine.VelaException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a result file written by {@code vela-bench --json} (an array of {@code {suite, case, subject, metric, value}}
 * objects) back into rows. A {@code null} value (NaN or infinite when written) reads as {@code NaN}.
 */
public final class ResultsJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResultsJson() {
    }

    /**
     * @param file a result file
     * @return its rows, in file order
     * @throws IOException   if the file cannot be read or is not JSON
     * @throws VelaException if the JSON is not an array of result objects; names the file and the bad element
     */
    public static List<BenchResult> read(Path file) throws IOException {
        JsonNode root = MAPPER.readTree(file.toFile());
        if (root == null || !root.isArray()) {
            throw new VelaException(file + ": expected a JSON array of {suite, case, subject, metric, value}");
        }
        List<BenchResult> rows = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode n = root.get(i);
            for (String key : new String[] {"suite", "case", "subject", "metric", "value"}) {
                if (!n.has(key)) {
                    throw new VelaException(file + ": element " + i + " has no '" + key + "': " + n);
                }
            }
            JsonNode v = n.get("value");
            if (!v.isNumber() && !v.isNull()) {
                throw new VelaException(file + ": element " + i + " has a non-numeric value: " + n);
            }
            rows.add(new BenchResult(n.get("suite").asText(), n.get("case").asText(), n.get("subject").asText(),
                    n.get("metric").asText(), v.isNull() ? Double.NaN : v.asDouble()));
        }
        return rows;
    }
}
