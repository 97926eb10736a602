package io.geored.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints what the site answered in the chosen format, with the columns (labels and order) of
 * dcmanager's client. Like the OpenStack clients: {@code table} draws a bordered table (a single
 * object as Field / Value rows), {@code json} and {@code yaml} give the same columns as keys, and
 * {@code value} only the values — one row per line, separated by spaces; a single object one value
 * per line. A missing or null value is shown as {@code None} in a table and as a value.
 */
final class Output {

  /** The output formats. */
  enum Format {
    table,
    json,
    yaml,
    value
  }

  /** One column: its label and the key the site answers it under. */
  record Column(String label, String key) {}

  static List<Column> columns(String... labelKeyPairs) {
    List<Column> out = new ArrayList<>();
    for (int i = 0; i < labelKeyPairs.length; i += 2) {
      out.add(new Column(labelKeyPairs[i], labelKeyPairs[i + 1]));
    }
    return List.copyOf(out);
  }

  private static final ObjectWriter JSON_WRITER =
      SiteClient.JSON.writer(
          new DefaultPrettyPrinter()
              .withSeparators(
                  Separators.createDefaultInstance()
                      .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
              .withArrayIndenter(new DefaultIndenter("  ", "\n"))
              .withObjectIndenter(new DefaultIndenter("  ", "\n")));

  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .build();

  private final PrintWriter out;
  private final Format format;

  Output(PrintWriter out, Format format) {
    this.out = out;
    this.format = format;
  }

  /** A list of objects, one row each. */
  void list(List<Column> columns, JsonNode items) {
    List<JsonNode> rows = new ArrayList<>();
    if (items != null && items.isArray()) {
      items.forEach(rows::add);
    }
    switch (format) {
      case table -> {
        List<String> header = columns.stream().map(Column::label).toList();
        List<List<String>> cells = new ArrayList<>();
        for (JsonNode row : rows) {
          cells.add(columns.stream().map(c -> text(row.get(c.key()))).toList());
        }
        table(header, cells);
      }
      case json, yaml -> {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        rows.forEach(row -> array.add(keyed(columns, row)));
        structured(array);
      }
      case value -> {
        for (JsonNode row : rows) {
          out.println(String.join(" ", columns.stream().map(c -> text(row.get(c.key()))).toList()));
        }
      }
    }
    out.flush();
  }

  /** One object, as Field / Value rows. */
  void one(List<Column> columns, JsonNode item) {
    switch (format) {
      case table -> {
        List<List<String>> cells = new ArrayList<>();
        for (Column c : columns) {
          cells.add(List.of(c.label(), text(item.get(c.key()))));
        }
        table(List.of("Field", "Value"), cells);
      }
      case json, yaml -> structured(keyed(columns, item));
      case value -> columns.forEach(c -> out.println(text(item.get(c.key()))));
    }
    out.flush();
  }

  private static ObjectNode keyed(List<Column> columns, JsonNode row) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    for (Column c : columns) {
      JsonNode v = row.get(c.key());
      o.set(c.label(), v == null ? JsonNodeFactory.instance.nullNode() : v);
    }
    return o;
  }

  private void structured(JsonNode node) {
    try {
      if (format == Format.json) {
        out.println(JSON_WRITER.writeValueAsString(node));
      } else {
        out.print(YAML.writeValueAsString(node));
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print the answer", e);
    }
  }

  /** A cell's text: None for a missing or null value, a text as it is, anything else as JSON. */
  static String text(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return "None";
    }
    if (v.isValueNode()) {
      return v.asText();
    }
    return v.toString();
  }

  private void table(List<String> header, List<List<String>> rows) {
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = header.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder rule = new StringBuilder("+");
    for (int w : widths) {
      rule.append("-".repeat(w + 2)).append('+');
    }
    out.println(rule);
    out.println(line(header, widths));
    out.println(rule);
    for (List<String> row : rows) {
      out.println(line(row, widths));
    }
    if (!rows.isEmpty()) {
      out.println(rule);
    }
  }

  private static String line(List<String> cells, int[] widths) {
    StringBuilder b = new StringBuilder("|");
    for (int i = 0; i < widths.length; i++) {
      String cell = cells.get(i);
      b.append(' ').append(cell).append(" ".repeat(widths[i] - cell.length())).append(" |");
    }
    return b.toString();
  }
}
