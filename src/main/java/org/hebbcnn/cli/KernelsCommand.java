package org.hebbcnn.cli;

import picocli.CommandLine.Command;

@Command(name = "kernels", mixinStandardHelpOptions = true, description = "TODO")
public final class KernelsCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
