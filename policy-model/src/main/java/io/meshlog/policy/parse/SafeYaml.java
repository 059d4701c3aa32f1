package io.meshlog.policy.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionEndEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.DocumentStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads YAML (or JSON) into node trees without ever constructing objects: no tags, no types,
 * limits on size, depth, aliases and documents checked on the event stream first, so a hostile
 * input costs no more than its own length.
 */
public final class SafeYaml {
    private final YamlLimits limits;
    private final LoadSettings settings;

    public SafeYaml(YamlLimits limits) {
        this.limits = limits;
        this.settings = LoadSettings.builder()
                .setLabel("policy")
                .setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false)
                .setMaxAliasesForCollections(limits.maxAliases())
                .setCodePointLimit(limits.maxBytes() + 16)
                .setUseMarks(true)
                .setSchema(new CoreSchema())
                .build();
    }

    /** Every document of {@code text} (empty documents left out). */
    public List<Node> parseAll(String text) {
        if (text.length() > limits.maxBytes()) {
            throw new PolicyParseException("input is too large: " + text.length()
                    + " characters, the limit is " + limits.maxBytes(), 0);
        }
        text = jsonWhitespace(text);
        try {
            scan(text);
            var nodes = new ArrayList<Node>();
            for (var node : new Compose(settings).composeAllFromString(text)) {
                nodes.add(node);
            }
            return nodes;
        } catch (MarkedYamlEngineException e) {
            var mark = e.getProblemMark().or(e::getContextMark);
            throw new PolicyParseException("not valid YAML: " + oneLine(e.getProblem() == null
                    ? e.getContext() : e.getProblem()), line(mark));
        } catch (YamlEngineException e) {
            throw new PolicyParseException("not valid YAML: " + oneLine(e.getMessage()), 0);
        }
    }

    /**
     * JSON allows tabs as whitespace where YAML does not; valid JSON has no raw tab inside a
     * string, so in a JSON document every tab is whitespace and becomes a space (lines and
     * columns stay the same).
     */
    private static String jsonWhitespace(String text) {
        var start = text.stripLeading();
        return start.startsWith("{") || start.startsWith("[") ? text.replace('\t', ' ') : text;
    }

    private void scan(String text) {
        int depth = 0;
        int aliases = 0;
        int documents = 0;
        for (Event event : new Parse(settings).parseString(text)) {
            if (event instanceof DocumentStartEvent && ++documents > limits.maxDocuments()) {
                throw new PolicyParseException("too many documents: the limit is "
                        + limits.maxDocuments(), line(event.getStartMark()));
            } else if (event instanceof CollectionStartEvent start) {
                rejectTag(start.getTag(), event);
                if (++depth > limits.maxDepth()) {
                    throw new PolicyParseException("nesting is too deep: the limit is "
                            + limits.maxDepth() + " levels", line(event.getStartMark()));
                }
            } else if (event instanceof CollectionEndEvent) {
                depth--;
            } else if (event instanceof ScalarEvent scalar) {
                rejectTag(scalar.getTag(), event);
            } else if (event instanceof AliasEvent && ++aliases > limits.maxAliases()) {
                throw new PolicyParseException("too many aliases: the limit is "
                        + limits.maxAliases() + " (YAML alias expansion is limited)",
                        line(event.getStartMark()));
            }
        }
    }

    private static void rejectTag(Optional<String> tag, Event event) {
        if (tag.isPresent()) {
            throw new PolicyParseException("YAML tags are not allowed, but found '" + tag.get()
                    + "'", line(event.getStartMark()));
        }
    }

    static int line(Optional<Mark> mark) {
        return mark.map(m -> m.getLine() + 1).orElse(0);
    }

    private static String oneLine(String message) {
        return message == null ? "unreadable input" : message.replaceAll("\\s+", " ").trim();
    }
}
