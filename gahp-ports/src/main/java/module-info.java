/**
 * The contract between the GAHP engine and a cloud: capability interfaces and the values they carry.
 * JDK only.
 */
module org.azuregahp.ports {
    exports org.azuregahp.ports;
    exports org.azuregahp.ports.credentials;
}
