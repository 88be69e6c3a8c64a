package io.vela.engine.event;

/**
 * Fills a preallocated slot from one argument, so that publishing allocates nothing. Called on the publishing
 * thread; must not keep the slot.
 *
 * @param <E> the slot type
 * @param <A> the argument type
 */
@FunctionalInterface
public interface EventTranslatorOneArg<E, A> {
    /**
     * @param slot the slot to overwrite (it holds an older event)
     * @param a    the argument
     */
    void translateTo(E slot, A a);
}
