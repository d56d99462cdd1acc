package org.hebbcnn.util;

/**
 * A problem with what the user gave us (a file, a flag, a dataset name), as opposed to a bug.
 * The CLI prints its message as one line and exits with code 2; no stack trace unless --debug.
 * Messages should name the file or option and the problem, e.g. "train-images-idx3-ubyte: wrong magic number 0x00000802".
 */
public class InputError extends RuntimeException {
    public InputError(String message) {
        super(message);
    }

    public InputError(String message, Throwable cause) {
        super(message, cause);
    }
}
