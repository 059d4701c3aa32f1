/**
 * What: the proxy's own configuration as immutable, self-validating records ({@link
 * io.meshlog.proxy.config.ProxyConfig}, listener configs, limits) and {@link
 * io.meshlog.proxy.config.ConfigException}, the one error every settings reader raises.
 *
 * <p>Flow: built by the static bootstrap loader ({@code bootstrap}) or the control-plane config
 * loader ({@code mesh}); read by the runtime. A leaf: it depends on no other proxy package.
 *
 * <p>Thread: the main thread at start-up; nothing here runs on the request path.
 */
package io.meshlog.proxy.config;
