package dev.tally.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.gateway.GatewayConfig;
import dev.tally.topology.EngineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/**
 * The README's Configuration tables against the settings the deployables declare: every key documented,
 * nothing documented that is not a key, and each default as the code has it.
 */
class ConfigurationDocsTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z.]+)` \\| ([^|]+) \\|");

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

    @Test
    void everyDeclaredSettingIsDocumentedWithItsDefaultAndNothingElseIs() throws Exception {
        Map<String, String> documented = documented();
        Map<String, Object> declared = declared();

        assertThat(documented.keySet()).isEqualTo(declared.keySet());
        declared.forEach((key, value) -> {
            String shown = value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf)
                    .toList()) : String.valueOf(value);
            String cell = documented.get(key).replace("`", "");
            if (shown.isEmpty()) {
                assertThat(cell).as(key).isEqualTo("(none)");
            } else {
                assertThat(cell).as(key).startsWith(shown);
            }
        });
    }
}
