package io.vela.bench.actors;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The round-trip cases of suite {@code actors}, one subject per forked JVM ({@link io.vela.bench.cli.ForkedRun}):
 * {@code pingpong} (two actors bounce one message; the pinger times each round trip) and {@code ask} (a plain
 * thread asks an actor that answers, one request at a time, spinning on each answer). Prints
 * {@code RESULT <subject> <p50_ns> <p99_ns> <p999_ns> <round trips> <distribution>}.
 */
public final class ActorLatency {
    private ActorLatency() {
    }

    /**
     * @param args {@code <case> <subject> <warm-up ms> <measured ms>}, case {@code pingpong} or {@code ask},
     *             subject {@code vela} or {@code pekko}
     * @throws Exception if the run fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: ActorLatency <pingpong|ask> <vela|pekko> <warm-up ms> "
                    + "<measured ms>");
        }
        String c = args[0];
        String subject = args[1];
        long warm = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[2]));
        long measure = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[3]));
        Histogram h = switch (c + "/" + subject) {
            case "pingpong/vela" -> VelaActorSubjects.pingPong(ActorTopology.PINGPONG, warm, measure);
            case "ask/vela" -> VelaActorSubjects.ask(ActorTopology.ASK, warm, measure);
            case "pingpong/pekko" -> PekkoSubjects.pingPong(ActorTopology.PINGPONG, warm, measure);
            case "ask/pekko" -> PekkoSubjects.ask(ActorTopology.ASK, warm, measure);
            default -> throw new IllegalArgumentException("unknown case/subject '" + c + "/" + subject
                    + "'; valid: pingpong/vela, ask/vela, pingpong/pekko, ask/pekko");
        };
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println(io.vela.bench.cli.LatencyRows.resultLine(subject, h));
        System.exit(0);
    }
}
