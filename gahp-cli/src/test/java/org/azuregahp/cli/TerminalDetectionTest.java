package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * HTCondor starts us on pipes: the shell must never start there, even on a JVM whose
 * {@code System.console()} answers a console for pipes (Java 22 to 24, or any Java from 20 with
 * {@code -Djdk.console=jdk.internal.le}).
 */
class TerminalDetectionTest {

    /** A console as Java 22+ has it. */
    public static class ModernConsole {
        private final boolean terminal;

        ModernConsole(boolean terminal) {
            this.terminal = terminal;
        }

        public boolean isTerminal() {
            return terminal;
        }
    }

    /** A console as Java 17 has it: no isTerminal(), and only at a terminal. */
    public static class OldConsole {
    }

    /** isTerminal() throws. */
    public static class BrokenConsole {
        public boolean isTerminal() {
            throw new IllegalStateException("no");
        }
    }

    @Test
    void aConsoleOnPipesIsNotATerminal() {
        assertThat(Main.isTerminal(new ModernConsole(false), ModernConsole.class)).isFalse();
        assertThat(Main.isTerminal(new ModernConsole(true), ModernConsole.class)).isTrue();
    }

    @Test
    void withoutIsTerminalAConsoleMeansATerminalAndNoConsoleMeansPipes() {
        assertThat(Main.isTerminal(new OldConsole(), OldConsole.class)).isTrue();
        assertThat(Main.isTerminal(null, OldConsole.class)).isFalse();
        assertThat(Main.isTerminal(null, java.io.Console.class)).isFalse();
    }

    @Test
    void whenAskingFailsThePlainProtocolWins() {
        assertThat(Main.isTerminal(new BrokenConsole(), BrokenConsole.class)).isFalse();
    }
}
