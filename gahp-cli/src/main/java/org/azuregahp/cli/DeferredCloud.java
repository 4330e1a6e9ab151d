package org.azuregahp.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.azuregahp.ports.AccountRef;
import org.azuregahp.ports.Cloud;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.CloudStatistics;

/**
 * A cloud that is built after the banner is out: the engine is wired to this stand-in so the banner
 * costs nothing of the adapter's start-up (JSON state, SDK classes). The front end starts reading
 * requests only once {@link #complete} has run, so {@link #account} never really waits.
 */
final class DeferredCloud implements Cloud {
    private final CompletableFuture<Cloud> target = new CompletableFuture<>();

    void complete(Cloud cloud) {
        target.complete(cloud);
    }

    private Cloud target() {
        Cloud cloud;
        try {
            cloud = target.join();
        } catch (CompletionException e) {
            cloud = null;
        }
        if (cloud == null) {
            throw new CloudException(CloudException.NOT_AVAILABLE, "the cloud is not available (shutting down)");
        }
        return cloud;
    }

    @Override
    public CloudAccount account(AccountRef ref) {
        return target().account(ref);
    }

    @Override
    public CloudStatistics statistics() {
        Cloud cloud = target.getNow(null);
        return cloud == null ? CloudStatistics.NONE : cloud.statistics();
    }

    @Override
    public void close() {
        if (!target.complete(null)) {
            Cloud cloud = target.getNow(null);
            if (cloud != null) {
                cloud.close();
            }
        }
    }
}
