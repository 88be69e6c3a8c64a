package io.vela.engine.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** JFR: the watchdog saw a ring worker on one task longer than {@code watchdog.stall-ms}. Emitted by the timer thread. */
@Name("io.vela.Stall")
@Label("Vela Worker Stall")
@Category({"Vela"})
@Description("A ring worker has been on one task longer than the watchdog's threshold")
@StackTrace(false)
public final class StallEvent extends jdk.jfr.Event {
    /** The ring. */
    @Label("Ring")
    public String ring;
    /** The stuck worker thread's name. */
    @Label("Worker")
    public String worker;
    /** How long it has been on the task. */
    @Label("Stuck For")
    @Timespan(Timespan.NANOSECONDS)
    public long stuck;
}
