package io.meshlog.schemas.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.message.SchemaStore;

/**
 * Every schema version meshlog has ever written, so a record written by an older producer still
 * decodes into today's class (Avro resolves the old writer schema against the current reader).
 * Old versions live in {@code io/meshlog/schemas/history/}, listed in its {@code index}; a schema
 * change adds the previous version there before it ships.
 */
public final class SchemaHistory {
    private static final String FOLDER = "/io/meshlog/schemas/history/";

    private SchemaHistory() {}

    /**
     * The historical schema versions by fingerprint: one read-only store for the whole JVM, parsed
     * on first use (every serde used to parse the whole history again, at each client's start).
     */
    public static SchemaStore store() {
        return Shared.STORE;
    }

    private static final class Shared {
        static final SchemaStore STORE = readOnly();

        private static SchemaStore readOnly() {
            var cache = new SchemaStore.Cache();
            historicalSchemas().forEach(cache::addSchema);
            return cache::findByFingerprint;
        }
    }

    /** The historical schemas listed in the index, parsed. */
    public static List<Schema> historicalSchemas() {
        return index().stream().map(SchemaHistory::parse).toList();
    }

    private static List<String> index() {
        return read("index").lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }

    private static Schema parse(String file) {
        return new Schema.Parser().parse(read(file));
    }

    private static String read(String file) {
        try (InputStream in = SchemaHistory.class.getResourceAsStream(FOLDER + file)) {
            if (in == null) {
                throw new IllegalStateException("schema history file missing: " + FOLDER + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema history " + FOLDER + file, e);
        }
    }
}
