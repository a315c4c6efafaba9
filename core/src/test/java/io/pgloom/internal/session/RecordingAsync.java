package io.pgloom.internal.session;

import io.pgloom.internal.wire.NoticeResponse;
import io.pgloom.internal.wire.NotificationResponse;
import io.pgloom.internal.wire.ParameterStatus;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects the asynchronous messages a session hands over, for assertions. */
final class RecordingAsync implements AsyncMessages {

    final List<NoticeResponse> notices = new CopyOnWriteArrayList<>();
    final List<NotificationResponse> notifications = new CopyOnWriteArrayList<>();
    final List<ParameterStatus> parameterStatuses = new CopyOnWriteArrayList<>();

    @Override
    public void notice(NoticeResponse notice) {
        notices.add(notice);
    }

    @Override
    public void notification(NotificationResponse notification) {
        notifications.add(notification);
    }

    @Override
    public void parameterStatus(ParameterStatus status) {
        parameterStatuses.add(status);
    }
}
