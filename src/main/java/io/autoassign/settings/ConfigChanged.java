package io.autoassign.settings;

/**
 * Published inside the transaction that created a company or changed its configuration.
 *
 * @param created whether the company was created by this transaction (before is then the defaults)
 */
public record ConfigChanged(String companyId, AutoAssignConfig before, AutoAssignConfig after, boolean created) {
}
