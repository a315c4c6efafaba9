package io.pgloom.internal.session;

import io.pgloom.internal.wire.NoticeResponse;
import io.pgloom.internal.wire.NotificationResponse;
import io.pgloom.internal.wire.ParameterStatus;

/**
 * Where the messages the server may send at any moment go: notices, notifications and
 * parameter changes. The session hands each to one of these methods before looking at anything
 * else, so no query loop needs to know about them.
 */
public interface AsyncMessages {

    void notice(NoticeResponse notice);

    void notification(NotificationResponse notification);

    void parameterStatus(ParameterStatus status);
}
