package org.hebbcnn.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import org.hebbcnn.util.InputError;
import org.hebbcnn.util.Progress;

/** Plain HTTPS download of an official archive, failing fast (one line) when the network is unreachable. */
final class Downloader {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    private Downloader() {}

    /**
     * @param offlineHint what to do instead, appended to the error when the server cannot be reached
     */
    static void download(URI uri, Path target, String offlineHint, boolean progress) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new InputError("cannot download " + uri + " (" + describe(e) + "). " + offlineHint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InputError("download of " + uri + " interrupted");
        }
        if (response.statusCode() != 200) {
            throw new InputError("cannot download " + uri + " (HTTP " + response.statusCode() + "). " + offlineHint);
        }
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        ProgressBar bar = progress ? Progress.bar("download " + target.getFileName(), length, " MB", 1 << 20) : null;
        try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[1 << 16];
            for (int r; (r = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, r);
                if (bar != null) {
                    bar.stepBy(r);
                }
            }
        } catch (IOException e) {
            throw new InputError("download of " + uri + " broke off (" + describe(e) + "). " + offlineHint, e);
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
