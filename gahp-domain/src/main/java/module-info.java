/**
 * The GAHP protocol as a library: codec, commands and their handlers, typed results, the engine and a
 * client-side API. Pure Java over the ports; every package is public API, and what is internal to one
 * (syntaxes, handlers, the protocol session, admission) is package-private there.
 */
module org.azuregahp.domain {
    requires transitive org.azuregahp.ports;

    exports org.azuregahp.domain.codec;
    exports org.azuregahp.domain.command;
    exports org.azuregahp.domain.result;
    exports org.azuregahp.domain.engine;
    exports org.azuregahp.domain.client;
}
