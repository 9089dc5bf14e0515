package dev.switchboard.testkit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server on a plain {@link ServerSocket} bound to 127.0.0.1: keep-alive,
 * Content-Length or chunked request bodies, Content-Length or chunked responses, one thread per
 * connection. It gives the simulator full control over stalls, per-event timing, abrupt closes and
 * noticing that a client went away.
 */
final class SimServer implements AutoCloseable {
  private static final int MAX_LINE = 64 * 1024;
  private static final int MAX_HEADERS = 256;

  /** Answers one request. Throwing IOException closes the connection. */
  interface Handler {
    void handle(Exchange exchange) throws IOException;
  }

  private final Handler handler;
  private final long maxBodyBytes;
  private final int idleTimeoutMillis;
  private final ServerSocket serverSocket;
  private final ExecutorService executor;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  SimServer(Handler handler, long maxBodyBytes, int idleTimeoutMillis) throws IOException {
    this.handler = handler;
    this.maxBodyBytes = maxBodyBytes;
    this.idleTimeoutMillis = idleTimeoutMillis;
    this.serverSocket = new ServerSocket();
    serverSocket.setReuseAddress(true);
    serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    AtomicInteger n = new AtomicInteger();
    int port = serverSocket.getLocalPort();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "switchboard-sim-" + port + "-conn-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.acceptor = new Thread(this::acceptLoop, "switchboard-sim-" + port + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  boolean isClosed() {
    return closed;
  }

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = serverSocket.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      open.add(s);
      try {
        executor.execute(() -> serve(s));
      } catch (RuntimeException rejected) {
        closeQuietly(s);
        open.remove(s);
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      Conn conn = new Conn(socket);
      while (!closed) {
        socket.setSoTimeout(idleTimeoutMillis);
        Exchange ex;
        try {
          ex = conn.readRequest();
        } catch (SocketTimeoutException idle) {
          return;
        } catch (BadRequest bad) {
          conn.writeBadRequest(bad.getMessage());
          return;
        }
        if (ex == null) {
          return;
        }
        socket.setSoTimeout(0);
        try {
          handler.handle(ex);
        } catch (IOException e) {
          return;
        } catch (RuntimeException e) {
          if (!ex.headersSent) {
            ex.respond(500, Map.of(), Wire.json(Wire.errorBody("api_error",
                "Internal server error (simulator: " + e + ")", null, null))
                .getBytes(StandardCharsets.UTF_8), "application/json");
          }
          return;
        }
        if (ex.closeAfter || ex.aborted) {
          return;
        }
      }
    } catch (IOException ignored) {
      // The client went away or the server is closing; nothing else to do on this connection.
    } finally {
      open.remove(socket);
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(serverSocket);
    for (Socket s : open) {
      closeQuietly(s);
    }
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing anyway
    }
  }

  /** A request that cannot be parsed as HTTP. */
  static final class BadRequest extends IOException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }

  /** One connection's buffered input and output. */
  final class Conn {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    final byte[] buf = new byte[16 * 1024];
    int pos;
    int lim;

    Conn(Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    private int fill() throws IOException {
      if (pos == lim) {
        pos = 0;
        lim = 0;
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
          return -1;
        }
        lim = n;
      }
      return lim - pos;
    }

    /** Returns a line without its CRLF, or null at end of stream before any byte. */
    String readLine() throws IOException {
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (fill() < 0) {
          if (sb.length() == 0) {
            return null;
          }
          throw new BadRequest("connection closed inside a line");
        }
        while (pos < lim) {
          byte b = buf[pos++];
          if (b == '\n') {
            int len = sb.length();
            if (len > 0 && sb.charAt(len - 1) == '\r') {
              sb.setLength(len - 1);
            }
            return sb.toString();
          }
          sb.append((char) (b & 0xff));
          if (sb.length() > MAX_LINE) {
            throw new BadRequest("line longer than " + MAX_LINE + " bytes");
          }
        }
      }
    }

    /** Reads {@code n} bytes, storing them only while the total stays within the limit. */
    void readBody(long n, Body body) throws IOException {
      long left = n;
      while (left > 0) {
        if (fill() < 0) {
          throw new BadRequest("connection closed inside the body");
        }
        int take = (int) Math.min(left, lim - pos);
        body.append(buf, pos, take);
        pos += take;
        left -= take;
      }
    }

    Exchange readRequest() throws IOException {
      String line = readLine();
      while (line != null && line.isEmpty()) {
        line = readLine();
      }
      if (line == null) {
        return null;
      }
      String[] parts = line.split(" ");
      if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
        throw new BadRequest("malformed request line");
      }
      Map<String, String> headers = new LinkedHashMap<>();
      int count = 0;
      while (true) {
        String h = readLine();
        if (h == null) {
          throw new BadRequest("connection closed inside the headers");
        }
        if (h.isEmpty()) {
          break;
        }
        if (++count > MAX_HEADERS) {
          throw new BadRequest("more than " + MAX_HEADERS + " headers");
        }
        int colon = h.indexOf(':');
        if (colon <= 0) {
          throw new BadRequest("malformed header line");
        }
        String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).trim();
        headers.merge(name, value, (a, b) -> a + ", " + b);
      }
      if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      }
      Body body = new Body(maxBodyBytes);
      String te = headers.get("transfer-encoding");
      if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
        while (true) {
          String size = readLine();
          if (size == null) {
            throw new BadRequest("connection closed inside a chunked body");
          }
          int semi = size.indexOf(';');
          long len;
          try {
            len = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
          } catch (NumberFormatException e) {
            throw new BadRequest("malformed chunk size");
          }
          if (len == 0) {
            String trailer;
            do {
              trailer = readLine();
            } while (trailer != null && !trailer.isEmpty());
            break;
          }
          readBody(len, body);
          readLine();
        }
      } else if (headers.containsKey("content-length")) {
        long len;
        try {
          len = Long.parseLong(headers.get("content-length").trim());
        } catch (NumberFormatException e) {
          throw new BadRequest("malformed content-length");
        }
        if (len < 0) {
          throw new BadRequest("negative content-length");
        }
        readBody(len, body);
      }
      String target = parts[1];
      int q = target.indexOf('?');
      String path = q >= 0 ? target.substring(0, q) : target;
      String query = q >= 0 ? target.substring(q + 1) : "";
      boolean close = "close".equalsIgnoreCase(headers.get("connection"))
          || parts[2].equals("HTTP/1.0");
      return new Exchange(this, parts[0], path, query, headers, body, close);
    }

    void writeBadRequest(String why) {
      try {
        byte[] b = Wire.json(Wire.errorBody("invalid_request_error", "Malformed HTTP request: " + why,
            null, null)).getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: "
            + b.length + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(b);
        out.flush();
      } catch (IOException ignored) {
        // client already gone
      }
    }

    /**
     * Waits up to {@code nanos} (real time) while watching the connection; returns true as soon as
     * the client closes it (or the simulator shuts down).
     */
    boolean awaitDisconnect(long nanos) throws IOException {
      long deadline = System.nanoTime() + nanos;
      while (true) {
        if (closed || socket.isClosed()) {
          return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        long millis = Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 25));
        if (pos < lim) {
          // Unexpected bytes from the client (pipelining): keep them, just wait.
          try {
            Thread.sleep(millis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
          }
          continue;
        }
        try {
          socket.setSoTimeout((int) millis);
          int n = in.read(buf, 0, buf.length);
          if (n < 0) {
            return true;
          }
          pos = 0;
          lim = n;
        } catch (SocketTimeoutException stillThere) {
          // the client is still connected and quiet
        } catch (SocketException gone) {
          return true;
        } finally {
          if (!socket.isClosed()) {
            socket.setSoTimeout(0);
          }
        }
      }
    }
  }

  /** A request body, kept in memory up to a limit and counted beyond it. */
  static final class Body {
    private final long limit;
    private byte[] data = new byte[0];
    private int size;
    private long total;

    Body(long limit) {
      this.limit = limit;
    }

    void append(byte[] b, int off, int len) {
      total += len;
      if (total > limit) {
        data = new byte[0];
        size = 0;
        return;
      }
      if (size + len > data.length) {
        byte[] bigger = new byte[Math.max(size + len, Math.max(1024, data.length * 2))];
        System.arraycopy(data, 0, bigger, 0, size);
        data = bigger;
      }
      System.arraycopy(b, off, data, size, len);
      size += len;
    }

    boolean tooLarge() {
      return total > limit;
    }

    long total() {
      return total;
    }

    String text() {
      return new String(data, 0, size, StandardCharsets.UTF_8);
    }
  }

  /** One request and the means to answer it on its connection. */
  static final class Exchange {
    final Conn conn;
    final String method;
    final String path;
    final String query;
    final Map<String, String> headers;
    final Body body;
    boolean closeAfter;
    boolean headersSent;
    boolean aborted;
    private boolean chunked;

    Exchange(Conn conn, String method, String path, String query, Map<String, String> headers,
        Body body, boolean closeAfter) {
      this.conn = conn;
      this.method = method;
      this.path = path;
      this.query = query;
      this.headers = headers;
      this.body = body;
      this.closeAfter = closeAfter;
    }

    String header(String name) {
      return headers.get(name);
    }

    private void writeHead(int status, Map<String, String> extra, String contentType, long length)
        throws IOException {
      StringBuilder sb = new StringBuilder(512);
      sb.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
      sb.append("content-type: ").append(contentType).append("\r\n");
      if (length >= 0) {
        sb.append("content-length: ").append(length).append("\r\n");
      } else {
        sb.append("transfer-encoding: chunked\r\n");
        sb.append("cache-control: no-cache\r\n");
      }
      for (Map.Entry<String, String> h : extra.entrySet()) {
        sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
      }
      sb.append("connection: ").append(closeAfter ? "close" : "keep-alive").append("\r\n\r\n");
      headersSent = true;
      conn.out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes a complete response with a Content-Length body. */
    void respond(int status, Map<String, String> extra, byte[] body, String contentType)
        throws IOException {
      writeHead(status, extra, contentType, body.length);
      conn.out.write(body);
      conn.out.flush();
    }

    /** Writes the head of a chunked {@code text/event-stream} response. */
    void startStream(int status, Map<String, String> extra) throws IOException {
      writeHead(status, extra, "text/event-stream; charset=utf-8", -1);
      chunked = true;
      conn.out.flush();
    }

    /** Writes one SSE event as one chunk and flushes it. */
    void sendEvent(String event, String data) throws IOException {
      byte[] b = ("event: " + event + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
      conn.out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      conn.out.write(b);
      conn.out.write('\r');
      conn.out.write('\n');
      conn.out.flush();
    }

    /** Writes the final chunk of a stream. */
    void endStream() throws IOException {
      if (chunked) {
        conn.out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        conn.out.flush();
      }
    }

    /** Closes the connection at once: with a TCP reset if {@code reset}, else a plain close. */
    void abort(boolean reset) {
      aborted = true;
      try {
        if (reset) {
          conn.socket.setSoLinger(true, 0);
        } else {
          conn.out.flush();
        }
      } catch (IOException ignored) {
        // closing anyway
      }
      closeQuietly(conn.socket);
    }

    /** Waits up to {@code nanos}; true if the client disconnected meanwhile. */
    boolean awaitDisconnect(long nanos) throws IOException {
      return conn.awaitDisconnect(nanos);
    }
  }

  static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 402 -> "Payment Required";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Payload Too Large";
      case 422 -> "Unprocessable Entity";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      case 529 -> "Overloaded";
      default -> "Status";
    };
  }
}
