package io.geored.adapters.jdbc;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;

/**
 * A socket factory for pgjdbc ({@code socketFactory=} in the URL) that counts round trips to the
 * database: a write after an answer was read starts one. Only the round trips made by the thread in
 * {@link #COUNTED} are added to {@link #ROUND_TRIPS} (a pool opens its connections on threads of
 * its own, and each opening is several round trips).
 */
public final class CountingSocketFactory extends SocketFactory {

  /** Round trips of every socket this factory made. */
  static final AtomicLong ROUND_TRIPS = new AtomicLong();

  /** The thread whose round trips are counted, or null. */
  static volatile Thread counted;

  /** pgjdbc makes it by reflection. */
  public CountingSocketFactory() {}

  @Override
  public Socket createSocket() {
    return new CountingSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket s = new CountingSocket();
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress local, int localPort)
      throws IOException {
    return createSocket(host, port);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    Socket s = new CountingSocket();
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
      throws IOException {
    return createSocket(host, port);
  }

  private static final class CountingSocket extends Socket {
    private volatile boolean answered = true;
    private OutputStream out;
    private InputStream in;

    private void sending() {
      if (answered) {
        answered = false;
        if (Thread.currentThread() == counted) {
          ROUND_TRIPS.incrementAndGet();
        }
      }
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
      if (out == null) {
        out =
            new FilterOutputStream(super.getOutputStream()) {
              @Override
              public void write(int b) throws IOException {
                sending();
                super.out.write(b);
              }

              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                sending();
                super.out.write(b, off, len);
              }
            };
      }
      return out;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (in == null) {
        in =
            new FilterInputStream(super.getInputStream()) {
              @Override
              public int read() throws IOException {
                answered = true;
                return super.read();
              }

              @Override
              public int read(byte[] b, int off, int len) throws IOException {
                answered = true;
                return super.read(b, off, len);
              }
            };
      }
      return in;
    }
  }
}
