package io.vela.engine.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** JFR: one part's shutdown report (one event per ring or pool at a runtime's close). */
@Name("io.vela.Shutdown")
@Label("Vela Shutdown Report")
@Category({"Vela"})
@Description("How one ring or pool shut down: whether it finished, what was not run")
@StackTrace(false)
public final class ShutdownEvent extends jdk.jfr.Event {
    /** The ring or pool. */
    @Label("Part")
    public String part;
    /** Whether it finished everything accepted within the deadline. */
    @Label("Completed")
    public boolean completed;
    /** Accepted items that did not run. */
    @Label("Not Run")
    public long notRun;
    /** How long its shutdown took. */
    @Label("Took")
    @Timespan(Timespan.NANOSECONDS)
    public long took;
}
