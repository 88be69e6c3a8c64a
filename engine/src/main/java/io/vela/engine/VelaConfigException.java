package io.vela.engine;

import java.util.List;

/**
 * Invalid configuration: names each bad key, its value and the valid values or range. When several keys are
 * bad, all of them are reported in one exception ({@link #problems()}).
 */
public class VelaConfigException extends VelaException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /** @param problems one line per bad key, each naming the key, the value and what is valid */
    public VelaConfigException(List<String> problems) {
        super(problems.size() == 1
                ? "Invalid Vela configuration: " + problems.get(0)
                : "Invalid Vela configuration (" + problems.size() + " problems):\n  - "
                        + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** @return each problem, one line each */
    public List<String> problems() {
        return problems;
    }
}
