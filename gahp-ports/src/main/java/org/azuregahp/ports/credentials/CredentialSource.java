package org.azuregahp.ports.credentials;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.azuregahp.ports.CloudException;

/**
 * Where a cloud adapter gets the service principal a request's credential file names. The adapters
 * are given one at construction; the composition root gives both the same one, which reads files.
 *
 * <p>{@link #credentials} never blocks its caller: any file-system work happens elsewhere, so a file
 * that hangs (a stuck network file system) costs only the requests that name it. The stage fails
 * with a {@link CloudException} of code {@link CloudException#CREDENTIAL_FILE} whose message names the
 * file and the problem and never repeats anything the file contains.
 */
@FunctionalInterface
public interface CredentialSource {

    /** The credentials in the file {@code path} names (as written on the request line). */
    CompletionStage<Credentials> credentials(String path);

    /**
     * Reads nothing: every credential file is refused, saying so. The default of a cloud built without
     * a source; the machine's ambient login ({@code NULL}) works without one.
     */
    CredentialSource NONE = path -> CompletableFuture.failedFuture(new CloudException(CloudException.CREDENTIAL_FILE,
            "credential file " + path + " cannot be used: this cloud was built without a credential source"
                    + " (only NULL, the ambient login, works)"));
}
