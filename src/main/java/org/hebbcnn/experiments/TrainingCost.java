package org.hebbcnn.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hebbcnn.training.CheckpointedTraining;
import org.hebbcnn.training.CheckpointedTraining.EpochRecord;
import org.hebbcnn.util.AtomicFiles;

/**
 * What the trained networks under a results folder cost, read back from their checkpoints: each
 * network's (or probe set's) kept epochs and the sum of their wall times. Built from the saved
 * histories rather than a stopwatch around the command, so a run resumed over several sessions is
 * counted once per epoch and the figures are there for whoever plans the full-scale run.
 *
 * @param entries one per trained network or probe set, in path order
 */
public record TrainingCost(List<Entry> entries) {
    public static final String COST_MD = "cost.md";
    public static final String COST_JSON = "cost.json";

    /**
     * @param path    the network's folder, relative to the scanned root
     * @param epochs  epochs kept in its newest checkpoint
     * @param seconds their wall time summed (training and validation of each epoch)
     * @param featureSeconds for probes that read a feature store, the time it took to compute the
     *                frozen network's features once (before the epochs, so not in {@code seconds}); else 0
     */
    public record Entry(String path, int epochs, double seconds, double featureSeconds) {
        public Entry(String path, int epochs, double seconds) {
            this(path, epochs, seconds, 0);
        }

        public double secondsPerEpoch() {
            return epochs == 0 ? Double.NaN : seconds / epochs;
        }

        /** Epochs and feature extraction. */
        public double totalSeconds() {
            return seconds + featureSeconds;
        }

        /** The first folder of the path ({@code bases}, {@code stages}, ...): how {@link #byGroup} sums. */
        public String group() {
            int slash = path.indexOf('/');
            return slash < 0 ? path : path.substring(0, slash);
        }
    }

    /** Every folder under {@code root} that holds a checkpoint (checkpoints themselves not entered). */
    public static TrainingCost scan(Path root) throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return new TrainingCost(out);
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(root) && CheckpointedTraining.isCheckpoint(dir)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (CheckpointedTraining.hasCheckpoint(dir)) {
                    CheckpointedTraining.State s = CheckpointedTraining.readState(dir);
                    double seconds = s.history().stream().mapToDouble(EpochRecord::seconds).sum();
                    double features = Workspace.featureExtractionSeconds(dir);
                    out.add(new Entry(root.relativize(dir).toString().replace('\\', '/'), s.epochsDone(), seconds,
                            features));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        out.sort(Comparator.comparing(Entry::path));
        return new TrainingCost(out);
    }

    public double totalSeconds() {
        return entries.stream().mapToDouble(Entry::totalSeconds).sum();
    }

    /** Seconds summed by {@link Entry#group()}, in first-seen order. */
    public Map<String, Double> byGroup() {
        Map<String, Double> g = new LinkedHashMap<>();
        entries.forEach(e -> g.merge(e.group(), e.totalSeconds(), Double::sum));
        return g;
    }

    public String toMarkdown() {
        StringBuilder m = new StringBuilder("# training cost\n\n");
        m.append("Wall time of every trained network and probe set, summed over the epochs kept in its newest ")
                .append("checkpoint (training and validation; test evaluation, data loading and epochs lost to a ")
                .append("kill are not counted), and for probes that read a feature store the time it took to compute ")
                .append("the frozen network's features once, before their epochs. Total: ").append(hours(totalSeconds())).append(".\n\n");
        m.append("| folder | seconds |\n| --- | ---: |\n");
        byGroup().forEach((g, s) -> m.append("| ").append(g).append(" | ").append(fmt(s)).append(" |\n"));
        boolean features = entries.stream().anyMatch(e -> e.featureSeconds() > 0);
        m.append("\n| network | epochs | seconds | seconds per epoch |").append(features ? " feature extraction seconds |" : "")
                .append("\n| --- | ---: | ---: | ---: |").append(features ? " ---: |" : "").append("\n");
        for (Entry e : entries) {
            m.append("| ").append(e.path()).append(" | ").append(e.epochs()).append(" | ").append(fmt(e.seconds()))
                    .append(" | ").append(fmt(e.secondsPerEpoch())).append(" |");
            if (features) {
                m.append(" ").append(e.featureSeconds() > 0 ? fmt(e.featureSeconds()) : "").append(" |");
            }
            m.append("\n");
        }
        return m.toString();
    }

    /** Writes {@value #COST_MD} and {@value #COST_JSON} into {@code dir}. */
    public void write(Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve(COST_MD), toMarkdown());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("totalSeconds", totalSeconds());
        json.put("byFolder", byGroup());
        json.put("networks", entries);
        AtomicFiles.writeString(dir.resolve(COST_JSON),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
    }

    /** "3 h 25 min" style, for people planning runs. */
    public static String hours(double seconds) {
        long min = Math.round(seconds / 60);
        return min >= 60 ? (min / 60) + " h " + (min % 60) + " min" : min + " min";
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.0f", v);
    }
}
