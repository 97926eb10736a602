package io.geored.testkit.work;

import java.util.ArrayList;
import java.util.List;

/**
 * Holds scripted work until the test opens it: a rehome that is still running when a site stops, or
 * one whose end the test wants to choose. Once open, a gate stays open and lets later work pass at
 * once. Thread-safe.
 */
public final class Gate {

  private final List<Runnable> held = new ArrayList<>();
  private boolean open;

  /** A closed gate. */
  public Gate() {}

  /**
   * Opens the gate: the work it held goes on (on this thread, in the order it arrived), and work
   * arriving later passes. Opening an open gate does nothing.
   */
  public void open() {
    List<Runnable> release;
    synchronized (this) {
      if (open) {
        return;
      }
      open = true;
      release = List.copyOf(held);
      held.clear();
    }
    // Outside the lock: released work may call back into this gate.
    release.forEach(Runnable::run);
  }

  /**
   * Whether the gate is open.
   *
   * @return true once {@link #open()} was called
   */
  public synchronized boolean isOpen() {
    return open;
  }

  /**
   * How much work waits at the gate.
   *
   * @return the count, zero once open
   */
  public synchronized int waiting() {
    return held.size();
  }

  /**
   * Runs work now when the gate is open, else when it opens.
   *
   * @param work what to run
   */
  void pass(Runnable work) {
    synchronized (this) {
      if (!open) {
        held.add(work);
        return;
      }
    }
    work.run();
  }

  @Override
  public synchronized String toString() {
    return open ? "Gate[open]" : "Gate[closed, waiting=" + held.size() + "]";
  }
}
