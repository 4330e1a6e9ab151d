package org.azuregahp.domain.command;

import java.util.Objects;

/**
 * The {@code customData=} value as parsed: literal text, or a path-looking value that becomes the
 * file's content if such a file exists when the request executes, else stays literal text.
 * {@code toString} shows only the length (custom data may hold secrets).
 */
public sealed interface CustomDataSource {

    record Text(String text) implements CustomDataSource {
        public Text {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String toString() {
            return "Text[<" + text.length() + " chars>]";
        }
    }

    record PathOrText(String value) implements CustomDataSource {
        public PathOrText {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return "PathOrText[" + value + "]";
        }
    }
}
