package dev.tally.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.gateway.GatewayConfig;
import dev.tally.topology.EngineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/**
 * The README's Configuration tables against the settings the deployables declare: every key documented,
 * nothing documented that is not a key, and each default exactly as the code has it.
 */
class ConfigurationDocsTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z.]+)` \\| ([^|]+) \\|");

    /**
     * How the tables write a default: {@code `value`}, a bare value alone or followed by a remark in parentheses
     * ({@code 604800000 (7 days; at least 60000)}), or {@code (none)} for an empty default.
     */
    private static final Pattern DEFAULT_CELL = Pattern.compile("`([^`]+)`|([^\\s`(]+)(?: \\([^)]+\\))?|\\(none\\)");

    /** Key and default cell of every row of the tables in the README's Configuration section. */
    private static Map<String, String> documented() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String section = readme.substring(readme.indexOf("\n## Configuration"),
                readme.indexOf("\n### Engine and gateway against an existing cluster"));
        Map<String, String> rows = new TreeMap<>();
        for (String line : section.split("\n")) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                rows.put(row.group(1), row.group(2).strip());
            }
        }
        return rows;
    }

    private static Map<String, Object> declared() {
        Map<String, Object> defaults = new TreeMap<>();
        for (ConfigDef definition : List.of(EngineConfig.DEFINITION, GatewayConfig.DEFINITION)) {
            definition.configKeys().forEach((name, key) -> defaults.put(name, key.defaultValue));
        }
        return defaults;
    }

    /** The default a cell documents, or null if the cell is not written as a default is. */
    private static String documentedDefault(String cell) {
        Matcher matcher = DEFAULT_CELL.matcher(cell);
        if (!matcher.matches()) {
            return null;
        }
        return matcher.group(1) != null ? matcher.group(1) : matcher.group(2) != null ? matcher.group(2) : "";
    }

    /** A declared default as the tables write it: a list comma separated, without spaces. */
    private static String shown(Object value) {
        return value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(value);
    }

    /** Each documented key whose documented default is not the declared one, saying both. */
    private static List<String> disagreements(Map<String, String> documented, Map<String, Object> declared) {
        List<String> disagreements = new ArrayList<>();
        declared.forEach((key, value) -> {
            String cell = documented.get(key);
            if (cell == null) {
                return;
            }
            String readme = documentedDefault(cell);
            String code = shown(value);
            if (!code.equals(readme)) {
                disagreements.add(key + ": README says " + (readme == null ? "'" + cell + "' (not a default)"
                        : "'" + readme + "'") + ", code says '" + code + "'");
            }
        });
        return disagreements;
    }

    @Test
    void everyDeclaredSettingIsDocumentedWithItsDefaultAndNothingElseIs() throws Exception {
        Map<String, String> documented = documented();
        Map<String, Object> declared = declared();

        assertThat(documented.keySet()).isEqualTo(declared.keySet());
        assertThat(disagreements(documented, declared)).isEmpty();
    }

    @Test
    void aDefaultIsReadWholeFromItsCellAndComparedExactly() {
        assertThat(documentedDefault("`tally.`")).isEqualTo("tally.");
        assertThat(documentedDefault("6")).isEqualTo("6");
        assertThat(documentedDefault("604800000 (7 days; at least 60000)")).isEqualTo("604800000");
        assertThat(documentedDefault("(none)")).isEmpty();
        assertThat(documentedDefault("5 s")).isNull();

        Map<String, Object> declared = Map.of("producer.linger.ms", 1, "auth.keys", "", "claims.scopes",
                List.of("a=slug", "b=phone"));
        assertThat(disagreements(Map.of("producer.linger.ms", "1", "auth.keys", "(none)", "claims.scopes",
                "`a=slug,b=phone`"), declared)).isEmpty();
        assertThat(disagreements(Map.of("producer.linger.ms", "10", "auth.keys", "`x`", "claims.scopes",
                "`a=slug`"), declared)).containsExactlyInAnyOrder(
                "producer.linger.ms: README says '10', code says '1'",
                "auth.keys: README says 'x', code says ''",
                "claims.scopes: README says 'a=slug', code says 'a=slug,b=phone'");
    }
}
