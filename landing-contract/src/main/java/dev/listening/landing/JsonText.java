package dev.listening.landing;

/**
 * Writes JSON strings (RFC 8259 escaping). The contract writes the small envelope header itself
 * because it may depend on no JSON library: its users carry different Jackson versions.
 */
final class JsonText {
  private JsonText() {}

  /** Appends {@code value} as a JSON string literal, or {@code null}. */
  static StringBuilder quote(StringBuilder out, String value) {
    if (value == null) {
      return out.append("null");
    }
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            // Control characters must be escaped; U+2028/2029 are, so no reader splits on them.
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }
}
