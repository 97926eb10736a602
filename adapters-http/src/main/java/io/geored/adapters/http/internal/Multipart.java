package io.geored.adapters.http.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code multipart/form-data} bodies, as upstream's subcloud calls send them: text fields and files
 * (bootstrap and install values as YAML). Both directions; the reader is strict and bounded by the
 * body it is given.
 */
public final class Multipart {

  private static final byte[] CRLF = {'\r', '\n'};
  private static final int MAX_PARTS = 64;
  private static final int MAX_PART_HEADER_BYTES = 4096;

  /**
   * The line end between a part's headers, compiled once: {@code String.split("\r\n")} compiles its
   * two-character pattern on every call (only one-character patterns skip the regex engine).
   */
  static final Pattern LINE_END = Pattern.compile("\r\n");

  private Multipart() {}

  /**
   * One part: a field or a file.
   *
   * @param name the form field name
   * @param filename the file name, or null for a text field
   * @param content the bytes
   */
  public record Part(String name, String filename, byte[] content) {

    /**
     * The content as UTF-8 text.
     *
     * @return the text
     */
    public String text() {
      return new String(content, StandardCharsets.UTF_8);
    }

    /**
     * Whether it was sent as a file.
     *
     * @return true for a file part
     */
    public boolean isFile() {
      return filename != null;
    }
  }

  /** A body that is not well-formed multipart. */
  public static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super(message);
    }
  }

  /** Builds a body; not thread-safe. */
  public static final class Writer {
    private final String boundary = "geored-" + UUID.randomUUID();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<String> names = new ArrayList<>();

    /**
     * Adds a text field.
     *
     * @param name the field
     * @param value its value
     * @return this writer
     */
    public Writer field(String name, String value) {
      header("form-data; name=\"" + name + "\"", null);
      write(value.getBytes(StandardCharsets.UTF_8));
      write(CRLF);
      names.add(name);
      return this;
    }

    /**
     * Adds a file.
     *
     * @param name the field
     * @param filename the file name
     * @param contentType its type
     * @param content its bytes
     * @return this writer
     */
    public Writer file(String name, String filename, String contentType, byte[] content) {
      header("form-data; name=\"" + name + "\"; filename=\"" + filename + "\"", contentType);
      write(content);
      write(CRLF);
      names.add(name);
      return this;
    }

    private void header(String disposition, String contentType) {
      write(
          ("--" + boundary + "\r\nContent-Disposition: " + disposition + "\r\n")
              .getBytes(StandardCharsets.UTF_8));
      if (contentType != null) {
        write(("Content-Type: " + contentType + "\r\n").getBytes(StandardCharsets.UTF_8));
      }
      write(CRLF);
    }

    private void write(byte[] bytes) {
      out.write(bytes, 0, bytes.length);
    }

    /**
     * The names of the parts added so far, in order.
     *
     * @return the names
     */
    public List<String> names() {
      return List.copyOf(names);
    }

    /**
     * The Content-Type header value of the body.
     *
     * @return {@code multipart/form-data; boundary=...}
     */
    public String contentType() {
      return "multipart/form-data; boundary=" + boundary;
    }

    /**
     * The finished body.
     *
     * @return the bytes
     */
    public byte[] body() {
      ByteArrayOutputStream copy = new ByteArrayOutputStream();
      copy.writeBytes(out.toByteArray());
      copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
      return copy.toByteArray();
    }
  }

  /**
   * The boundary named by a Content-Type header.
   *
   * @param contentType the header value
   * @return the boundary, or null when the type is not multipart/form-data with a boundary
   */
  public static String boundaryOf(String contentType) {
    if (contentType == null) {
      return null;
    }
    String[] pieces = contentType.split(";");
    if (!pieces[0].trim().toLowerCase(Locale.ROOT).equals("multipart/form-data")) {
      return null;
    }
    for (int i = 1; i < pieces.length; i++) {
      String p = pieces[i].trim();
      if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
        String b = p.substring("boundary=".length()).trim();
        if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
          b = b.substring(1, b.length() - 1);
        }
        return b.isEmpty() || b.length() > 70 ? null : b;
      }
    }
    return null;
  }

  /**
   * Reads the parts of a body. A field named twice keeps its first value.
   *
   * @param body the bytes
   * @param boundary the boundary from the Content-Type header
   * @return the parts by field name, in order
   * @throws MalformedException when the body is not well-formed
   */
  public static Map<String, Part> read(byte[] body, String boundary) throws MalformedException {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.UTF_8);
    Map<String, Part> parts = new LinkedHashMap<>();
    int pos = indexOf(body, delimiter, 0);
    if (pos < 0) {
      throw new MalformedException("no boundary");
    }
    while (true) {
      pos += delimiter.length;
      if (startsWith(body, pos, new byte[] {'-', '-'})) {
        return parts;
      }
      if (!startsWith(body, pos, CRLF)) {
        throw new MalformedException("boundary not followed by a line end");
      }
      pos += 2;
      int headerEnd = indexOf(body, new byte[] {'\r', '\n', '\r', '\n'}, pos);
      if (headerEnd < 0 || headerEnd - pos > MAX_PART_HEADER_BYTES) {
        throw new MalformedException("part headers not ended");
      }
      String headers = new String(body, pos, headerEnd - pos, StandardCharsets.UTF_8);
      int contentStart = headerEnd + 4;
      byte[] next = new byte[delimiter.length + 2];
      next[0] = '\r';
      next[1] = '\n';
      System.arraycopy(delimiter, 0, next, 2, delimiter.length);
      int contentEnd = indexOf(body, next, contentStart);
      if (contentEnd < 0) {
        throw new MalformedException("part not ended");
      }
      byte[] content = new byte[contentEnd - contentStart];
      System.arraycopy(body, contentStart, content, 0, content.length);
      Part part = part(headers, content);
      parts.putIfAbsent(part.name(), part);
      if (parts.size() > MAX_PARTS) {
        throw new MalformedException("too many parts");
      }
      pos = contentEnd + 2;
    }
  }

  private static Part part(String headers, byte[] content) throws MalformedException {
    String name = null;
    String filename = null;
    for (String line : LINE_END.split(headers)) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        throw new MalformedException("bad part header");
      }
      if (!line.substring(0, colon).trim().equalsIgnoreCase("content-disposition")) {
        continue;
      }
      for (String attribute : line.substring(colon + 1).split(";")) {
        String a = attribute.trim();
        int eq = a.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String key = a.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String value = a.substring(eq + 1).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        if (key.equals("name")) {
          name = value;
        } else if (key.equals("filename")) {
          filename = value;
        }
      }
    }
    if (name == null || name.isEmpty()) {
      throw new MalformedException("part without a name");
    }
    return new Part(name, filename, content);
  }

  private static boolean startsWith(byte[] body, int pos, byte[] prefix) {
    if (pos + prefix.length > body.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (body[pos + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] body, byte[] target, int from) {
    outer:
    for (int i = Math.max(from, 0); i <= body.length - target.length; i++) {
      for (int j = 0; j < target.length; j++) {
        if (body[i + j] != target[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
