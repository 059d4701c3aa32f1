/**
 * Which cert-service instance signs. Every instance of a mesh joins one consumer group on the
 * single-partition trust topic ({@link io.meshlog.cert.election.SignerElection}); the member that
 * owns that partition is the signer, the others are standbys. Kafka's group protocol replaces a
 * member that stopped heartbeating (a killed instance) after its session timeout, so a standby
 * becomes the signer within about that time. The election alone cannot stop an old signer that
 * still thinks it owns the partition (a long pause): the signer's answers are written in Kafka
 * transactions under one {@code transactional.id} shared by all instances, so the new signer's
 * {@code initTransactions} fences the old one and aborts what it had not committed.
 *
 * <p>Threads: the request consumer's thread polls the election between batches of requests.
 */
package io.meshlog.cert.election;
