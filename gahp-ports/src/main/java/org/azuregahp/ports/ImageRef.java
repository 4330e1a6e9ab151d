package org.azuregahp.ports;

import java.util.Locale;
import java.util.Objects;

/** What a VM boots from. */
public sealed interface ImageRef {

    /** The OS this image most likely carries, used when the request gives no {@code osType}. */
    OsType impliedOsType();

    /** A marketplace image, {@code publisher:offer:sku:version}. */
    record Marketplace(String publisher, String offer, String sku, String version) implements ImageRef {
        public Marketplace {
            Objects.requireNonNull(publisher, "publisher");
            Objects.requireNonNull(offer, "offer");
            Objects.requireNonNull(sku, "sku");
            Objects.requireNonNull(version, "version");
        }

        @Override
        public OsType impliedOsType() {
            String p = (publisher + ":" + offer).toLowerCase(Locale.ROOT);
            return p.contains("windows") ? OsType.WINDOWS : OsType.LINUX;
        }

        @Override
        public String toString() {
            return publisher + ":" + offer + ":" + sku + ":" + version;
        }
    }

    /**
     * A managed image or gallery image (version) resource id, e.g.
     * {@code /subscriptions/.../providers/Microsoft.Compute/images/my-image}.
     */
    record ResourceId(String id) implements ImageRef {
        public ResourceId {
            Objects.requireNonNull(id, "id");
        }

        public boolean gallery() {
            return id.toLowerCase(Locale.ROOT).contains("/providers/microsoft.compute/galleries/");
        }

        @Override
        public OsType impliedOsType() {
            return id.toLowerCase(Locale.ROOT).contains("windows") ? OsType.WINDOWS : OsType.LINUX;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /** A generalized VHD in a storage account, by https URL. */
    record VhdUri(String uri) implements ImageRef {
        public VhdUri {
            Objects.requireNonNull(uri, "uri");
        }

        @Override
        public OsType impliedOsType() {
            return uri.toLowerCase(Locale.ROOT).contains("windows") ? OsType.WINDOWS : OsType.LINUX;
        }

        @Override
        public String toString() {
            return uri;
        }
    }
}
