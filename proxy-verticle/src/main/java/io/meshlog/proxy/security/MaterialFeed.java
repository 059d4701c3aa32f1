package io.meshlog.proxy.security;

import io.meshlog.proxy.identity.KeyCertMaterial;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A {@link MaterialSource} fed by hand: {@link #publish} a new material and every listener hears it. */
public final class MaterialFeed implements MaterialSource {
    private final List<Consumer<KeyCertMaterial>> listeners = new CopyOnWriteArrayList<>();
    private volatile KeyCertMaterial current;

    public MaterialFeed() {}

    public MaterialFeed(KeyCertMaterial initial) {
        this.current = initial;
    }

    /** Makes {@code material} current and tells every listener, on the calling thread. */
    public void publish(KeyCertMaterial material) {
        current = material;
        listeners.forEach(listener -> listener.accept(material));
    }

    @Override
    public Optional<KeyCertMaterial> current() {
        return Optional.ofNullable(current);
    }

    @Override
    public void onMaterial(Consumer<KeyCertMaterial> listener) {
        listeners.add(listener);
    }
}
