package io.vela.engine.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR: tasks or events refused by a ring's overflow policy (full) or because it was shut down. Rate-limited by
 * {@link RejectionEvents}: at most one per ring per period, carrying the refusals since the previous one.
 */
@Name("io.vela.Rejection")
@Label("Vela Rejection")
@Category({"Vela"})
@Description("Tasks or events refused by a ring (full under its overflow policy, or shut down); rate-limited")
@StackTrace(false)
public final class RejectionEvent extends jdk.jfr.Event {
    /** The ring, pool or topic. */
    @Label("Ring")
    public String ring;
    /** Refusals since the previous event of this ring (the first event: since start). */
    @Label("Refused")
    public long refused;
    /** Refusals of this ring since start. */
    @Label("Refused In Total")
    public long total;
}
