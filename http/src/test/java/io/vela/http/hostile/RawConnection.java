package io.vela.http.hostile;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A raw HTTP/1.x test client on a plain {@link Socket} to 127.0.0.1: writes exact bytes (all at once, or in pieces
 * with pauses, as a slow client does) and parses the responses itself, so that it can send what no real client
 * would and tell a response from a close. Every read has a deadline; nothing here waits without one.
 *
 * <p>One thread at a time, except that {@link #write} may run on a writer thread while the test thread reads (as
 * the oversize-body cases do). Allocates a small buffer per read; test code only.
 */
final class RawConnection implements AutoCloseable {
    /** How long a connect may take. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int limit;
    private boolean eof;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * @param port the server's port on 127.0.0.1
     * @return an open connection
     * @throws IOException when the connect fails or times out
     */
    static RawConnection open(int port) throws IOException {
        return open(port, 0);
    }

    /**
     * @param port          the server's port on 127.0.0.1
     * @param receiveBuffer the socket's receive buffer in bytes (small: the kernel holds little of an answer the
     *                      client does not read), or 0 for the system's default
     * @return an open connection
     * @throws IOException when the connect fails or times out
     */
    static RawConnection open(int port, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        try {
            if (receiveBuffer > 0) {
                s.setReceiveBufferSize(receiveBuffer); // before the connect: it sets the window the client offers
            }
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) CONNECT_TIMEOUT.toMillis());
            return new RawConnection(s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Writes the text as ISO-8859-1 bytes (one byte per char, so any octet can be expressed).
     *
     * @param text the bytes to send
     * @throws IOException when the server has closed or reset the connection
     */
    void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * @param bytes the bytes to send, in one write
     * @throws IOException when the server has closed or reset the connection
     */
    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Writes the bytes in pieces with a pause after each, as a slow client (or a slowloris) does.
     *
     * @param bytes the bytes
     * @param piece bytes per write
     * @param pause pause after each write
     * @throws IOException when the server closes or resets the connection meanwhile
     */
    void writeSlowly(byte[] bytes, int piece, Duration pause) throws IOException {
        for (int off = 0; off < bytes.length; off += piece) {
            out.write(bytes, off, Math.min(piece, bytes.length - off));
            out.flush();
            sleep(pause);
        }
    }

    /** Half-closes: the server sees the end of the request stream, the client may still read. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /**
     * Reads one response (interim or final).
     *
     * @param timeout how long the whole response may take
     * @return the response, or empty when the server closed (or reset) before sending a byte of one
     * @throws IOException            when the response is cut off part-way or cannot be parsed
     * @throws SocketTimeoutException when the server neither answers nor closes in time
     */
    Optional<RawResponse> readResponse(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!fill(deadline)) {
                return Optional.empty();
            }
        } catch (SocketException reset) {
            return Optional.empty();
        }
        String statusLine = readLine(deadline);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not a status line: " + printable(statusLine));
        }
        int status = Integer.parseInt(parts[1]);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String line = readLine(deadline); !line.isEmpty(); line = readLine(deadline)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("bad response header: " + printable(line));
            }
            headers.add(new AbstractMap.SimpleImmutableEntry<>(line.substring(0, colon).trim(),
                    line.substring(colon + 1).trim()));
        }
        RawResponse head = new RawResponse(parts[0], status, parts.length > 2 ? parts[2] : "", headers,
                new byte[0]);
        return Optional.of(new RawResponse(head.version(), status, head.reason(), headers, readBody(head, deadline)));
    }

    /**
     * Reads responses until a final (non-1xx) one.
     *
     * @param timeout how long it may take in all
     * @return the final response, or empty when the server closed first
     * @throws IOException as {@link #readResponse}
     */
    Optional<RawResponse> readFinalResponse(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<RawResponse> r = readResponse(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (r.isEmpty() || !r.get().interim()) {
                return r;
            }
        }
    }

    /**
     * Reads whatever bytes come next, at most {@code into.length} (head and body alike, unparsed), taking from the
     * socket no more than that: a client reading an answer slowly.
     *
     * @param into    where the bytes go
     * @param timeout how long to wait for the first byte
     * @return the number of bytes read, or -1 when the server has ended the stream (EOF or reset)
     * @throws SocketTimeoutException when nothing arrives in time
     */
    int read(byte[] into, Duration timeout) throws IOException {
        if (pos < limit) {
            int n = Math.min(into.length, limit - pos);
            System.arraycopy(buf, pos, into, 0, n);
            pos += n;
            return n;
        }
        if (eof) {
            return -1;
        }
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        try {
            int n = in.read(into);
            if (n < 0) {
                eof = true;
            }
            return n;
        } catch (SocketException reset) { // a timeout is not one: it goes to the caller
            eof = true;
            return -1;
        }
    }

    /**
     * Waits for the server to close the connection, discarding whatever it still sends.
     *
     * @param timeout how long to wait
     * @return true when the stream ended (EOF or reset) in time, false when it is still open at the deadline
     */
    boolean closedWithin(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                pos = limit;
                if (!fill(deadline)) {
                    return true;
                }
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** @return whether the server has ended the stream (seen by a read so far) */
    boolean sawEof() {
        return eof;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket: nothing to do
        }
    }

    private byte[] readBody(RawResponse head, long deadline) throws IOException {
        int s = head.status();
        if (head.interim() || s == 204 || s == 304) {
            return new byte[0];
        }
        Optional<String> te = head.header("Transfer-Encoding");
        if (te.isPresent() && te.get().toLowerCase(Locale.ROOT).contains("chunked")) {
            return readChunked(deadline);
        }
        Optional<String> cl = head.header("Content-Length");
        if (cl.isPresent()) {
            return readExactly(Integer.parseInt(cl.get().trim()), deadline);
        }
        return readToEof(deadline);
    }

    private byte[] readChunked(long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(deadline);
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                while (!readLine(deadline).isEmpty()) {
                    // trailers: ignored
                }
                return body.toByteArray();
            }
            body.writeBytes(readExactly(size, deadline));
            if (!readLine(deadline).isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
        }
    }

    private byte[] readExactly(int n, long deadline) throws IOException {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) next(deadline);
        }
        return b;
    }

    private byte[] readToEof(long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            while (fill(deadline)) {
                body.write(buf, pos, limit - pos);
                pos = limit;
            }
        } catch (SocketException reset) {
            eof = true;
        }
        return body.toByteArray();
    }

    private String readLine(long deadline) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = next(deadline);
            if (c == '\n') {
                int len = line.length();
                if (len > 0 && line.charAt(len - 1) == '\r') {
                    line.setLength(len - 1);
                }
                return line.toString();
            }
            line.append((char) c);
        }
    }

    private int next(long deadline) throws IOException {
        if (!fill(deadline)) {
            throw new EOFException("connection closed in the middle of a response");
        }
        return buf[pos++] & 0xff;
    }

    /** @return false at end of stream; true when at least one byte is buffered */
    private boolean fill(long deadline) throws IOException {
        if (pos < limit) {
            return true;
        }
        if (eof) {
            return false;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
        int n = in.read(buf);
        if (n < 0) {
            eof = true;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return b.toString();
    }

    private static void sleep(Duration pause) throws IOException {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing slowly", e);
        }
    }
}
