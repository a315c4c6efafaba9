package io.pgloom.it;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code jdk.VirtualThreadPinned} events of a recording that have pgloom code on their stack.
 * The JDK pins its own virtual threads now and then for reasons no library controls (a sub-poller
 * waiting for {@code sun.nio.ch.Poller}'s class initialization when the first socket parks); the
 * pinning tests look for pins that pgloom's code causes.
 */
public final class PinnedEvents {

    private PinnedEvents() {
    }

    /** Pinned events in {@code recording} with an {@code io.pgloom} frame. */
    public static List<RecordedEvent> inPgloom(Path recording) throws IOException {
        return RecordingFile.readAllEvents(recording).stream()
                .filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned"))
                .filter(PinnedEvents::hasPgloomFrame)
                .toList();
    }

    private static boolean hasPgloomFrame(RecordedEvent event) {
        if (event.getStackTrace() == null) {
            return true; // cannot tell: count it
        }
        for (RecordedFrame frame : event.getStackTrace().getFrames()) {
            if (frame.isJavaFrame() && frame.getMethod().getType().getName().startsWith("io.pgloom.")) {
                return true;
            }
        }
        return false;
    }
}
