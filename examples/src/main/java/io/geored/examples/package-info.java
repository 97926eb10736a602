/**
 * Runnable examples: the two-site failover walk-through ({@link io.geored.examples.WalkThrough}), a
 * standalone site process ({@link io.geored.examples.SiteMain} on {@link
 * io.geored.examples.StandaloneSite}) and the README's embedding code ({@link
 * io.geored.examples.EmbeddingExample}).
 */
package io.geored.examples;
