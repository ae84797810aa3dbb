package io.autoassign.assignment;

/**
 * The company's routing state was rebuilt from the database. Published inside the rebuilding
 * transaction, so that a listener's work (starting a dispatch) commits with it.
 */
public record RoutingRebuilt(String companyId) {
}
