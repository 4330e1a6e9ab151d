/**
 * An in-memory cloud behind every port, for offline development and end-to-end tests. The only
 * public type is {@link org.azuregahp.fake.FakeCloud} (with its {@code Builder} and {@code Options});
 * everything else is package-private.
 *
 * <h2>Behaviour</h2>
 * <ul>
 *   <li>Every VM and scale set lives in a resource group of its own, named after it and tagged
 *       {@code azure-gahp-name=<name>} (the tag both clouds write, {@code CloudRules.NAME_TAG}; a state document with the earlier {@code azure-gahp:name} still loads). A VM gets a virtual network, a security group (SSH or RDP
 *       open), a NIC, a public IP from the documentation ranges 203.0.113.0/24, 198.51.100.0/24 and
 *       192.0.2.0/24, then from the benchmarking range 198.18.0.0/15 (129,265 addresses per fake
 *       cloud; beyond that a create fails with {@code PublicIPCountLimitReached}), an OS disk and its data disks. A scale set gets a
 *       network, a load balancer with a public IP and, with a secret, a user-assigned identity
 *       that is added to the vault's access policies.</li>
 *   <li>Each port call is one operation of a few steps spread over the latency: a VM create makes
 *       the group, network and public IP, then the NIC and disks, then the VM (listed as
 *       {@code ProvisioningState/creating,PowerState/starting}) at once, and finishes
 *       ({@code succeeded}, {@code running}) after the latency. Lists (sorted by name) answer the state when the
 *       request arrived, after the latency.</li>
 *   <li>Fault injection: at the start of each operation a random source decides whether it
 *       fails, at which step and with which error (InternalServerError, TooManyRequests,
 *       QuotaExceeded, AllocationFailed; the last two only for operations that need capacity). A
 *       failure part-way undoes what the operation made, so a failed create leaves nothing and a
 *       failed delete leaves everything. Each operation's random source (its fault and the ids it
 *       makes) is a function of the seed, what the operation does to which resource, and how many
 *       such operations came before; a public address starts its search at a place picked the same
 *       way. So a seed repeats every request's outcome even when concurrent requests reach the cloud
 *       in another order.</li>
 *   <li>Scale sets: Azure's {@code singlePlacementGroup=true} limits a set to 100 VMs; the fake
 *       turns it off by itself above 100 (at create or scale), so only more than 1,000 is an error.
 *       A change while another change of the same set runs fails with {@code Conflict}.</li>
 *   <li>A VM or scale set whose subnet (or public IP) another group uses cannot be deleted, with
 *       Azure's {@code InUseSubnetCannotBeDeleted} ({@code PublicIPAddressCannotBeDeleted}); a
 *       scheduled deletion of such a group does nothing.</li>
 *   <li>Vault names are unique in the whole fake cloud; {@code createVault} puts a new vault in a
 *       resource group named after it and reuses an existing vault in the same subscription and
 *       location.</li>
 *   <li>Deletion schedules need not name an existing group; when their time comes (per the
 *       builder's clock) the group is deleted if it exists.</li>
 *   <li>Futures complete on the fake's two scheduler threads (or the caller's, without latency), or,
 *       with a state file, on its saver thread once the change behind them is saved: callers must
 *       not block in their callbacks.</li>
 * </ul>
 *
 * <h2>State file</h2>
 * <pre>
 * {"version": 2, "journal": {"number": 7, "bytesIncluded": 0},
 *  "resourceGroups": [
 *  {"subscription": "...", "name": "...", "location": "westeurope",
 *      "tags": {...}, "resources": [{"type": "Microsoft.Compute/virtualMachines", "name": "...",
 *          "vmId": "...", "provisioningState": "succeeded", "powerState": "running", ...}, ...]},
 *  ...],
 *  "deletionSchedules": [{"subscription": "...", "resourceGroup": "...", "location": "...",
 *      "at": "2026-11-27T10:00:00Z"}]}
 * </pre>
 * (one resource group per line, compact). A version 1 document, with the groups nested under
 * {@code "subscriptions": [{"id": ..., "resourceGroups": [...]}]}, and a hand-written one without
 * {@code "journal"} still load. Vaults list {@code "secrets"} by name; a loaded document may give
 * {@code {"name": ..., "value": ...}} objects to seed values, which are kept in memory and never
 * written back.
 *
 * <p>Changes since the document was written are in journal files beside it
 * ({@code <file>.journal-<n>}, one JSON record per line); a start folds them in. A request's result is
 * delivered only once the changes behind it are in the journal, so they survive the process ending
 * in any way; the document is rewritten in the background and at exit when there is time. See
 * {@code StateStore}. Operations under way when the state was saved count as finished when it is
 * loaded; at close, operations under way run their remaining steps at once (or undo what they made
 * when drawn to fail), so the state saved at exit never holds half an operation.
 */
package org.azuregahp.fake;
