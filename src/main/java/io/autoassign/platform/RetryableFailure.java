package io.autoassign.platform;

/**
 * Marks an exception after which the whole transaction may simply run again, e.g. because routing
 * state was missing and has been rebuilt once the transaction rolled back.
 */
public interface RetryableFailure {

}
