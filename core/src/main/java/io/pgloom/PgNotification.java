package io.pgloom;

/**
 * A NOTIFY received on a channel this connection listens to.
 *
 * @param processId the process ID of the backend that sent it
 * @param channel the channel's name
 * @param payload the payload, empty when none was given
 */
public record PgNotification(int processId, String channel, String payload) {
}
