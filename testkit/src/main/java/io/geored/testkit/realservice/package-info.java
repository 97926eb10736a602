/**
 * A JUnit 5 extension that runs a real third-party service (Prometheus, Keystone, etcd, ...) as a
 * child process for the tests of one class: {@link io.geored.testkit.realservice.RealServices}.
 */
package io.geored.testkit.realservice;
