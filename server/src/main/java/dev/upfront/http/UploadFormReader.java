package dev.upfront.http;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.upload.FileIntake;
import dev.upfront.upload.FileIntakes;
import dev.upfront.upload.PendingUploads;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.InputStreamContentSource;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.ExceptionUtil;
import org.eclipse.jetty.util.IO;

/**
 * Reads a multipart/form-data upload in one pass with Jetty's streaming parser. Text fields are collected (each
 * at most {@value #MAX_FIELD_BYTES} bytes, {@value #MAX_FORM_TEXT_BYTES} bytes together, at most {@value #MAX_PARTS}
 * parts, and at most {@value #MAX_TEXT_IN_FLIGHT} bytes held by all the forms being read at once); the {@code file} part streams
 * straight into a {@link FileIntake}, decoded on the way when it is base64 or a data: URI, or is kept as a URL
 * to fetch later. Field order does not matter. Any violation stops reading at once.
 *
 * <p>When the file part begins, the fields read so far go to a {@link BeforeFile} check: credentials sent before the
 * file are verified then, so a refused request stages nothing, and the file of a request still unauthenticated is
 * staged against the budget of {@link PendingUploads}.
 */
final class UploadFormReader {
    static final int MAX_PARTS = 100;
    static final int MAX_FIELD_BYTES = 64 * 1024;
    static final int MAX_FORM_TEXT_BYTES = 256 * 1024;
    /**
     * Text held by every form being read at once. A form is read at its client's pace, before anyone knows whether it
     * is authenticated: without this, slow clients each holding a form's worth of fields could fill the heap.
     */
    static final long MAX_TEXT_IN_FLIGHT = 16L * 1024 * 1024;
    static final int MAX_URL_BYTES = 8 * 1024;
    private static final int MAX_PART_HEADERS = 8 * 1024;

    /** A bad body. Carries the fields read before the problem, so a token among them can still be burned. */
    static final class FormException extends Exception {
        private final ApiException error;
        private final Map<String, String> fieldsSoFar;

        FormException(ApiException error, Map<String, String> fieldsSoFar) {
            super(error.getMessage(), null, false, false);
            this.error = error;
            this.fieldsSoFar = Map.copyOf(fieldsSoFar);
        }

        ApiException error() {
            return error;
        }

        Map<String, String> fieldsSoFar() {
            return fieldsSoFar;
        }
    }

    /** What is decided about a request when its file part begins. */
    @FunctionalInterface
    interface BeforeFile {
        /**
         * @param fieldsSoFar the text fields sent before the file
         * @return true when the request is authenticated; false when that is decided after the body
         * @throws ApiException to refuse the request at once
         */
        boolean authenticated(Map<String, String> fieldsSoFar);
    }

    private final FileIntakes intakes;
    private final AtomicLong textInFlight = new AtomicLong();

    UploadFormReader(FileIntakes intakes) {
        this.intakes = intakes;
    }

