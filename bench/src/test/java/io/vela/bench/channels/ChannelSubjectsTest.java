package io.vela.bench.channels;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.engine.WaitStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every subject of suite {@code channels}, in every case's arity and waiting mode, delivers each token exactly once
 * and in each sender's order, with the channel smaller than what is sent (so senders wait for room).
 */
class ChannelSubjectsTest {
    private static final int PER_SENDER = 50_000;

    /** One thread per task: the common pool may have fewer threads than the test's blocking tasks. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    static Stream<Arguments> subjectsAndCases() {
        List<Arguments> all = new ArrayList<>();
        for (String subject : List.of("vela", "agrona", "jctools", "jdk-abq")) {
            for (ChannelCase c : ChannelCase.values()) {
                all.add(Arguments.of(subject, c));
            }
        }
        return all.stream();
    }

    private static ChannelSubject.Factory factory(String subject) {
        return switch (subject) {
            case "vela" -> ChannelSubjects::vela;
            case "agrona" -> ChannelSubjects::agrona;
            case "jctools" -> ChannelSubjects::jctools;
            default -> ChannelSubjects::jdkAbq;
        };
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("subjectsAndCases")
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void everyTokenArrivesOnceInEachSendersOrder(String subject, ChannelCase c) throws Exception {
        int senders = c.senders();
        Token[][] tokens = new Token[senders][PER_SENDER];
        for (int s = 0; s < senders; s++) {
            for (int i = 0; i < PER_SENDER; i++) {
                tokens[s][i] = new Token(s);
            }
        }
        try (ChannelSubject channel = factory(subject).create(senders, 64, c.blocking)) {
            CompletableFuture<int[]> received =
                    CompletableFuture.supplyAsync(() -> receive(channel, c, tokens), threads);
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                Token[] mine = tokens[s];
                sent.add(CompletableFuture.runAsync(() -> send(channel, c, mine), threads));
            }
            for (CompletableFuture<Void> f : sent) {
                f.get(15, TimeUnit.SECONDS);
            }
            int[] counts = received.get(15, TimeUnit.SECONDS);
            for (int s = 0; s < senders; s++) {
                assertThat(counts[s]).as("tokens of sender %d", s).isEqualTo(PER_SENDER);
            }
            assertThat(channel.poll()).as("nothing left over").isNull();
        }
    }

    private static void send(ChannelSubject channel, ChannelCase c, Token[] mine) {
        IdleStrategy idle = c.idle.newIdleStrategy();
        try {
            for (Token t : mine) {
                if (c.blocking) {
                    channel.put(t, idle);
                } else {
                    while (!channel.offer(t)) {
                        idle.idle();
                    }
                }
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Takes every token, checking each is the next one of its sender (by identity). */
    private static int[] receive(ChannelSubject channel, ChannelCase c, Token[][] tokens) {
        int[] next = new int[tokens.length];
        IdleStrategy idle = WaitStrategy.YIELDING.newIdleStrategy();
        try {
            for (int n = 0; n < tokens.length * PER_SENDER; n++) {
                Token t = c.blocking ? channel.take(idle) : poll(channel, idle);
                assertThat(t).as("token %d", n).isSameAs(tokens[t.sender][next[t.sender]]);
                next[t.sender]++;
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return next;
    }

    private static Token poll(ChannelSubject channel, IdleStrategy idle) {
        Token t;
        while ((t = channel.poll()) == null) {
            idle.idle();
        }
        return t;
    }
}
