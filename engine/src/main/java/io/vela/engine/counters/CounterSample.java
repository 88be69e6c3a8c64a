package io.vela.engine.counters;

/**
 * One counter's value as read at one moment.
 *
 * @param id     the counter id in its file
 * @param typeId its type ({@link CounterTypes})
 * @param label  its label, {@code "<kind> <name> <metric>"}
 * @param value  its value
 * @param registrationId which counter held the id then (a freed id is reused by a new counter, maybe of the same
 *               label; 0 when unknown)
 */
public record CounterSample(int id, int typeId, String label, long value, long registrationId) {
    /**
     * A sample whose registration is unknown.
     *
     * @param id     the counter id in its file
     * @param typeId its type
     * @param label  its label
     * @param value  its value
     */
    public CounterSample(int id, int typeId, String label, long value) {
        this(id, typeId, label, value, 0);
    }

    /** @return the label without its metric: {@code "<kind> <name>"} */
    public String owner() {
        int sp = label.lastIndexOf(' ');
        return sp < 0 ? label : label.substring(0, sp);
    }

    /** @return the metric: the label's last word */
    public String metric() {
        return label.substring(label.lastIndexOf(' ') + 1);
    }
}
