package io.vela.di;

import java.util.List;

/**
 * Thrown by {@link ContainerBuilder#build()} when the bindings do not form a valid graph; carries every
 * error found (missing bindings, cycles, captive dependencies, ambiguities), not just the first.
 */
public final class ContainerValidationException extends DiException {
    private static final long serialVersionUID = 1L;

    private final List<String> errors;

    /**
     * Creates the exception.
     *
     * @param errors every validation error, each a complete message
     */
    public ContainerValidationException(List<String> errors) {
        super(format(errors));
        this.errors = List.copyOf(errors);
    }

    /** @return every validation error, in the order found; never empty */
    public List<String> errors() {
        return errors;
    }

    private static String format(List<String> errors) {
        StringBuilder sb = new StringBuilder();
        sb.append(errors.size()).append(errors.size() == 1 ? " error" : " errors").append(" building the container:");
        for (int i = 0; i < errors.size(); i++) {
            sb.append('\n').append(i + 1).append(") ").append(errors.get(i).replace("\n", "\n   "));
        }
        return sb.toString();
    }
}
