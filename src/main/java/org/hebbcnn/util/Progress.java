package org.hebbcnn.util;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressBarStyle;
import me.tongfei.progressbar.ProgressState;

/**
 * Progress of long loops on standard error, so piped standard output stays clean.
 *
 * <p>Four modes ({@code --progress}, or the environment variable {@code HEBBCNN_PROGRESS}):
 * <ul>
 *   <li>{@code bar}: progressbar's bar, redrawn in place with carriage returns (for a terminal);
 *   <li>{@code lines}: plain lines for logs (CI, nohup, Slurm): one when a stage reaches a new tenth
 *       of its work, at most one every 30 s, and one when it ends, each with rate and ETA;
 *   <li>{@code none}: nothing;
 *   <li>{@code auto} (the default): {@code bar} when standard error is a terminal, else {@code lines}.
 * </ul>
 * Every mode is a progressbar {@link ProgressBar}, so callers step it the same way; only its renderer
 * and consumer differ.
 */
public final class Progress {
    /** How progress is shown. */
    public enum Mode {
        AUTO, BAR, LINES, NONE;

        /** {@code "lines"} (any case) -> LINES; an unknown name is an {@link InputError}. */
        public static Mode parse(String name, String source) {
            for (Mode m : values()) {
                if (m.name().equalsIgnoreCase(name.trim())) {
                    return m;
                }
            }
            throw new InputError(source + ": unknown progress mode '" + name + "' (auto, bar, lines, none)");
        }
    }

    /** Environment variable read when no {@code --progress} is given. */
    public static final String ENV = "HEBBCNN_PROGRESS";
    /** Set by the launcher ({@code ./hebbcnn}) to whether its standard error is a terminal. */
    public static final String TERMINAL_PROPERTY = "hebbcnn.stderr.terminal";
    /** In lines mode, the shortest time between two lines of one stage (the last line excepted). */
    static final Duration MIN_INTERVAL = Duration.ofSeconds(30);

    private static volatile Mode mode;
    private static volatile PrintStream out; // null: System.err as it is when a bar is made

    private Progress() {}

    /** Sets the mode for every bar made from now on ({@code --progress}). */
    public static void setMode(Mode newMode) {
        mode = newMode;
    }

    /** Where progress goes (null: standard error, the default); returns the previous setting. */
    public static PrintStream setOutput(PrintStream stream) {
        PrintStream previous = out;
        out = stream;
        return previous;
    }

    /** The mode in force: {@code --progress}, else {@code HEBBCNN_PROGRESS}, else auto; auto resolved. */
    public static Mode mode() {
        Mode m = mode;
        if (m == null) {
            String env = System.getenv(ENV);
            m = env == null || env.isBlank() ? Mode.AUTO : Mode.parse(env, ENV);
        }
        if (m == Mode.AUTO) {
            m = stderrIsTerminal() ? Mode.BAR : Mode.LINES;
        }
        return m;
    }

    private static boolean stderrIsTerminal() {
        String told = System.getProperty(TERMINAL_PROPERTY);
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        // Java cannot ask about standard error alone; a console means stdin and stdout are terminals.
        return System.console() != null;
    }

    /** A bar counting {@code total} steps. */
    public static ProgressBar bar(String task, long total) {
        return bar(task, total, null, 1);
    }

