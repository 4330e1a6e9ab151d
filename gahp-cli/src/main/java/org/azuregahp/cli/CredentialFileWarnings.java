package org.azuregahp.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.azuregahp.ports.AccountRef;
import org.azuregahp.ports.Cloud;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.CloudStatistics;
import org.azuregahp.ports.credentials.CredentialFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns (once per file) in the log when a request names a credential file that users other than its
 * owner may read, whichever cloud serves it. Only the file's permissions are looked at, never its
 * contents; a missing file is the adapter's to report.
 */
final class CredentialFileWarnings implements Cloud {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialFileWarnings.class);

    private final Cloud delegate;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    CredentialFileWarnings(Cloud delegate) {
        this.delegate = delegate;
    }

    @Override
    public CloudAccount account(AccountRef ref) {
        String file = ref.credentialFile();
        if (file != null && !warned.contains(file) && readableByOthers(file) && warned.add(file)) {
            LOG.warn("credential file {} can be read by other users; make it readable by its owner only"
                    + " (chmod 600)", file);
        }
        return delegate.account(ref);
    }

    static boolean readableByOthers(String file) {
        try {
            return CredentialFiles.readableByOthers(Path.of(file));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    @Override
    public CloudStatistics statistics() {
        return delegate.statistics();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
