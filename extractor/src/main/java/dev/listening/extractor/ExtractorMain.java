package dev.listening.extractor;

public final class ExtractorMain {
  public static void main(String[] args) {}
}