    /** A bar counting {@code total} in units of {@code unitSize} named {@code unit} (e.g. " MB", 1 << 20). */
    public static ProgressBar bar(String task, long total, String unit, long unitSize) {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(total);
        PrintStream stream = out != null ? out : System.err;
        switch (mode()) {
            case LINES -> {
                Lines lines = new Lines(stream, unit == null ? 1 : unitSize, unit == null ? " it" : unit, MIN_INTERVAL);
                builder.setRenderer(lines).setConsumer(lines);
            }
            case NONE -> builder.setRenderer((state, width) -> "").setConsumer(new Silent())
                    .setUpdateIntervalMillis(60_000);
            default -> {
                builder.setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(stream)).showSpeed();
                if (unit != null) {
                    builder.setUnit(unit, unitSize);
                }
            }
        }
        return builder.build();
    }

    /** A lines-mode bar on {@code stream} with another interval and refresh rate (for tests). */
    static ProgressBar lines(String task, long total, PrintStream stream, Duration minInterval, int refreshMillis) {
        Lines lines = new Lines(stream, 1, " it", minInterval);
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setRenderer(lines).setConsumer(lines)
                .setUpdateIntervalMillis(refreshMillis).build();
    }

    /** Drops everything. */
    private static final class Silent implements ProgressBarConsumer {
        @Override
        public int getMaxRenderedLength() {
            return 0;
        }

        @Override
        public void accept(String rendered) {}

        @Override
        public void close() {}
    }

    /**
     * Lines mode: progressbar calls {@link #render} about once a second; it returns a line when one is
     * due (a new tenth reached and 30 s since the last line, or the stage over) and "" otherwise, and
     * {@link #accept} prints the non-empty ones.
     */
    static final class Lines implements ProgressBarRenderer, ProgressBarConsumer {
        private final PrintStream stream;
        private final long unitSize;
        private final String unit;
        private final Duration minInterval;
        private long lastLineNanos = System.nanoTime();
        private int lastTenth;
        private boolean finished;

        Lines(PrintStream stream, long unitSize, String unit, Duration minInterval) {
            this.stream = stream;
            this.unitSize = unitSize;
            this.unit = unit;
            this.minInterval = minInterval;
        }

        @Override
        public synchronized String render(ProgressState state, int maxLength) {
            if (finished) {
                return "";
            }
            long max = state.getMax();
            long current = state.getCurrent();
            boolean over = !state.isAlive();
            int tenth = max > 0 ? (int) Math.min(10, current * 10 / max) : 0;
            long now = System.nanoTime();
            boolean due = tenth > lastTenth && Duration.ofNanos(now - lastLineNanos).compareTo(minInterval) >= 0;
            if (!over && !due) {
                return "";
            }
            lastTenth = tenth;
            lastLineNanos = now;
            finished = over;
            return line(state, over);
        }

        private String line(ProgressState state, boolean over) {
            long current = state.getCurrent();
            long max = state.getMax();
            long done = current - state.getStart();
            Duration elapsed = state.getTotalElapsed();
            double seconds = state.getElapsedAfterStart().toMillis() / 1000.0;
            double rate = seconds > 0 ? done / (double) unitSize / seconds : 0;
            StringBuilder s = new StringBuilder(state.getTaskName()).append(':');
            if (max > 0) {
                s.append(String.format(Locale.ROOT, " %3d%% %d/%d", current * 100 / max, current / unitSize, max / unitSize));
            } else {
                s.append(' ').append(current / unitSize);
            }
            s.append(String.format(Locale.ROOT, rate < 10 ? ", %.2f%s/s, elapsed %s" : ", %.1f%s/s, elapsed %s", rate, unit,
                    clock(elapsed)));
            if (over) {
                s.append(", done");
            } else if (max > 0 && done > 0) {
                long etaMillis = (long) (state.getElapsedAfterStart().toMillis() * (double) (max - current) / done);
                s.append(", ETA ").append(clock(Duration.ofMillis(etaMillis)));
            }
            String extra = state.getExtraMessage();
            if (extra != null && !extra.isBlank()) {
                s.append(", ").append(extra.strip());
            }
            return s.toString();
        }

        private static String clock(Duration d) {
            long s = d.getSeconds();
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        }

        @Override
        public int getMaxRenderedLength() {
            return Integer.MAX_VALUE;
        }

        @Override
        public void accept(String rendered) {
            if (!rendered.isEmpty()) {
                stream.println(rendered);
                stream.flush();
            }
        }

        @Override
        public void close() {
            stream.flush();
        }
    }
}
