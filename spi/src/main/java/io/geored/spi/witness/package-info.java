/**
 * The witness: a third party every site reaches, in a failure domain of its own, that decides which
 * site leads each peer group (a lease per group with an {@linkplain io.geored.spi.witness.Epoch
 * epoch}, the fencing token) and which sites may take a group over (its candidates). See {@link
 * io.geored.spi.witness.Witness} and docs/adr/0027-witness-leases-and-fencing.md for the fencing
 * argument.
 */
package io.geored.spi.witness;
