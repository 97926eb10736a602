package io.geored.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits an operator's command into the program and its arguments the way a POSIX shell splits
 * words, and nothing more: spaces separate words, {@code '...'} keeps everything literally, {@code
 * "..."} keeps spaces and honours {@code \"} and {@code \\}, a backslash outside quotes escapes the
 * next character. There is no variable expansion, globbing, redirection or pipe: the words run as
 * one process without a shell. An operator who wants a shell writes {@code sh -c '...'}.
 *
 * <p>Placeholders {@code {name}}, {@code {region}} and {@code {file}} inside a word are replaced
 * when the command runs ({@link #expand}); a replaced value stays inside its word, whatever it
 * holds.
 */
final class CommandLine {

  private CommandLine() {}

  /**
   * Splits a command.
   *
   * @param key the configuration key, for the message
   * @param text the command as written
   * @return the words, at least one
   * @throws IllegalArgumentException naming the key when a quote is not closed, the command ends in
   *     a lone backslash or names no program
   */
  static List<String> split(String key, String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\'') {
        int end = text.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException(key + " has a ' that is not closed");
        }
        word.append(text, i + 1, end);
        inWord = true;
        i = end + 1;
      } else if (c == '"') {
        i++;
        boolean closed = false;
        while (i < text.length()) {
          char d = text.charAt(i);
          if (d == '"') {
            closed = true;
            i++;
            break;
          }
          if (d == '\\' && i + 1 < text.length() && "\"\\$`".indexOf(text.charAt(i + 1)) >= 0) {
            word.append(text.charAt(i + 1));
            i += 2;
          } else {
            word.append(d);
            i++;
          }
        }
        if (!closed) {
          throw new IllegalArgumentException(key + " has a \" that is not closed");
        }
        inWord = true;
      } else if (c == '\\') {
        if (i + 1 >= text.length()) {
          throw new IllegalArgumentException(key + " ends with a lone \\");
        }
        word.append(text.charAt(i + 1));
        inWord = true;
        i += 2;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    if (words.isEmpty() || words.get(0).isEmpty()) {
      throw new IllegalArgumentException(key + " names no program");
    }
    return List.copyOf(words);
  }

  /**
   * Replaces the placeholders {@code {name}}, {@code {region}}, {@code {file}} in every word.
   *
   * @param words the split command
   * @param values each placeholder's value, without braces
   * @return the words to run
   */
  static List<String> expand(List<String> words, Map<String, String> values) {
    List<String> out = new ArrayList<>(words.size());
    for (String w : words) {
      StringBuilder b = new StringBuilder();
      int i = 0;
      while (i < w.length()) {
        boolean replaced = false;
        if (w.charAt(i) == '{') {
          for (Map.Entry<String, String> e : values.entrySet()) {
            String token = "{" + e.getKey() + "}";
            if (w.startsWith(token, i)) {
              b.append(e.getValue());
              i += token.length();
              replaced = true;
              break;
            }
          }
        }
        if (!replaced) {
          b.append(w.charAt(i));
          i++;
        }
      }
      out.add(b.toString());
    }
    return List.copyOf(out);
  }
}
