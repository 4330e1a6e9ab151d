package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.azuregahp.domain.codec.GahpCodec;
import org.azuregahp.domain.engine.EngineConfig;
import org.azuregahp.domain.engine.EngineListener;
import org.azuregahp.domain.engine.GahpEngine;
import org.azuregahp.domain.result.Result;
import org.azuregahp.fake.FakeCloud;
import org.azuregahp.ports.LocalFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A credential file on a file system that hangs, through the engine and the fake cloud as the server
 * wires them: the requests naming it wait, and every other request (NULL, other files, more than the
 * engine has worker threads) is answered before them. Ordering only; nothing depends on time.
 */
class HungCredentialFileTest {
    private static final String SUB = "00000000-0000-0000-0000-000000000001";

    @TempDir
    Path dir;

    @Test
    void onlyTheRequestsNamingAHungFileWait() throws Exception {
        Path hung = dir.resolve("on-stuck-nfs.json");
        Path good = dir.resolve("good.json");
        for (Path p : List.of(hung, good)) {
            Files.writeString(p, "{\"clientId\":\"a\",\"tenantId\":\"b\",\"clientSecret\":\"s3cret-x\"}",
                    StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        }
        CountDownLatch release = new CountDownLatch(1);
        FileCredentialSource source = new FileCredentialSource(new FileCredentialSource.FileAccess() {
            @Override
            public BasicFileAttributes regular(Path file) throws RegularFiles.Problem {
                if (file.equals(hung)) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return RegularFiles.regular(file);
            }

            @Override
            public byte[] read(Path file, int maxBytes) throws RegularFiles.Problem {
                return RegularFiles.read(file, maxBytes);
            }
        });
        BlockingQueue<String> results = new LinkedBlockingQueue<>();
        try (FakeCloud cloud = FakeCloud.builder().credentials(source).build()) {
            GahpEngine engine = GahpEngine.builder(cloud).listener(new EngineListener() {
                @Override
                public void completed(Result result) {
                    results.add(result.line());
                }
            }).build();
            engine.start();
            // More requests on the hung file than the engine has threads, then everything else.
            List<String> waiting = new ArrayList<>();
            for (int id = 2; id < 12; id++) {
                assertThat(engine.accept("AZURE_PING " + id + " " + hung + " " + SUB)).isTrue();
                waiting.add(Integer.toString(id));
            }
            List<String> others = new ArrayList<>();
            for (int id = 100; id < 110; id++) {
                engine.accept("AZURE_PING " + id + " NULL " + SUB);
                engine.accept("AZURE_PING " + (id + 100) + " " + good + " " + SUB);
                engine.accept("AZURE_VM_LIST " + (id + 200) + " " + good + " " + SUB);
                others.addAll(List.of(Integer.toString(id), Integer.toString(id + 100), Integer.toString(id + 200)));
            }
            List<List<String>> answered = new ArrayList<>();
            for (int i = 0; i < others.size(); i++) {
                answered.add(GahpCodec.split(next(results)));
            }
            assertThat(answered).extracting(r -> r.get(0)).containsExactlyInAnyOrderElementsOf(others);
            assertThat(answered).allSatisfy(r -> assertThat(r.get(1)).isEqualTo("NULL"));
            assertThat(results).as("nothing for the hung file yet").isEmpty();

            release.countDown();
            List<String> late = new ArrayList<>();
            for (int i = 0; i < waiting.size(); i++) {
                List<String> r = GahpCodec.split(next(results));
                assertThat(r.get(1)).isEqualTo("NULL");
                late.add(r.get(0));
            }
            assertThat(late).containsExactlyInAnyOrderElementsOf(waiting);
            engine.shutdown();
        }
    }

    private static String next(BlockingQueue<String> results) throws InterruptedException {
        String line = results.poll(30, TimeUnit.SECONDS); // a guard against a hung test only
        assertThat(line).as("a result line").isNotNull();
        return line;
    }
}
