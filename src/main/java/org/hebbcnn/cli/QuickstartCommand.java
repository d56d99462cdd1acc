package org.hebbcnn.cli;

import picocli.CommandLine.Command;

@Command(name = "quickstart", mixinStandardHelpOptions = true, description = "TODO")
public final class QuickstartCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
