package io.vela.engine.actor;

/**
 * A message that reached no handler.
 *
 * @param recipient the actor it was for
 * @param message   the message
 * @param reason    why: {@code stopped} (the actor had stopped), {@code late-reply} (an ask had already
 *                  completed), {@code left-in-mailbox} (the actor stopped with it unread)
 */
public record DeadLetter(ActorPath recipient, Object message, String reason) {
}
