package io.vela.engine.event;

/**
 * Fills a preallocated slot from three arguments, so that publishing allocates nothing. Called on the publishing
 * thread; must not keep the slot.
 *
 * @param <E> the slot type
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @param <C> the third argument type
 */
@FunctionalInterface
public interface EventTranslatorThreeArg<E, A, B, C> {
    /**
     * @param slot the slot to overwrite (it holds an older event)
     * @param a    the first argument
     * @param b    the second argument
     * @param c    the third argument
     */
    void translateTo(E slot, A a, B b, C c);
}
