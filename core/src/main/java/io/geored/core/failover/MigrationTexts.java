package io.geored.core.failover;

/**
 * The texts a migration leaves behind: the error descriptions it writes on subclouds it could not
 * rehome, and the details of its progress events. Not API answers (those are in {@link
 * io.geored.spi.api.Messages}), but exact all the same, so hosts and tests can match them.
 */
public final class MigrationTexts {

  /** The error description a rehome starts from: upstream's "nothing went wrong" text. */
  public static final String NO_ERRORS = "No errors present";

  /** The operation name of a migration's progress events. */
  public static final String OPERATION = "migrate";

  /** Detail of the first progress event. */
  public static final String STARTED = "started";

  /** Detail of the last progress event. */
  public static final String FINISHED = "finished";

  /** How many times a hand-over call to one peer is tried before the subcloud is given up. */
  public static final int HANDOVER_ATTEMPTS = 3;

  private MigrationTexts() {}

  /**
   * A peer site refused to unmanage its copy or set it rehome-pending.
   *
   * @param subcloud the subcloud's name
   * @param peer the peer site's name
   * @param reason the peer's answer
   * @return the error description
   */
  public static String handoverRefused(String subcloud, String peer, String reason) {
    return "Unable to hand over subcloud " + subcloud + " from peer site " + peer + ": " + reason;
  }

  /**
   * A peer site could not be told to let the subcloud go, {@link #HANDOVER_ATTEMPTS} times.
   *
   * @param subcloud the subcloud's name
   * @param peer the peer site's name
   * @param reason the last failure
   * @return the error description
   */
  public static String handoverFailed(String subcloud, String peer, String reason) {
    return "Unable to hand over subcloud "
        + subcloud
        + " from peer site "
        + peer
        + " after "
        + HANDOVER_ATTEMPTS
        + " attempts: "
        + reason;
  }

  /**
   * A peer site's migration of the group finished without managing the subcloud there, while this
   * site's copy waited rehome-pending: the copy becomes rehome-failed with this description.
   *
   * @param subcloud the subcloud's name
   * @param peerGroup the peer group's name
   * @param peer the peer site's name
   * @return the error description
   */
  public static String notTakenOver(String subcloud, String peerGroup, String peer) {
    return "Subcloud "
        + subcloud
        + " was not taken over by the migration of peer group "
        + peerGroup
        + " on peer site "
        + peer
        + "; migrate the peer group to rehome it";
  }

  /**
   * The rehomer threw, or its stage ended exceptionally without a message.
   *
   * @param subcloud the subcloud's name
   * @param errorType the exception's class name
   * @return the error description
   */
  public static String rehomeNotStarted(String subcloud, String errorType) {
    return "Rehoming of subcloud " + subcloud + " could not start (" + errorType + ")";
  }

  /**
   * The rehomer reported a failure without a description.
   *
   * @param subcloud the subcloud's name
   * @return the error description
   */
  public static String rehomeFailed(String subcloud) {
    return "Rehoming of subcloud " + subcloud + " failed";
  }

  /**
   * Progress detail: the subcloud is managed from this site.
   *
   * @param subcloud the subcloud's name
   * @return the detail
   */
  public static String managed(String subcloud) {
    return subcloud + " managed";
  }

  /**
   * Progress detail: the subcloud ended in a failed deploy status.
   *
   * @param subcloud the subcloud's name
   * @param deployStatus the wire value of its status
   * @return the detail
   */
  public static String failed(String subcloud, String deployStatus) {
    return subcloud + " " + deployStatus;
  }

  /**
   * Progress detail: rehomed, but still offline when the online wait ran out.
   *
   * @param subcloud the subcloud's name
   * @return the detail
   */
  public static String stillOffline(String subcloud) {
    return subcloud + " rehomed but still offline, left unmanaged";
  }

  /**
   * Progress detail: a peer did not let the subcloud go, so it was not rehomed and keeps its deploy
   * status.
   *
   * @param subcloud the subcloud's name
   * @param deployStatus the wire value of the status it keeps
   * @return the detail
   */
  public static String notHandedOver(String subcloud, String deployStatus) {
    return subcloud + " not handed over, left " + deployStatus;
  }

  /**
   * Progress detail: the subcloud was gone or no longer waiting for migration by its turn.
   *
   * @param subcloud the subcloud's name
   * @return the detail
   */
  public static String skipped(String subcloud) {
    return subcloud + " skipped";
  }

  /**
   * A step of the subcloud's migration failed unexpectedly (e.g. the store was unavailable).
   *
   * @param subcloud the subcloud's name
   * @param errorType the exception's class name
   * @return the error description, and the progress detail
   */
  public static String stepFailed(String subcloud, String errorType) {
    return "Migration of subcloud " + subcloud + " failed unexpectedly (" + errorType + ")";
  }
}
