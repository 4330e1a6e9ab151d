package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestLogTest {

    @Test
    void onlyWordsThatLookLikeCommandsAndIdsAreShown() {
        assertThat(RequestLog.safe("AZURE_VM_CREATE", false)).isEqualTo("AZURE_VM_CREATE");
        assertThat(RequestLog.safe("42", true)).isEqualTo("42");
        assertThat(RequestLog.safe("req-7.a_b", true)).isEqualTo("req-7.a_b");
        assertThat(RequestLog.safe("key=Secr3t!Passw0rd", true)).isEqualTo("(not shown)");
        assertThat(RequestLog.safe("p@ss", false)).isEqualTo("(not shown)");
        assertThat(RequestLog.safe("x".repeat(65), true)).isEqualTo("(65 characters)");
        assertThat(RequestLog.safe("", true)).isEqualTo("-");
    }
}
