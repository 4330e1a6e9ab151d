package org.azuregahp.it;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.azuregahp.domain.codec.FramedLine;
import org.azuregahp.domain.codec.GahpCodec;
import org.azuregahp.domain.codec.LineFramer;
import org.azuregahp.domain.command.CommandParser;
import org.azuregahp.domain.command.ParseOutcome;
import org.azuregahp.domain.result.Outcome;
import org.azuregahp.domain.result.ResultEncoder;
import org.azuregahp.ports.VmStatus;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH benchmarks of the protocol's hot paths: framing input bytes into lines, splitting a line into
 * arguments, parsing a gridmanager VM create, and encoding result lines. Run by {@link BenchJmhTest}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BenchCodec {
    /** Lines in {@link #chunk}: the framing benchmark's score times this is lines per second. */
    public static final int CHUNK_LINES = 1000;

    String createLine;
    String pingLine;
    byte[] chunk;
    CommandParser parser;
    Outcome.CreatedVm created;
    Outcome.VmList list500;
    String errorText;

    @Setup
    public void setup() {
        createLine = "AZURE_VM_CREATE 1234 NULL " + LauncherTestSupport.SUB + " name=condorc1234p0 location=westeurope"
                + " image=Canonical:UbuntuServer:18.04-LTS:latest size=Standard_B1s adminUsername=azureuser"
                + " key=" + LauncherTestSupport.SSH_KEY;
        pingLine = "AZURE_PING 1234 NULL " + LauncherTestSupport.SUB;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < CHUNK_LINES; i++) {
            b.append(createLine).append("\r\n");
        }
        chunk = b.toString().getBytes(StandardCharsets.UTF_8);
        parser = new CommandParser(Clock.systemUTC());
        created = new Outcome.CreatedVm("629bc222-9cef-494d-bc1e-932efb9a0f58", "203.0.113.5");
        List<VmStatus> vms = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            vms.add(new VmStatus("condorc" + i + "p0", List.of("ProvisioningState/succeeded", "PowerState/running")));
        }
        list500 = new Outcome.VmList(vms);
        errorText = "InternalServerError: An internal execution error occurred.\r\nPlease retry later. C:\\path";
    }

    /** 1,000 create lines (about 230 KB) fed as one read. */
    @Benchmark
    public List<FramedLine> frame1000Lines() {
        return new LineFramer().feed(chunk, 0, chunk.length);
    }

    @Benchmark
    public List<String> splitCreate() {
        return GahpCodec.split(createLine);
    }

    @Benchmark
    public ParseOutcome parseCreate() {
        return parser.parseLine(createLine);
    }

    @Benchmark
    public ParseOutcome parsePing() {
        return parser.parseLine(pingLine);
    }

    @Benchmark
    public String encodeCreateResult() {
        return ResultEncoder.encode("1234", created);
    }

    @Benchmark
    public String encodeErrorResult() {
        return ResultEncoder.error("1234", errorText);
    }

    /** A list result of 500 VMs (about 30 KB). */
    @Benchmark
    public String encodeList500() {
        return ResultEncoder.encode("1234", list500);
    }
}
