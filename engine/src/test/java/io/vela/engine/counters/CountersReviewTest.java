package io.vela.engine.counters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vela.engine.ComponentStats;
import io.vela.engine.Settings;
import io.vela.engine.VelaConfig;
import io.vela.engine.VelaException;
import io.vela.engine.VelaRuntime;
import java.lang.management.ManagementFactory;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.ObjLongConsumer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Review of the counters file: readers after close, stale files of reused pids, components that throw. */
@Timeout(20)
class CountersReviewTest {
    @TempDir
    Path dir;

    private VelaConfig.Builder config() {
        return VelaConfig.builder().set(Settings.COUNTERS_DIR, dir.toString()).set(Settings.EXECUTOR_WORKERS, 1)
                .set(Settings.EXECUTOR_RING_SIZE, 256).set(Settings.COUNTERS_SAMPLE_MS, 5L)
                .set(Settings.SHUTDOWN_DEADLINE_MS, 2_000L);
    }

    @Test
    void aClosedReaderRefusesToReadInsteadOfTouchingUnmappedMemory() {
        try (VelaRuntime vela = VelaRuntime.start(config().build())) {
            CountersFileReader reader = CountersFileReader.open(vela.counters().file().orElseThrow());
            assertThat(reader.snapshot()).isNotEmpty();
            reader.close();
            reader.close(); // idempotent
            // reading unmapped memory would crash the JVM: it must be an exception
            assertThatThrownBy(reader::snapshot).isInstanceOf(VelaException.class).hasMessageContaining("closed");
        }
    }

    /** A file whose pid now belongs to a process that started after the file was made: its writer is gone. */
    @Test
    void aFileWhosePidWasReusedIsStaleNotLiveAndIsDeleted() throws Exception {
        long pid = ProcessHandle.current().pid(); // alive, but started long after the file below was written
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        Path stale = dir.resolve(CountersLayout.PREFIX + pid + "-999999" + CountersLayout.SUFFIX);
        MappedByteBuffer m = IoUtil.mapNewFile(stale.toFile(), CountersLayout.fileLength(16), true);
        CountersLayout.writeHeader(new UnsafeBuffer(m), pid, jvmStart - 3_600_000L,
                16 * CountersLayout.METADATA_PER_COUNTER, 16 * CountersLayout.VALUE_PER_COUNTER);
        IoUtil.unmap(m);

        assertThat(CountersDirectory.live(dir)).extracting(CountersDirectory.Entry::file).doesNotContain(stale);
        try (VelaRuntime vela = VelaRuntime.start(config().build())) {
            assertThat(stale).doesNotExist(); // cleaned up as any dead process's file
            // a live runtime of this JVM is kept and listed
            Path own = vela.counters().file().orElseThrow();
            assertThat(CountersDirectory.deleteStale(dir)).isZero();
            assertThat(own).exists();
            assertThat(CountersDirectory.live(dir)).extracting(CountersDirectory.Entry::file).contains(own);
        }
    }

