package io.geored.spi.api;

/**
 * Counts of a peer group's subclouds by state ({@code GET .../{ref}/status}).
 *
 * @param peerGroupId the group's id
 * @param peerGroupName the group's name
 * @param totalSubclouds all members
 * @param complete deploy status complete
 * @param waitingForMigrate deploy status secondary
 * @param rehoming deploy status rehoming
 * @param rehomeFailed deploy status rehome-failed or rehome-prep-failed
 * @param managed management state managed
 * @param unmanaged management state unmanaged
 */
public record PeerGroupStatus(
    long peerGroupId,
    String peerGroupName,
    int totalSubclouds,
    int complete,
    int waitingForMigrate,
    int rehoming,
    int rehomeFailed,
    int managed,
    int unmanaged) {}
