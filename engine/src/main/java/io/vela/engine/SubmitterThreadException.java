package io.vela.engine;

/**
 * A {@link TaskSubmitter} was used from a thread other than the one that created it. A submitter's lane is
 * single-producer: a second thread publishing to it would corrupt it, so the call is refused before anything is
 * claimed (nothing was submitted).
 */
public class SubmitterThreadException extends VelaException {
    private static final long serialVersionUID = 1L;

    private final String ownerThread;
    private final String callingThread;

    /**
     * @param ring    the executor's ring name
     * @param owner   the thread the submitter is bound to
     * @param calling the thread that called it
     */
    public SubmitterThreadException(String ring, Thread owner, Thread calling) {
        super("TaskSubmitter of ring '" + ring + "' belongs to thread '" + owner.getName() + "' (id " + owner.getId()
                + ") and was called from thread '" + calling.getName() + "' (id " + calling.getId()
                + "); create one submitter per thread with RingExecutor.newSubmitter(), or call the executor itself");
        this.ownerThread = owner.getName();
        this.callingThread = calling.getName();
    }

    /** @return the name of the thread the submitter is bound to */
    public String ownerThread() {
        return ownerThread;
    }

    /** @return the name of the thread that called it */
    public String callingThread() {
        return callingThread;
    }
}
