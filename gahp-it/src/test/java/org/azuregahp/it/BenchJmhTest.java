package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs {@link BenchCodec} with JMH (one fork, short warm-up and measurement: about 70 s). */
@Tag("bench")
class BenchJmhTest {

    @Test
    void codecAndParserThroughput() throws Exception {
        Options opt = new OptionsBuilder()
                .include(BenchCodec.class.getName() + "\\.")
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(1))
                .timeUnit(TimeUnit.SECONDS)
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(opt).run();
        assertThat(results).hasSize(7);

        List<List<String>> rows = new ArrayList<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            double score = r.getPrimaryResult().getScore();
            double err = r.getPrimaryResult().getScoreError();
            assertThat(score).as(name).isPositive();
            String perLine = name.equals("frame1000Lines")
                    ? BenchReport.f("%,.0f lines/s", score * BenchCodec.CHUNK_LINES) : "";
            rows.add(List.of(name, BenchReport.f("%,.0f", score), Double.isNaN(err) ? "" : BenchReport.f("± %,.0f", err),
                    BenchReport.f("%.2f µs", 1e6 / score), perLine));
        }
        BenchReport.write("Codec and parser throughput (JMH: 1 fork, 3×1 s warm-up, 5×1 s measurement)",
                List.of("benchmark", "ops/s", "error (99.9%)", "time/op", "note"), rows,
                List.of("frame1000Lines feeds 1,000 gridmanager create lines (about 250 KB) to a new LineFramer;"
                        + " encodeList500 encodes a 500-VM list result."));
    }
}
