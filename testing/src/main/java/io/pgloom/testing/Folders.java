package io.pgloom.testing;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/** The few folder operations the JDK lacks: recursive copy and delete, and an atomic publish. */
final class Folders {

    private Folders() {
    }

    /**
     * Copies a folder tree with its permissions, giving every copy to the server's user when the
     * JVM is root (PostgreSQL insists that its data folder belongs to the user it runs as).
     */
    static void copyTree(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path copy = target.resolve(source.relativize(dir).toString());
                Files.copy(dir, copy, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                Platform.giveToServerUser(copy);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path copy = target.resolve(source.relativize(file).toString());
                Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                Platform.giveToServerUser(copy);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Renames a finished folder into place in one step, so that readers see all of it or none.
     * When another process got there first, its copy stays and ours is left for the caller to
     * delete: Linux reports that as "Directory not empty", not always as the JDK's own exception
     * for it.
     */
    static void publish(Path finished, Path target) throws IOException {
        try {
            Files.move(finished, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isDirectory(target)) {
                throw e;
            }
            System.getLogger(Folders.class.getName()).log(System.Logger.Level.DEBUG,
                    "another process made " + target + " first");
        }
    }

    /** Deletes a folder tree (or a file); a null or missing path is fine. Never throws. */
    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    // a file the server removed while we walked (a temporary one) is fine
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException gone) {
            // deleted meanwhile: that is what we wanted
        } catch (IOException e) {
            System.getLogger(Folders.class.getName()).log(System.Logger.Level.WARNING,
                    "could not delete " + root + ": " + e);
        }
    }
}
