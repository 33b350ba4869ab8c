package org.phare.core.model;

/**
 * What a tenant asked of an instance at launch, beside its size and image, as EC2's RunInstances carries it.
 *
 * @param reservation the id shared by the instances one run request created ({@code r-} and 17 hex digits)
 * @param keyName     the key pair whose public key the instance receives, or null
 * @param userData    base64 user data, or null
 * @param index       the instance's position in its reservation, from 0 (EC2's {@code amiLaunchIndex})
 */
public record Launch(String reservation, String keyName, String userData, int index) {}
