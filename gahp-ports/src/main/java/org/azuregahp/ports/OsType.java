package org.azuregahp.ports;

public enum OsType {
    LINUX, WINDOWS
}