    /**
     * A component whose counters throw on every pass must not stop the components after it from being sampled, nor
     * the counters of things gone from being freed.
     */
    @Test
    void aThrowingComponentDoesNotHideTheOthersNorKeepTheCountersOfThingsGone() {
        try (VelaRuntime vela = VelaRuntime.start(config().build());
                CountersFileReader reader = CountersFileReader.open(vela.counters().file().orElseThrow())) {
            vela.registerStats(component("broken", sink -> {
                throw new IllegalStateException("boom");
            }));
            var healthy = vela.registerStats(component("healthy", sink -> sink.accept("requests", 42)));
            await().atMost(Duration.ofSeconds(5)).until(() -> reader.snapshot().stream()
                    .anyMatch(s -> s.label().equals("component healthy requests") && s.value() == 42));
            healthy.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> reader.snapshot().stream()
                    .noneMatch(s -> s.label().startsWith("component healthy")));
        }
    }

    /** A component that leaves its thread's interrupt flag set must not turn the sampler into a busy loop. */
    @Test
    void aComponentThatInterruptsTheSamplerDoesNotMakeItSpin() {
        java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();
        try (VelaRuntime vela = VelaRuntime.start(config().set(Settings.COUNTERS_SAMPLE_MS, 50L).build())) {
            vela.registerStats(component("rude", sink -> {
                calls.incrementAndGet();
                Thread.currentThread().interrupt();
            }));
            await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() > 0);
            long before = calls.get();
            java.util.concurrent.locks.LockSupport.parkNanos(500_000_000L);
            // one pass per 50 ms is about 10 in 500 ms; a spinning sampler makes thousands
            assertThat(calls.get() - before).isLessThan(50);
        }
    }

    /** A component whose counters block: closing the runtime interrupts the sampler, which leaks no thread. */
    @Test
    void closeEndsASamplerBlockedInAComponent() throws Exception {
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        VelaRuntime vela = VelaRuntime.start(config().set(Settings.THREAD_NAME_PREFIX, "blocked-sampler").build());
        vela.registerStats(component("blocking", sink -> {
            entered.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try {
            assertThat(entered.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            vela.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().startsWith("blocked-sampler-counters") && t.isAlive()));
        } finally {
            never.countDown(); // whatever happened, leave no thread behind
        }
    }

    /**
     * Another class loader of this JVM (an application server's second application) numbers its runtimes from 1
     * too: a live file of this pid under the name this runtime would take must be neither deleted nor replaced.
     */
    @Test
    void aLiveFileOfThisPidUnderTheNextNameIsNeitherDeletedNorReplaced() throws Exception {
        Path first;
        try (VelaRuntime a = VelaRuntime.start(config().build())) {
            first = a.counters().file().orElseThrow();
        }
        String name = first.getFileName().toString();
        long pid = ProcessHandle.current().pid();
        int n = Integer.parseInt(name.substring((CountersLayout.PREFIX + pid + "-").length(),
                name.length() - CountersLayout.SUFFIX.length()));
        Path foreign = dir.resolve(CountersLayout.PREFIX + pid + "-" + (n + 1) + CountersLayout.SUFFIX);
        long foreignStart = System.currentTimeMillis() - 1;
        MappedByteBuffer m = IoUtil.mapNewFile(foreign.toFile(), CountersLayout.fileLength(16), true);
        CountersLayout.writeHeader(new UnsafeBuffer(m), pid, foreignStart, 16 * CountersLayout.METADATA_PER_COUNTER,
                16 * CountersLayout.VALUE_PER_COUNTER);
        IoUtil.unmap(m);
        try (VelaRuntime b = VelaRuntime.start(config().build())) {
            assertThat(b.counters().file().orElseThrow()).isNotEqualTo(foreign).exists();
            assertThat(foreign).exists();
            try (CountersFileReader r = CountersFileReader.open(foreign)) {
                assertThat(r.startMillis()).isEqualTo(foreignStart); // still the other loader's file
            }
        }
        assertThat(foreign).exists(); // b's close deletes b's file only
    }

    /** A process killed while making its file leaves it under its hidden name: the next start deletes it too. */
    @Test
    void aHalfMadeFileOfADeadProcessIsDeletedButOneOfThisProcessIsKept() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertThat(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Path deadMaking = dir.resolve("." + CountersLayout.PREFIX + p.pid() + "-1f2e3d.init");
        Path ownMaking = dir.resolve("." + CountersLayout.PREFIX + ProcessHandle.current().pid() + "-4c5b6a.init");
        java.nio.file.Files.write(deadMaking, new byte[256]);
        java.nio.file.Files.write(ownMaking, new byte[256]); // a runtime of this JVM making its file right now
        try (VelaRuntime vela = VelaRuntime.start(config().build())) {
            assertThat(deadMaking).doesNotExist();
            assertThat(ownMaking).exists();
        }
    }

    static ComponentStats component(String name, java.util.function.Consumer<ObjLongConsumer<String>> c) {
        return new ComponentStats() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String describe() {
                return name;
            }

            @Override
            public void counters(ObjLongConsumer<String> sink) {
                c.accept(sink);
            }
        };
    }
}