    /** The boundary of a multipart/form-data Content-Type, or null when the request is not one. */
    static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return null;
        }
        String boundary;
        try {
            boundary = MultiPart.extractBoundary(contentType);
        } catch (IllegalArgumentException e) {
            return null; // e.g. boundary="abc with an unterminated quote
        }
        return boundary == null || boundary.isEmpty() || boundary.length() > 200 ? null : boundary;
    }

    /** The largest body an upload may have: base64 inflates by 4/3, plus room for fields. */
    long maxBody() {
        return intakes.limits().beforeDetection() / 3 * 4 + 16L * 1024 * 1024;
    }

    UploadForm read(Exchange ex, BeforeFile beforeFile) throws FormException {
        BodyPace.PacedBody paced = ex.pacedBody();
        // Jetty ends a body at its declared length, so the file's bytes are fewer.
        return read(ex.header("Content-Type"), paced != null ? paced.chunks() : ex.request(), ex.request().getLength(),
                beforeFile);
    }

    /** Reads the multipart body {@code in} of Content-Type {@code contentType}. */
    UploadForm read(String contentType, InputStream in, BeforeFile beforeFile) throws FormException {
        return read(contentType, new InputStreamContentSource(in), beforeFile);
    }

    /**
     * Reads the multipart body {@code body} of Content-Type {@code contentType}, blocking for each chunk. The parser
     * is fed the source's own chunks (for a request, the connection's buffers): the bytes of a file are copied once,
     * from those buffers into the file's intake.
     */
    UploadForm read(String contentType, Content.Source body, BeforeFile beforeFile) throws FormException {
        return read(contentType, body, -1, beforeFile);
    }

    /** As {@link #read(String, Content.Source, BeforeFile)}, for a body of at most {@code length} bytes (-1: unknown). */
    private UploadForm read(String contentType, Content.Source body, long length, BeforeFile beforeFile)
            throws FormException {
        UploadForm form = new UploadForm();
        String boundary = boundary(contentType);
        if (boundary == null) {
            throw new FormException(new ApiException(ErrorCode.NOT_MULTIPART), Map.of());
        }
        FormListener listener = new FormListener(form, beforeFile, length);
        try {
            return read(body, form, listener, new MultiPart.Parser(boundary, listener));
        } finally {
            textInFlight.addAndGet(-listener.textHeld); // read: what the form holds now waits on no client
        }
    }

    private UploadForm read(Content.Source body, UploadForm form, FormListener listener, MultiPart.Parser parser)
            throws FormException {
        parser.setPartHeadersMaxLength(MAX_PART_HEADERS);
        // Anything beyond the largest file plus room for fields is not an upload.
        long maxBody = maxBody();
        long total = 0;
        try {
            while (listener.failure == null) {
                Content.Chunk chunk = next(body);
                try {
                    total += chunk.remaining();
                    if (total > maxBody) {
                        listener.fail(new ApiException(ErrorCode.FILE_TOO_LARGE));
                        break;
                    }
                    // The listener uses each part's bytes before this returns (it copies or writes them): nothing
                    // keeps a slice of the chunk, which goes back to Jetty's pool here.
                    parser.parse(chunk);
                    if (chunk.isLast()) {
                        break;
                    }
                } finally {
                    chunk.release();
                }
            }
        } catch (BodyPace.TooSlowException e) {
            listener.fail(e.error());
        } catch (IOException e) {
            // Nothing arriving for the connection's idle timeout is a stalled client, not a malformed body.
            boolean stalled = ExceptionUtil.hasAssociated(e, TimeoutException.class);
            listener.fail(stalled ? new ApiException(ErrorCode.UPLOAD_TOO_SLOW, "nothing arrived for too long")
                    : new ApiException(ErrorCode.MALFORMED_MULTIPART, "the body ended early"));
        }
        if (listener.internal != null) {
            listener.abortPart();
            form.close();
            if (listener.internal instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) listener.internal;
        }
        if (listener.failure == null && !listener.complete) {
            listener.fail(new ApiException(ErrorCode.MALFORMED_MULTIPART, "the body ended before its closing boundary"));
        }
        if (listener.failure != null) {
            listener.abortPart();
            form.close();
            throw new FormException(listener.failure, form.fields());
        }
        return form;
    }


    /**
     * The next chunk of {@code body}, waiting for one (the request runs on a virtual thread); a failure is thrown.
     * The caller releases the chunk.
     */
    private static Content.Chunk next(Content.Source body) throws IOException {
        while (true) {
            Content.Chunk chunk = body.read();
            if (chunk != null) {
                if (Content.Chunk.isFailure(chunk)) {
                    throw IO.rethrow(chunk.getFailure());
                }
                return chunk;
            }
            try (Blocker.Runnable demanded = Blocker.runnable()) {
                body.demand(demanded);
                demanded.block();
            }
        }
    }

    /** Receives the bytes of one part. */
    private interface PartSink {
        void accept(ByteBuffer bytes) throws IOException;

        void finish() throws IOException;

        default void abort() {}
    }

    private final class FormListener extends MultiPart.AbstractPartsListener {
        private final UploadForm form;
        private final BeforeFile beforeFile;
        private boolean authenticated;
        private final Set<String> seen = new HashSet<>();
        private PartSink sink;
        private String partContentType;
        private int parts;
        private ApiException failure;
        private Throwable internal; // a RuntimeException or an Error
        private boolean complete;
        /** Bytes of text fields this form holds, counted in {@link #textInFlight}. */
        private long textHeld;

        /** The body's declared length (-1: unknown): no file in it is larger. */
        private final long bodyLength;

        FormListener(UploadForm form, BeforeFile beforeFile, long bodyLength) {
            this.form = form;
            this.beforeFile = beforeFile;
            this.bodyLength = bodyLength;
        }

        /** Opens the file's intake: one counted against the pending budget while the request is unauthenticated. */
        private FileIntake openIntake() throws IOException {
            if (authenticated) {
                return intakes.open(bodyLength);
            }
            PendingUploads.Claim claim = intakes.pending().claim();
            form.pending(claim);
            return intakes.openPending(claim);
        }

        /** Counts {@code bytes} more of text against this form's bound and the server-wide one, before they are kept. */
        private void holdText(int bytes) {
            if (textHeld + bytes > MAX_FORM_TEXT_BYTES) {
                throw new ApiException(ErrorCode.FIELDS_TOO_LARGE, MAX_FORM_TEXT_BYTES);
            }
            if (textInFlight.addAndGet(bytes) > MAX_TEXT_IN_FLIGHT) {
                textInFlight.addAndGet(-bytes);
                throw new ApiException(ErrorCode.UPLOADS_BUSY);
            }
            textHeld += bytes;
        }

        void fail(ApiException e) {
            if (failure == null && internal == null) {
                failure = e;
            }
        }

        void abortPart() {
            if (sink != null) {
                sink.abort();
                sink = null;
            }
        }

        private boolean stopped() {
            return failure != null || internal != null;
        }

        /**
         * The parser swallows whatever a listener throws (Errors too) and goes on parsing, so every callback records
         * its failure instead of throwing. A swallowed Error in a file chunk would silently drop those bytes while
         * they were already counted and hashed: a 200 for a file with a hole in it.
         */
        private void guard(IoAction action) {
            if (stopped()) {
                return;
            }
            try {
                action.run();
            } catch (ApiException e) {
                fail(e);
            } catch (IOException e) {
                internal = new UncheckedIOException("cannot stage upload", e);
            } catch (RuntimeException | Error e) {
                internal = e;
            }
        }

        @Override
        public void onPartBegin() {
            partContentType = null;
            guard(() -> {
                if (++parts > MAX_PARTS) {
                    throw new ApiException(ErrorCode.TOO_MANY_FIELDS, MAX_PARTS);
                }
            });
        }

        @Override
        public void onPartHeader(String name, String value) {
            super.onPartHeader(name, value);
            if ("content-type".equalsIgnoreCase(name)) {
                partContentType = value;
            }
        }

        @Override
        public void onPartHeaders() {
            guard(() -> {
                String name = getName();
                if (name == null || name.isEmpty()) {
                    throw new ApiException(ErrorCode.MALFORMED_MULTIPART, "a part has no name");
                }
                if (name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
                    throw new ApiException(ErrorCode.MALFORMED_MULTIPART, "a part has an invalid name");
                }
                if (!seen.add(name)) {
                    throw new ApiException(ErrorCode.DUPLICATE_FIELD, name);
                }
                if (!name.equals("file")) {
                    sink = new TextSink(name);
                    return;
                }
                authenticated = beforeFile.authenticated(form.fields());
                if (getFileName() != null || (partContentType != null
                        && !partContentType.toLowerCase(Locale.ROOT).startsWith("text/plain"))) {
                    sink = new BinaryFileSink(openIntake());
                } else {
                    sink = new TextFileSink();
                }
            });
        }

        @Override
        public void onPartContent(Content.Chunk chunk) {
            guard(() -> {
                if (sink != null && chunk.hasRemaining()) {
                    sink.accept(chunk.getByteBuffer());
                }
            });
        }

        @Override
        public void onPart(String name, String fileName, HttpFields headers) {
            guard(() -> {
                // The sink is let go only once it has finished: when finishing fails, read() still aborts it, which
                // discards a file that finish() itself had only just staged (a short base64 body that is not base64).
                if (sink != null) {
                    sink.finish();
                    sink = null;
                }
            });
        }

        @Override
        public void onComplete() {
            complete = true;
        }

        @Override
        public void onFailure(Throwable cause) {
            if (cause instanceof EOFException) {
                fail(new ApiException(ErrorCode.MALFORMED_MULTIPART, "the body ended before its closing boundary"));
                return;
            }
            String reason = cause.getMessage() == null ? "unreadable" : cause.getMessage().replaceAll("[^\\x20-\\x7e]", "?");
            fail(new ApiException(ErrorCode.MALFORMED_MULTIPART, reason.length() > 100 ? reason.substring(0, 100) : reason));
        }

        /** Ends a file part: {@code last} flushes what is pending, then the non-empty file is handed to the form. */
        private void stage(FileIntake intake, IoAction last) throws IOException {
            try {
                last.run();
                if (intake.size() == 0) {
                    throw new ApiException(ErrorCode.INVALID_FILE, "The file is empty.");
                }
                form.stagedFile(intake.finish());
            } catch (ApiException | IOException e) {
                intake.close();
                throw e;
            }
        }

        private final class TextSink implements PartSink {
            private final String name;
            private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

            TextSink(String name) {
                this.name = name;
            }

            @Override
            public void accept(ByteBuffer chunk) {
                if (bytes.size() + chunk.remaining() > MAX_FIELD_BYTES) {
                    throw new ApiException(ErrorCode.FIELD_TOO_LARGE, name);
                }
                holdText(chunk.remaining());
                byte[] copy = new byte[chunk.remaining()];
                chunk.get(copy);
                bytes.writeBytes(copy);
            }

            @Override
            public void finish() {
                form.putField(name, utf8(name, bytes.toByteArray()));
            }
        }

        private final class BinaryFileSink implements PartSink {
            private final FileIntake intake;

            BinaryFileSink(FileIntake intake) {
                this.intake = intake;
            }

            @Override
            public void accept(ByteBuffer bytes) throws IOException {
                intake.write(bytes);
            }

            @Override
            public void finish() throws IOException {
                stage(intake, () -> { });
            }

            @Override
            public void abort() {
                intake.close();
            }
        }

        /** A {@code file} text field: an http(s) URL, a base64 data: URI, or plain base64, told apart by its start. */
        private final class TextFileSink implements PartSink {
            private final ByteArrayOutputStream start = new ByteArrayOutputStream();
            private FileIntake intake;
            private Base64Decoder decoder;
            private boolean url;
            private boolean dataHeader;

            @Override
            public void accept(ByteBuffer bytes) throws IOException {
                while (bytes.hasRemaining()) {
                    if (decoder != null) {
                        decoder.accept(bytes);
                        return;
                    }
                    byte b = bytes.get();
                    start.write(b);
                    if (url) {
                        if (start.size() > MAX_URL_BYTES) {
                            throw new ApiException(ErrorCode.FIELD_TOO_LARGE, "file");
                        }
                    } else if (dataHeader) {
                        if (b == ',') {
                            String header = start.toString(StandardCharsets.US_ASCII);
                            if (!header.toLowerCase(Locale.ROOT).endsWith(";base64,")) {
                                throw new ApiException(ErrorCode.INVALID_FILE, "Only base64 data: URIs are accepted.");
                            }
                            startBase64(new byte[0]);
                        } else if (start.size() > 512) {
                            throw new ApiException(ErrorCode.INVALID_FILE, "The data: URI header is too long.");
                        }
                    } else if (start.size() == 8) {
                        classify();
                    }
                }
            }

            private void classify() throws IOException {
                String head = start.toString(StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
                if (head.startsWith("http://") || head.startsWith("https://")) {
                    url = true;
                } else if (head.startsWith("data:")) {
                    dataHeader = true;
                    int comma = head.indexOf(',');
                    if (comma >= 0) {
                        // the whole header arrived within the first bytes
                        byte[] all = start.toByteArray();
                        start.reset();
                        start.write(all, 0, comma + 1);
                        String header = start.toString(StandardCharsets.US_ASCII);
                        if (!header.toLowerCase(Locale.ROOT).endsWith(";base64,")) {
                            throw new ApiException(ErrorCode.INVALID_FILE, "Only base64 data: URIs are accepted.");
                        }
                        startBase64(Arrays.copyOfRange(all, comma + 1, all.length));
                    }
                } else {
                    startBase64(start.toByteArray());
                }
            }

            private void startBase64(byte[] already) throws IOException {
                intake = openIntake();
                decoder = new Base64Decoder(intake);
                decoder.accept(ByteBuffer.wrap(already));
            }

            @Override
            public void finish() throws IOException {
                if (decoder == null && !url && !dataHeader) {
                    if (start.size() == 0) {
                        throw new ApiException(ErrorCode.MISSING_FILE);
                    }
                    classify();
                }
                if (url) {
                    form.fileUrl(start.toString(StandardCharsets.UTF_8).strip());
                    return;
                }
                if (decoder == null) {
                    throw new ApiException(ErrorCode.INVALID_FILE, "The data: URI has no data.");
                }
                stage(intake, decoder::finish);
            }

            @Override
            public void abort() {
                if (intake != null) {
                    intake.close();
                }
            }
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    private static String utf8(String field, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, field, "It is not valid UTF-8.");
        }
    }
}
