/**
 * The in-memory fake cloud: {@link org.azuregahp.fake.FakeCloud} is its one entry point; everything
 * behind it is package-private.
 */
module org.azuregahp.fake {
    requires transitive org.azuregahp.ports;
    requires com.fasterxml.jackson.databind;

    exports org.azuregahp.fake;
}
