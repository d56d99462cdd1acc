package org.hebbcnn.util;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

/**
 * A process for {@link NodeLockTest}: locks a folder the way a training does, "trains" it unless it
 * is done (appends a line to {@code trained.txt}, sleeps, writes {@code done}), and releases it.
 * Arguments: folder, seconds to hold, wait|skip|fail. Exit 0 trained or done earlier, 3 skipped.
 */
public final class LockHolder {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        NodeLock.Options o = new NodeLock.Options(NodeLock.IfLocked.parse(args[2]), Duration.ofHours(24),
                Duration.ofMillis(100));
        Optional<NodeLock> lock = NodeLock.acquire(dir, o, line -> System.out.println(line));
        if (lock.isEmpty()) {
            System.exit(3);
        }
        try (NodeLock l = lock.get()) {
            if (Files.exists(dir.resolve("done"))) {
                System.out.println("done earlier");
                return;
            }
            System.out.println("locked");
            Files.writeString(dir.resolve("trained.txt"), ProcessHandle.current().pid() + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Thread.sleep((long) (Double.parseDouble(args[1]) * 1000));
            Files.writeString(dir.resolve("done"), "");
            System.out.println("trained");
        }
    }
}
