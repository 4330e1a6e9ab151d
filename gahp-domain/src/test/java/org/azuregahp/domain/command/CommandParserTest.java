package org.azuregahp.domain.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.azuregahp.domain.codec.GahpCodec;
import org.azuregahp.ports.AdminCredential;
import org.azuregahp.ports.ImageRef;
import org.azuregahp.ports.NetworkRef;
import org.azuregahp.ports.OsType;
import org.azuregahp.ports.PublicIpChoice;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.SpotPricing;
import org.azuregahp.ports.VaultSecretRef;
import org.azuregahp.ports.VaultSpec;
import org.azuregahp.ports.VmQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandParserTest {

    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    static final String H = " 7 /home/alice/azure_auth.json sub-1";
    static final String VM = "AZURE_VM_CREATE" + H + " name=vm1 location=westeurope image=linux-ubuntu-latest size=Standard_B1s";
    static final String VMSS = "AZURE_VMSS_CREATE" + H + " name=ss1 location=westeurope image=linux-ubuntu-latest size=Standard_B1s";

    final CommandParser parser = new CommandParser(Clock.fixed(NOW, ZoneOffset.UTC));

    ParseOutcome parse(String line) {
        return parser.parse(GahpCodec.split(line));
    }

    Command parsed(String line) {
        ParseOutcome o = parse(line);
        if (o instanceof ParseOutcome.CloudCall call) {
            return call.request();
        }
        assertThat(o).as(line).isInstanceOf(ParseOutcome.SessionCall.class);
        return ((ParseOutcome.SessionCall) o).command();
    }

    ParseOutcome.CloudCall call(String line) {
        ParseOutcome o = parse(line);
        assertThat(o).as(line).isInstanceOf(ParseOutcome.CloudCall.class);
        return (ParseOutcome.CloudCall) o;
    }

    ParseOutcome.Invalid invalid(String line) {
        ParseOutcome o = parse(line);
        assertThat(o).as(line).isInstanceOf(ParseOutcome.Invalid.class);
        ParseOutcome.Invalid inv = (ParseOutcome.Invalid) o;
        assertThat(inv.requestId()).isEqualTo("7");
        assertThat(inv.errorText()).startsWith("InvalidParameter: ");
        return inv;
    }

    MachineRequest vm(String extra) {
        return ((CloudRequest.VmCreate) parsed(VM + extra)).machine();
    }

    // ---- E: only unknown command or too few arguments -------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "FOO", "AZURE_VM_START 2 c s", "RESULTSX", " COMMANDS", "AZURE\\ PING 2 c s"})
    void unknownCommandsAreRejected(String line) {
        assertThat(parse(line)).isInstanceOf(ParseOutcome.Rejected.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AZURE_PING", "AZURE_PING 2", "AZURE_PING 2 cred", "AZURE_VM_CREATE 2 cred",
            "AZURE_VM_DELETE 2 cred sub", "AZURE_VM_LIST 2 c", "AZURE_VMSS_CREATE 2 c", "AZURE_VMSS_DELETE 2 c s",
            "AZURE_VMSS_START 2 c s", "AZURE_VMSS_STOP 2 c s", "AZURE_VMSS_RESTART 2 c s",
            "AZURE_VMSS_SCALE 2 c s name=x", "AZURE_VMSS_LIST 2 c", "AZURE_KEYVAULT_CREATE 2 c",
            "CONDOR_VERSION", "RESPONSE_PREFIX"})
    void tooFewArgumentsAreRejected(String line) {
        ParseOutcome o = parse(line);
        assertThat(o).isInstanceOf(ParseOutcome.Rejected.class);
        assertThat(((ParseOutcome.Rejected) o).reason()).startsWith("too few arguments");
    }

    @Test
    void anEmptyRequestIdIsRejected() {
        assertThat(parse("AZURE_PING  c s")).isInstanceOf(ParseOutcome.Rejected.class);
    }

    @Test
    void everyCommandOfTheTableParsesAtItsMinimumArityOrGivesAnErrorResult() {
        CommandTable t = CommandTable.standard();
        for (String name : t.names()) {
            int min = t.minArgs(name);
            List<String> args = new java.util.ArrayList<>(List.of(name));
            for (int i = 1; i < min; i++) {
                args.add(i == 1 ? "9" : "x");
            }
            ParseOutcome o = parser.parse(args);
            assertThat(o).as(name).isNotInstanceOf(ParseOutcome.Rejected.class);
            if (args.size() > 1) {
                List<String> fewer = args.subList(0, args.size() - 1);
                assertThat(parser.parse(fewer)).as(name + " with one argument less")
                        .isInstanceOf(ParseOutcome.Rejected.class);
            }
        }
    }

    // ---- session commands --------------------------------------------------------------------------------

    static Stream<Arguments> sessionCommands() {
        return Stream.of(
                Arguments.of("VERSION", new SessionCommand.Version()),
                Arguments.of("commands", new SessionCommand.Commands()),
                Arguments.of("Condor_Version $CondorVersion:\\ 25.14.0\\ $", new SessionCommand.CondorVersion(
                        "$CondorVersion: 25.14.0 $")),
                Arguments.of("RESPONSE_PREFIX GAHP:", new SessionCommand.ResponsePrefix("GAHP:")),
                Arguments.of("RESPONSE_PREFIX ", new SessionCommand.ResponsePrefix("")),
                Arguments.of("async_mode_on", new SessionCommand.AsyncModeOn()),
                Arguments.of("ASYNC_MODE_OFF", new SessionCommand.AsyncModeOff()),
                Arguments.of("Results", new SessionCommand.Results()),
                Arguments.of("QUIT", new SessionCommand.Quit()),
                Arguments.of("QUIT extra ignored", new SessionCommand.Quit()),
                Arguments.of("STATISTICS", new SessionCommand.Statistics()));
    }

    @ParameterizedTest
    @MethodSource("sessionCommands")
    void sessionCommandsParseCaseInsensitively(String line, Command expected) {
        assertThat(parsed(line)).isEqualTo(expected);
        String name = GahpCodec.split(line).get(0).toUpperCase(java.util.Locale.ROOT);
        assertThat(((ParseOutcome.SessionCall) parse(line)).info().name()).isEqualTo(name);
    }

    @Test
    void eachCallNamesTheVmOrScaleSetItActsOnAndListsNameNone() {
        assertThat(call(VM).resourceName()).isEqualTo("vm1");
        assertThat(call(VMSS).resourceName()).isEqualTo("ss1");
        assertThat(call("AZURE_VM_DELETE" + H + " vm1").resourceName()).isEqualTo("vm1");
        assertThat(call("AZURE_VM_DELETE" + H + " rg vm1").resourceName()).isEqualTo("vm1");
        for (String cmd : List.of("AZURE_VMSS_DELETE", "AZURE_VMSS_START", "AZURE_VMSS_STOP", "AZURE_VMSS_RESTART")) {
            assertThat(call(cmd + H + " rg ss1").resourceName()).as(cmd).isEqualTo("ss1");
        }
        assertThat(call("AZURE_VMSS_SCALE" + H + " name=ss1 nodecount=2").resourceName()).isEqualTo("ss1");
        assertThat(call("AZURE_VMSS_SCALE" + H + " rg ss1 2").resourceName()).isEqualTo("ss1");
        for (String line : List.of("AZURE_PING" + H, "AZURE_VM_LIST" + H + " vm1", "AZURE_VMSS_LIST" + H + " ss1",
                "AZURE_KEYVAULT_CREATE" + H + " name=kv location=westeurope")) {
            assertThat(call(line).resourceName()).as(line).isNull();
        }
    }

    // ---- header ------------------------------------------------------------------------------------------

    @Test
    void pingCarriesIdCredentialAndSubscription() {
        assertThat(parsed("azure_ping 2 /home/alice/azure_auth.json 00000000-0000-0000-0000-000000000001"))
                .isEqualTo(new CloudRequest.Ping("2", "/home/alice/azure_auth.json",
                        "00000000-0000-0000-0000-000000000001"));
    }

    @Test
    void credentialNullMeansAmbientLogin() {
        CloudRequest r = (CloudRequest) parsed("AZURE_PING 2 NULL sub");
        assertThat(r.credentialFile()).isNull();
        assertThat(r.account().ambient()).isTrue();
    }

    @Test
    void badHeaderValuesAreErrorResults() {
        assertThat(invalid("AZURE_PING 7  sub").errorText()).contains("credential file");
        assertThat(invalid("AZURE_PING 7 c ").errorText()).contains("subscription");
        assertThat(invalid("AZURE_PING 7 c s extra").errorText()).contains("too many arguments");
    }

    // ---- VM create ---------------------------------------------------------------------------------------

    @Test
    void theGridmanagersCreateLineParses() {
        String line = "AZURE_VM_CREATE 4 /home/alice/azure_auth.json 00000000-0000-0000-0000-000000000001 "
                + "name=condorc1p0 location=westeurope image=Canonical:UbuntuServer:18.04-LTS:latest "
                + "size=Standard_B1s adminUsername=azureuser "
                + "key=ssh-rsa\\ AAAAB3NzaC1yc2EAAAADAQABAAABAQCstubkey\\ alice@laptop";
        CloudRequest.VmCreate c = (CloudRequest.VmCreate) parsed(line);
        MachineRequest m = c.machine();
        assertThat(c.requestId()).isEqualTo("4");
        assertThat(m.name()).isEqualTo("condorc1p0");
        assertThat(m.location()).isEqualTo("westeurope");
        assertThat(m.size()).isEqualTo("Standard_B1s");
        assertThat(m.image()).isEqualTo(new ImageRef.Marketplace("Canonical", "UbuntuServer", "18.04-LTS", "latest"));
        assertThat(m.adminUsername()).isEqualTo("azureuser");
        assertThat(m.key()).isEqualTo(new KeySource.Given(new AdminCredential.SshPublicKey(
                "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCstubkey alice@laptop")));
        assertThat(m.publicIp()).isEqualTo(new PublicIpChoice.New());
        assertThat(m.dataDiskSizesGb()).isEmpty();
        assertThat(m.spot()).isNull();
    }

    @Test
    void keysAreCaseInsensitive() {
        MachineRequest m = ((CloudRequest.VmCreate) parsed("AZURE_VM_CREATE" + H
                + " NAME=vm1 Location=westeurope IMAGE=linux-ubuntu-latest SiZe=Standard_B1s ADMINUSERNAME=bob"
                + " datadisks=10 PUBLICIPADDRESS=none OSTYPE=Windows Tag=a=b")).machine();
        assertThat(m.adminUsername()).isEqualTo("bob");
        assertThat(m.dataDiskSizesGb()).containsExactly(10);
        assertThat(m.publicIp()).isEqualTo(new PublicIpChoice.None());
        assertThat(m.osType()).isEqualTo(OsType.WINDOWS);
        assertThat(m.tags()).containsEntry("a", "b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"name", "location", "image", "size"})
    void aMissingRequiredKeyIsAnErrorResultNamingIt(String key) {
        String line = VM.replaceAll(" " + key + "=[^ ]+", "");
        assertThat(invalid(line).errorText()).contains("missing required key '" + key + "'");
        assertThat(invalid(VM.replaceAll(" " + key + "=[^ ]+", " " + key + "=")).errorText())
                .as("an empty value means not given").contains("missing required key");
    }

    @Test
    void unknownRepeatedOrNonKeyValueArgumentsAreErrorResults() {
        assertThat(invalid(VM + " colour=red").errorText()).contains("unknown key 'colour'");
        assertThat(invalid(VM + " size=Standard_B2s").errorText()).contains("'size' given more than once");
        assertThat(invalid(VM + " loose").errorText()).contains("not of the form key=value");
        assertThat(invalid(VM + " deletionjob").errorText()).contains("not of the form key=value");
        assertThat(invalid(VM + " s3cr3t\\ with\\ spaces").errorText()).doesNotContain("s3cr3t");
    }

    static Stream<Arguments> images() {
        return Stream.of(
                Arguments.of("linux-ubuntu-latest",
                        new ImageRef.Marketplace("Canonical", "ubuntu-24_04-lts", "server", "latest")),
                Arguments.of("LINUX-Ubuntu-Latest",
                        new ImageRef.Marketplace("Canonical", "ubuntu-24_04-lts", "server", "latest")),
                Arguments.of("windows-server-latest", new ImageRef.Marketplace("MicrosoftWindowsServer",
                        "WindowsServer", "2022-datacenter-azure-edition", "latest")),
                Arguments.of("Canonical:UbuntuServer:18.04-LTS:latest",
                        new ImageRef.Marketplace("Canonical", "UbuntuServer", "18.04-LTS", "latest")),
                Arguments.of("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/images/img",
                        new ImageRef.ResourceId(
                                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/images/img")),
                Arguments.of("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i/versions/1.0.0",
                        new ImageRef.ResourceId("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/"
                                + "galleries/g/images/i/versions/1.0.0")),
                Arguments.of("https://acct.blob.core.windows.net/vhds/os.vhd",
                        new ImageRef.VhdUri("https://acct.blob.core.windows.net/vhds/os.vhd")));
    }

    @ParameterizedTest
    @MethodSource("images")
    void imagesParse(String value, ImageRef expected) {
        assertThat(vm(" ").image()).isNotNull();
        MachineRequest m = ((CloudRequest.VmCreate) parsed(VM.replace("image=linux-ubuntu-latest",
                "image=" + GahpCodec.escape(value)))).machine();
        assertThat(m.image()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ubuntu", "a:b:c", "a:b:c:d:e", "a::c:d", "http://x/os.vhd", "https://x/os.img",
            "/subscriptions/s/resourceGroups/rg", "a:b:c:d\\ e"})
    void badImagesAreErrorResults(String value) {
        assertThat(invalid(VM.replace("image=linux-ubuntu-latest", "image=" + value)).errorText())
                .contains("image");
    }

    @Test
    void dataDisksAreACommaListOfSizes() {
        assertThat(vm(" dataDisks=1,100,4095").dataDiskSizesGb()).containsExactly(1, 100, 4095);
        for (String bad : List.of("0", "4096", "10,,20", "x", "-5", "10,", "99999999999")) {
            assertThat(invalid(VM + " dataDisks=" + bad).errorText()).contains("dataDisks");
        }
    }

    @Test
    void keyIsAnSshKeyAPathOrAPassword() {
        assertThat(vm(" key=ssh-ed25519\\ AAAAC3Nza\\ me").key())
                .isEqualTo(new KeySource.Given(new AdminCredential.SshPublicKey("ssh-ed25519 AAAAC3Nza me")));
        assertThat(vm(" key=ecdsa-sha2-nistp256\\ AAAAE2V").key())
                .isEqualTo(new KeySource.Given(new AdminCredential.SshPublicKey("ecdsa-sha2-nistp256 AAAAE2V")));
        assertThat(vm(" key=sk-ssh-ed25519@openssh.com\\ AAAAG").key())
                .isInstanceOf(KeySource.Given.class);
        assertThat(vm(" key=/home/alice/.ssh/id_rsa.pub").key())
                .isEqualTo(new KeySource.KeyFile("/home/alice/.ssh/id_rsa.pub"));
        assertThat(vm(" key=~/.ssh/id.pub").key()).isEqualTo(new KeySource.KeyFile("~/.ssh/id.pub"));
        assertThat(vm(" key=./id.pub").key()).isEqualTo(new KeySource.KeyFile("./id.pub"));
        assertThat(vm(" key=Pa55=word!").key())
                .isEqualTo(new KeySource.Given(new AdminCredential.Password("Pa55=word!")));
        assertThat(vm(" key=ssh-rsa").key()).as("a type without a key body is not a key")
                .isEqualTo(new KeySource.Given(new AdminCredential.Password("ssh-rsa")));
        assertThat(vm(" key=").key()).isNull();
        assertThat(vm(" key=Pa55word").toString()).doesNotContain("Pa55word");
    }

    @Test
    void customDataIsTextOrAPathToTryAtExecution() {
        assertThat(vm(" customData=#!/bin/sh\\ echo\\ hi").customData())
                .isEqualTo(new CustomDataSource.Text("#!/bin/sh echo hi"));
        assertThat(vm(" customData=/etc/init.sh").customData())
                .isEqualTo(new CustomDataSource.PathOrText("/etc/init.sh"));
        assertThat(vm(" customData=a=b").customData()).isEqualTo(new CustomDataSource.Text("a=b"));
    }

    @Test
    void networkPublicIpTagsAndOsType() {
        MachineRequest m = vm(" vnetName=net vnetRGName=netrg subnetName=sub1 "
                + "publicIPAddress=/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/publicIPAddresses/ip1"
                + " tag=team=physics tag=flag tag=eq=a=b osType=linux");
        assertThat(m.network()).isEqualTo(new NetworkRef("net", "netrg", "sub1"));
        assertThat(m.publicIp()).isEqualTo(new PublicIpChoice.Existing(
                "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/publicIPAddresses/ip1"));
        assertThat(m.tags()).isEqualTo(Map.of("team", "physics", "flag", "", "eq", "a=b"));
        assertThat(m.osType()).isEqualTo(OsType.LINUX);
        assertThat(vm(" publicIPAddress=DYNAMIC").publicIp()).isEqualTo(new PublicIpChoice.New());
        assertThat(vm(" vnetName=net").network()).isEqualTo(new NetworkRef("net", null, null));
        assertThat(invalid(VM + " subnetName=s").errorText()).contains("need vnetName");
        assertThat(invalid(VM + " publicIPAddress=static").errorText()).contains("publicIPAddress");
        assertThat(invalid(VM + " osType=beos").errorText()).contains("osType");
        assertThat(invalid(VM + " tag==v").errorText()).contains("tag");
    }

    @Test
    void priorityAndMaxPrice() {
        assertThat(vm(" priority=spot").spot()).isEqualTo(new SpotPricing(-1));
        assertThat(vm(" priority=Spot maxPrice=0.05").spot()).isEqualTo(new SpotPricing(0.05));
        assertThat(vm(" priority=spot maxPrice=-1").spot()).isEqualTo(new SpotPricing(-1));
        assertThat(vm(" priority=regular").spot()).isNull();
        assertThat(invalid(VM + " priority=cheap").errorText()).contains("priority");
        assertThat(invalid(VM + " maxPrice=0.1").errorText()).contains("priority=spot");
        for (String bad : List.of("0", "-2", "abc", "NaN", "Infinity")) {
            assertThat(invalid(VM + " priority=spot maxPrice=" + bad).errorText()).contains("maxPrice");
        }
    }

    @Test
    void aValueMayContainEqualsSigns() {
        assertThat(vm(" adminUsername=a=b").adminUsername()).isEqualTo("a=b");
    }

    // ---- VM delete and list -------------------------------------------------------------------------------

    @Test
    void vmDeleteTakesANameOrAGroupAndName() {
        assertThat(((CloudRequest.VmDelete) parsed("AZURE_VM_DELETE" + H + " condorc1p0")).vm())
                .isEqualTo(ResourceRef.named("condorc1p0"));
        assertThat(((CloudRequest.VmDelete) parsed("AZURE_VM_DELETE" + H + " rg vm")).vm())
                .isEqualTo(new ResourceRef("rg", "vm"));
        assertThat(invalid("AZURE_VM_DELETE" + H + " a b c").errorText()).contains("too many");
        assertThat(invalid("AZURE_VM_DELETE" + H + " ").errorText()).contains("empty");
    }

    @Test
    void vmListTakesNothingANameOrATagFilter() {
        assertThat(((CloudRequest.VmList) parsed("AZURE_VM_LIST" + H)).query()).isEqualTo(VmQuery.all());
        assertThat(((CloudRequest.VmList) parsed("AZURE_VM_LIST" + H + " ")).query()).isEqualTo(VmQuery.all());
        assertThat(((CloudRequest.VmList) parsed("AZURE_VM_LIST" + H + " vm1")).query())
                .isEqualTo(new VmQuery.ByName("vm1"));
        assertThat(((CloudRequest.VmList) parsed("AZURE_VM_LIST" + H + " team=physics")).query())
                .isEqualTo(new VmQuery.ByTag("team", "physics"));
        assertThat(((CloudRequest.VmList) parsed("AZURE_VM_LIST" + H + " team=")).query())
                .isEqualTo(new VmQuery.ByTag("team", null));
        assertThat(invalid("AZURE_VM_LIST" + H + " =x").errorText()).contains("tag");
        assertThat(invalid("AZURE_VM_LIST" + H + " a b").errorText()).contains("too many");
    }

    // ---- scale sets --------------------------------------------------------------------------------------

    @Test
    void vmssCreateDefaultsToOneNode() {
        CloudRequest.VmssCreate c = (CloudRequest.VmssCreate) parsed(VMSS);
        assertThat(c.nodeCount()).isEqualTo(1);
        assertThat(c.secret()).isNull();
        assertThat(c.deleteAt()).isNull();
        assertThat(c.machine().name()).isEqualTo("ss1");
    }

    @Test
    void vmssCreateNodeCountRange() {
        assertThat(((CloudRequest.VmssCreate) parsed(VMSS + " nodecount=0")).nodeCount()).isZero();
        assertThat(((CloudRequest.VmssCreate) parsed(VMSS + " NodeCount=1000")).nodeCount()).isEqualTo(1000);
        for (String bad : List.of("1001", "-1", "x", "1.5", "99999999999")) {
            assertThat(invalid(VMSS + " nodecount=" + bad).errorText()).contains("nodecount").contains("0 to 1000");
        }
    }

    @Test
    void vmssCreateDeletionJob() {
        Instant at = Instant.parse("2026-11-28T09:30:00Z");
        assertThat(((CloudRequest.VmssCreate) parsed(VMSS + " deletionjob schedule=202611280930")).deleteAt())
                .isEqualTo(at);
        assertThat(((CloudRequest.VmssCreate) parsed(VMSS + " DELETIONJOB=true schedule=202611280930")).deleteAt())
                .isEqualTo(at);
        assertThat(((CloudRequest.VmssCreate) parsed(VMSS + " schedule=202611280930")).deleteAt()).isEqualTo(at);
        assertThat(((CloudRequest.VmssCreate) parsed(VMSS + " deletionjob=false schedule=202611280930")).deleteAt())
                .isNull();
        assertThat(invalid(VMSS + " deletionjob").errorText()).contains("needs schedule");
        assertThat(invalid(VMSS + " deletionjob=maybe schedule=202611280930").errorText()).contains("deletionjob");
        assertThat(invalid(VMSS + " deletionjob schedule=2026112809").errorText()).contains("YYYYMMDDhhmm");
        assertThat(invalid(VMSS + " deletionjob schedule=202602300930").errorText()).contains("not a valid date");
        assertThat(invalid(VMSS + " deletionjob schedule=202611271000").errorText()).contains("not in the future");
        assertThat(invalid(VMSS + " deletionjob schedule=202511280930").errorText()).contains("not in the future");
    }

    @Test
    void vmssCreateVaultKeysGoTogether() {
        CloudRequest.VmssCreate c = (CloudRequest.VmssCreate) parsed(
                VMSS + " keyvaultname=kv KEYVAULTRG=kvrg vaultkey=condor-pool-password");
        assertThat(c.secret()).isEqualTo(new VaultSecretRef("kv", "kvrg", "condor-pool-password"));
        assertThat(invalid(VMSS + " keyvaultname=kv vaultkey=x").errorText()).contains("missing: keyvaultrg");
    }

    @Test
    void vmssCreateRejectsVmOnlyTypos() {
        assertThat(invalid(VM + " nodecount=2").errorText()).contains("unknown key 'nodecount'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"AZURE_VMSS_DELETE", "AZURE_VMSS_START", "AZURE_VMSS_STOP", "AZURE_VMSS_RESTART"})
    void vmssNameCommands(String cmd) {
        CloudRequest one = (CloudRequest) parsed(cmd + H + " ss1");
        CloudRequest two = (CloudRequest) parsed(cmd.toLowerCase(java.util.Locale.ROOT) + H + " rg ss1");
        assertThat(call(cmd.toLowerCase(java.util.Locale.ROOT) + H + " ss1").info().name()).isEqualTo(cmd);
        assertThat(refOf(one)).isEqualTo(ResourceRef.named("ss1"));
        assertThat(refOf(two)).isEqualTo(new ResourceRef("rg", "ss1"));
        assertThat(invalid(cmd + H + " a b c").errorText()).contains("too many");
    }

    private static ResourceRef refOf(CloudRequest r) {
        if (r instanceof CloudRequest.VmssDelete d) {
            return d.scaleSet();
        }
        if (r instanceof CloudRequest.VmssStart s) {
            return s.scaleSet();
        }
        if (r instanceof CloudRequest.VmssStop s) {
            return s.scaleSet();
        }
        return ((CloudRequest.VmssRestart) r).scaleSet();
    }

    @Test
    void vmssScaleKeyedOrPositional() {
        assertThat(parsed("AZURE_VMSS_SCALE" + H + " name=ss1 nodecount=5"))
                .isEqualTo(new CloudRequest.VmssScale("7", "/home/alice/azure_auth.json", "sub-1",
                        ResourceRef.named("ss1"), 5));
        assertThat(parsed("AZURE_VMSS_SCALE" + H + " NodeCount=0 NAME=ss1"))
                .isEqualTo(new CloudRequest.VmssScale("7", "/home/alice/azure_auth.json", "sub-1",
                        ResourceRef.named("ss1"), 0));
        assertThat(parsed("AZURE_VMSS_SCALE" + H + " rg ss1 3"))
                .isEqualTo(new CloudRequest.VmssScale("7", "/home/alice/azure_auth.json", "sub-1",
                        new ResourceRef("rg", "ss1"), 3));
        assertThat(invalid("AZURE_VMSS_SCALE" + H + " name=ss1 nodecount=1001").errorText()).contains("nodecount");
        assertThat(invalid("AZURE_VMSS_SCALE" + H + " name=ss1 size=x").errorText()).contains("unknown key");
        assertThat(invalid("AZURE_VMSS_SCALE" + H + " a b c d").errorText()).contains("expected");
        assertThat(invalid("AZURE_VMSS_SCALE" + H + " rg ss1 many").errorText()).contains("nodecount");
    }

    @Test
    void vmssList() {
        assertThat(((CloudRequest.VmssList) parsed("AZURE_VMSS_LIST" + H)).scaleSetName()).isNull();
        assertThat(((CloudRequest.VmssList) parsed("AZURE_VMSS_LIST" + H + " ss1")).scaleSetName()).isEqualTo("ss1");
        assertThat(invalid("AZURE_VMSS_LIST" + H + " a b").errorText()).contains("too many");
    }

    // ---- key vault ---------------------------------------------------------------------------------------

    @Test
    void keyvaultCreate() {
        assertThat(((CloudRequest.KeyvaultCreate) parsed("AZURE_KEYVAULT_CREATE" + H
                + " NAME=kv location=westeurope Sku=Premium users=u1,u2")).vault())
                .isEqualTo(new VaultSpec("kv", "westeurope", "premium", List.of("u1", "u2")));
        assertThat(((CloudRequest.KeyvaultCreate) parsed("AZURE_KEYVAULT_CREATE" + H
                + " name=kv location=westeurope")).vault())
                .isEqualTo(new VaultSpec("kv", "westeurope", "standard", List.of()));
        assertThat(invalid("AZURE_KEYVAULT_CREATE" + H + " name=kv").errorText()).contains("'location'");
        assertThat(invalid("AZURE_KEYVAULT_CREATE" + H + " name=kv location=l sku=gold").errorText())
                .contains("sku");
        assertThat(invalid("AZURE_KEYVAULT_CREATE" + H + " name=kv location=l users=a,,b").errorText())
                .contains("users");
    }

    // ---- totality ----------------------------------------------------------------------------------------

    @Test
    void theParserNeverThrowsOnRandomInput() {
        java.util.Random rnd = new java.util.Random(42);
        String[] pieces = {"AZURE_VM_CREATE", "AZURE_VMSS_CREATE", "AZURE_VMSS_SCALE", "AZURE_VM_LIST", "1", "NULL",
                "name=", "=", "==", "key=/x", "image=a:b:c:d", "nodecount=", "schedule=209901010000", "deletionjob",
                "tag=", "\\", " ", "", "dataDisks=,", "maxPrice=1e400", "priority=spot", "ü", "\u0000"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = rnd.nextInt(12);
            for (int j = 0; j < n; j++) {
                b.append(pieces[rnd.nextInt(pieces.length)]).append(rnd.nextBoolean() ? " " : "");
            }
            assertThat(parse(b.toString())).isNotNull();
        }
        assertThat(parser.parse(null)).isInstanceOf(ParseOutcome.Rejected.class);
        assertThat(parser.parse(List.of())).isInstanceOf(ParseOutcome.Rejected.class);
    }
}
