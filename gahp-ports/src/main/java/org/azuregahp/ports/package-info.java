/**
 * The contract between the GAHP engine and a cloud: capability ports ({@link org.azuregahp.ports.Cloud},
 * {@link org.azuregahp.ports.CloudAccount}, {@link org.azuregahp.ports.VirtualMachines},
 * {@link org.azuregahp.ports.ScaleSets}, {@link org.azuregahp.ports.SecretVaults},
 * {@link org.azuregahp.ports.DeletionSchedules}) and the immutable values they carry.
 *
 * <p>Operations that reach the network return {@link java.util.concurrent.CompletionStage}s that
 * fail with {@link org.azuregahp.ports.CloudException}. Nothing here knows of GAHP or of any SDK.
 */
package org.azuregahp.ports;
