package io.pgloom.internal.session;

/**
 * Where a session is in the protocol. Exactly one state at a time; anything that leaves the
 * stream in an unknown place moves it to {@link #BROKEN}, after which nothing is sent again.
 */
public enum SessionState {
    /** Connected, authenticating, or waiting for the first ReadyForQuery. */
    STARTING,
    /** Waiting for a request: the last message read was ReadyForQuery. */
    READY,
    /** A request was written and its replies are being read. */
    BUSY,
    /** The stream is in an unknown state (I/O error, protocol violation, interrupt): closed for good. */
    BROKEN,
    /** Closed on purpose. */
    CLOSED
}
