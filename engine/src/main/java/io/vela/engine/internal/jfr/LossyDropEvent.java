package io.vela.engine.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR: a lossy subscriber fell behind and skipped events. Rate-limited: at most one per subscription per period,
 * carrying the events skipped since the previous one.
 */
@Name("io.vela.LossyDrop")
@Label("Vela Lossy Subscriber Fell Behind")
@Category({"Vela"})
@Description("A lossy subscriber fell behind its topic and skipped events; rate-limited")
@StackTrace(false)
public final class LossyDropEvent extends jdk.jfr.Event {
    /** The subscription's name. */
    @Label("Subscription")
    public String subscription;
    /** Events skipped since the previous event of this subscription. */
    @Label("Dropped")
    public long dropped;
    /** Events this subscription skipped since it started. */
    @Label("Dropped In Total")
    public long total;
}
