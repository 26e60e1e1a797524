package dev.upfront.client;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A streamed {@code multipart/form-data} body: text fields, then the file part read from disk or a stream as the
 * HTTP client sends it, so memory does not grow with the file. Names are escaped as browsers escape them
 * ({@code "} as {@code %22}, CR and LF as {@code %0D}/{@code %0A}).
 */
final class Multipart {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String boundary;
    private final List<BodyPublisher> parts = new ArrayList<>();

    Multipart() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        this.boundary = "----UpfrontJavaSdk" + HexFormat.of().formatHex(bytes);
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    Multipart fields(Map<String, String> fields) {
        fields.forEach((name, value) -> parts.add(BodyPublishers.ofString(
                "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + escape(name) + "\"\r\n\r\n" + value + "\r\n",
                StandardCharsets.UTF_8)));
        return this;
    }

    Multipart file(String fileName, UploadRequest request) {
        parts.add(BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + escape(fileName) + "\"\r\nContent-Type: application/octet-stream\r\n\r\n", StandardCharsets.UTF_8));
        try {
            parts.add(request.path() != null ? BodyPublishers.ofFile(request.path()) : BodyPublishers.ofInputStream(request.stream()));
        } catch (FileNotFoundException e) {
            throw new UncheckedIOException(e);
        }
        parts.add(BodyPublishers.ofString("\r\n", StandardCharsets.UTF_8));
        return this;
    }

    BodyPublisher publisher(ProgressListener progress) {
        List<BodyPublisher> all = new ArrayList<>(parts);
        all.add(BodyPublishers.ofString("--" + boundary + "--\r\n", StandardCharsets.UTF_8));
        BodyPublisher body = BodyPublishers.concat(all.toArray(BodyPublisher[]::new));
        return progress == null ? body : new Counting(body, progress);
    }

    private static String escape(String name) {
        return name.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** Reports every buffer the HTTP client takes from the body. */
    private static final class Counting implements BodyPublisher {
        private final BodyPublisher delegate;
        private final ProgressListener listener;

        Counting(BodyPublisher delegate, ProgressListener listener) {
            this.delegate = delegate;
            this.listener = listener;
        }

        @Override
        public long contentLength() {
            return delegate.contentLength();
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            AtomicLong sent = new AtomicLong();
            long total = delegate.contentLength();
            delegate.subscribe(new Flow.Subscriber<ByteBuffer>() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    subscriber.onSubscribe(subscription);
                }

                @Override
                public void onNext(ByteBuffer item) {
                    int n = item.remaining();
                    subscriber.onNext(item);
                    listener.onProgress(sent.addAndGet(n), total);
                }

                @Override
                public void onError(Throwable throwable) {
                    subscriber.onError(throwable);
                }

                @Override
                public void onComplete() {
                    subscriber.onComplete();
                }
            });
        }
    }
}
