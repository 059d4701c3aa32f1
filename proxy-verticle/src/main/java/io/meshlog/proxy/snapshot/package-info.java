/**
 * What: the immutable {@link io.meshlog.proxy.snapshot.MeshSnapshot} of all policy the request path
 * uses, its compiler and the holder that swaps it atomically.
 *
 * <p>Flow: the policy consumer (or the static bootstrap) hands a {@code PolicyState} to {@link
 * io.meshlog.proxy.snapshot.SnapshotUpdater}, which compiles it with the endpoint directory
 * ({@link io.meshlog.proxy.snapshot.SnapshotCompiler}: invalid policies become {@link
 * io.meshlog.proxy.snapshot.RejectedPolicy} entries, never failures) and swaps it into the {@link
 * io.meshlog.proxy.snapshot.SnapshotHolder}; each request reads the holder once when it starts.
 *
 * <p>Thread: compiling runs on the policy consumer's or directory's background thread; reading
 * is lock-free from any event loop.
 */
package io.meshlog.proxy.snapshot;
