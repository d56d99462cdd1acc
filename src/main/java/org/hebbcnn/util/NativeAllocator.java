package org.hebbcnn.util;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The glibc malloc settings every hebbcnn process should start with (the launcher, the tests and
 * the Slurm jobs set them; a JVM cannot set them for itself, malloc reads them at start-up).
 *
 * <p>Why: PyTorch's CPU allocator calls malloc for every new tensor and free when it is closed. By
 * default glibc serves blocks above 128 KiB-32 MiB with fresh mmap pages and hands them back to the
 * kernel on free, so every temporary of a Hebbian update (a 4 MiB softmax, a 21 MiB weight-sized
 * dW) is page-faulted and zeroed anew on each batch: measured on this 2-core machine, a SoftHebb
 * layer-1 step took 50 ms with the defaults and 13 ms with these settings, the same arithmetic.
 * Keeping freed blocks in the heap (a high mmap threshold, no trimming) makes the next batch reuse
 * them. The process keeps its high-water mark of native memory instead of returning it. The
 * arithmetic is the same: the try-out network's fingerprints and the quickstart's pinned figures
 * are bit for bit those of glibc's defaults. Reused blocks do make reads of memory nothing wrote
 * show up: oneDNN's convolution reads its channel padding so, which is why every convolution goes
 * through {@code tensors.Convolution} (the miconi preset's divergence).
 */
public final class NativeAllocator {
    /**
     * Variable -> value: serve blocks up to 32 MiB (glibc's ceiling) from the heap, never trim it, and
     * ask for transparent huge pages (where the kernel's THP mode is madvise) so that larger blocks
     * fault 2 MiB at a time: layer 5's HPCA step (38 MiB temporaries) went from 154 to 79 ms.
     */
    public static final Map<String, String> SETTINGS = settings();

    private NativeAllocator() {}

    private static Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("MALLOC_MMAP_THRESHOLD_", "33554432");
        s.put("MALLOC_TRIM_THRESHOLD_", "4294967296");
        s.put("MALLOC_TOP_PAD_", "268435456");
        s.put("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1"); // blocks above 32 MiB, still mmap-ed, get huge pages
        return java.util.Collections.unmodifiableMap(s);
    }

    /** Whether this process started with the settings (benchmarks print it beside their figures). */
    public static boolean active() {
        return SETTINGS.entrySet().stream().allMatch(e -> e.getValue().equals(System.getenv(e.getKey())));
    }

    /** "tuned malloc" or "default malloc", for benchmark headers. */
    public static String describe() {
        return active() ? "tuned malloc" : "default malloc (start through ./hebbcnn for the tuned one)";
    }

    /** The settings as shell assignments, "K=V K=V", to put before a command. */
    public static String shellAssignments() {
        return SETTINGS.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }
}
