package dev.upfront.app;

import ch.qos.logback.classic.LoggerContext;
import dev.upfront.config.Config;
import dev.upfront.config.ConfigException;
import dev.upfront.config.Setting;
import dev.upfront.migrate.Migration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * {@code upfront serve [--flag value ...]}: every flag is also an environment variable (see {@link Setting}).
 * {@code upfront migrate --from <data folder> [...]}: see {@link MigrateCommand}.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        List<String> rest = Arrays.asList(args);
        String command = rest.isEmpty() || rest.getFirst().startsWith("--") ? "serve" : rest.getFirst();
        if (!rest.isEmpty() && rest.getFirst().equals(command)) {
            rest = rest.subList(1, rest.size());
        }
        if (command.equals("help") || rest.contains("--help") || rest.contains("-h")) {
            printHelp();
            return;
        }
        if (command.equals("migrate")) {
            System.exit(MigrateCommand.run(rest, System.getenv(), System.out, System.err, Migration.Progress.NONE));
            return;
        }
        if (!command.equals("serve")) {
            System.err.println("upfront: unknown command '" + command + "'. Commands: serve, migrate, help.");
            System.exit(2);
        }
        Upfront upfront;
        try {
            Config config = Config.load(System.getenv(), rest);
            LogFormat.apply(config.logFormat());
            upfront = Upfront.start(config, System.out);
        } catch (ConfigException e) {
            System.err.println("upfront: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            upfront.close();
            stopLogging();
            stopped.countDown();
        }, "upfront-shutdown"));
        stopped.await();
    }

    /** Writes out what logback still holds (the access log is written by a thread of its own), then stops it. */
    private static void stopLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }

    private static void printHelp() {
        System.out.println("Usage: upfront serve [options]\n       " + MigrateCommand.USAGE.substring("Usage: ".length())
                + "\n\nOptions (each is also an environment variable):");
        for (Setting s : Setting.values()) {
            System.out.printf("  %-24s %-28s %s (default: %s)%n", s.flag(), s.variable(), s.description(),
                    s.defaultValue().isEmpty() ? "none" : s.defaultValue());
        }
    }
}
