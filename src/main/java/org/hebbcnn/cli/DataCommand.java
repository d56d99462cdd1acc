package org.hebbcnn.cli;

import picocli.CommandLine.Command;

@Command(name = "data", mixinStandardHelpOptions = true, description = "TODO")
public final class DataCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
