package org.hebbcnn.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** Runs the command line in-process, capturing what it prints (stdout and stderr together). */
public final class CliRunner {
    private CliRunner() {}

    public record Result(int code, String output) {}

    public static Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buf, true);
        System.setOut(capture);
        System.setErr(capture);
        try {
            int code = Main.execute(args);
            return new Result(code, buf.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
