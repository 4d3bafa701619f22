package dev.drover.libsql.replica;

import java.nio.file.Path;

/**
 * Child-JVM program for the crash tests: runs one sync of a replica and halts the JVM with exit code 137 (no shutdown
 * hook, no finally block runs, as after SIGKILL) right after the given stage. Prints {@code STAGE <name>} for every
 * stage reached and {@code DONE <mode>} if the sync completes.
 * <p>
 * Arguments: live file, primary URL, stage to halt after (a {@link ReplicaSync.Stage} name).
 */
final class CrashingSync {
    private CrashingSync() {
    }

    public static void main(String[] args) {
        Path live = Path.of(args[0]);
        ReplicaSync.Stage haltAfter = ReplicaSync.Stage.valueOf(args[2]);
        ReplicaSync sync = new ReplicaSync(live, args[1], null, stage -> {
            System.out.println("STAGE " + stage);
            System.out.flush();
            if (stage == haltAfter) Runtime.getRuntime().halt(137);
        });
        ReplicaSync.Result result = sync.sync();
        System.out.println("DONE " + result.mode());
        System.out.flush();
        sync.close();
        System.exit(0);
    }
}
