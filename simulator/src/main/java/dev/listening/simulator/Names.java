package dev.listening.simulator;

import java.util.SplittableRandom;

/**
 * Made-up names that exercise what breaks pipelines: quotes, apostrophes, commas, emoji and scripts
 * other than Latin (CJK, Cyrillic, Arabic, Devanagari).
 */
final class Names {
  private static final String[] ADJECTIVES = {
    "Velvet", "Silent", "Electric", "Golden", "Broken", "Midnight", "Paper", "Neon", "Hollow",
    "Crimson", "Northern", "Wild", "Lonely", "Bright", "Static", "Frozen", "Lucky", "Distant",
    "Sugar", "Iron", "Blue", "Quiet", "Restless", "Tender"
  };
  private static final String[] NOUNS = {
    "Kites", "Harbor", "Echo", "River", "Signal", "Garden", "Satellite", "Mirror", "Lanterns",
    "Highway", "Ocean", "Thunder", "Letters", "Parade", "Fever", "Horizon", "Window", "Summer",
    "Shadows", "Machine", "Heart", "City", "Dream", "Fire"
  };
  private static final String[] FIRST = {
    "Ava", "Noah", "Lena", "Mateo", "Ines", "Jonas", "Maya", "Tomás", "Zoë", "Björn", "Chloé",
    "Kwame", "Priya", "Sven", "Aoife", "Léa"
  };
  private static final String[] LAST = {
    "Marlowe",
    "Okafor",
    "Lindqvist",
    "García",
    "Novak",
    "O'Connor",
    "Müller",
    "Sato",
    "Ferreira",
    "Dubois",
    "Kowalski",
    "Haddad",
    "Nakamura",
    "Andersson"
  };
  private static final String[] CJK = {
    "夜明けの街", "青い鳥", "星の歌", "月光", "さよなら、夏", "東京ドリーム", "花火", "風の中で", "사랑해", "너의 목소리"
  };
  private static final String[] CJK_ARTISTS = {"坂本 光", "山田 花子", "星野 ユウ", "아이유나", "김 하늘", "王 小明"};
  private static final String[] CYRILLIC = {
    "Белые ночи", "Звезда", "Последний поезд", "Весна", "Город дождей", "Летим"
  };
  private static final String[] CYRILLIC_ARTISTS = {
    "Дмитрий Северный", "Кино и Море", "Алина Ветрова"
  };
  private static final String[] ARABIC = {"ليلة حب", "يا قمر", "بحر الشوق", "أغنية الصحراء"};
  private static final String[] ARABIC_ARTISTS = {"فرقة الليل", "ليلى حداد", "نور الهدى"};
  private static final String[] DEVANAGARI = {"राग संध्या", "दिल की बात", "बारिश", "सपनों का शहर"};
  private static final String[] DEVANAGARI_ARTISTS = {"आशा राव", "राग संगम", "विक्रम सिंह"};
  private static final String[] EMOJI = {"🔥", "🌙", "✨", "💔", "🎧", "🌊", "🚀"};
  private static final String[] SUFFIXES = {
    " - Remastered 2011",
    " - Live",
    " (Radio Edit)",
    " - Acoustic",
    " (feat. Lil' Comma)",
    " - 2024 Mix",
    " (Demo)"
  };
  private static final String[] LABEL_WORDS = {
    "Records", "Music", "Recordings", "Sound", "Audio", "Tonträger", "Entertainment"
  };
  static final String[] GENRES = {
    "indie pop",
    "synthwave",
    "j-pop",
    "k-pop",
    "bossa nova",
    "post-punk",
    "afrobeats",
    "filmi",
    "russian rock",
    "arabic pop",
    "lo-fi beats",
    "swedish indie"
  };

  private Names() {}

  static String artist(SplittableRandom r) {
    double p = r.nextDouble();
    String name;
    if (p < 0.06) {
      name = pick(r, CJK_ARTISTS);
    } else if (p < 0.11) {
      name = pick(r, CYRILLIC_ARTISTS);
    } else if (p < 0.15) {
      name = pick(r, ARABIC_ARTISTS);
    } else if (p < 0.19) {
      name = pick(r, DEVANAGARI_ARTISTS);
    } else if (p < 0.45) {
      name = pick(r, FIRST) + " " + pick(r, LAST);
    } else if (p < 0.70) {
      name = "The " + pick(r, ADJECTIVES) + " " + pick(r, NOUNS);
    } else if (p < 0.80) {
      name = pick(r, NOUNS) + " & " + pick(r, NOUNS);
    } else if (p < 0.86) {
      name = pick(r, LAST) + ", " + pick(r, LAST) + " and " + pick(r, LAST);
    } else if (p < 0.92) {
      name = "DJ " + pick(r, ADJECTIVES) + " " + pick(r, EMOJI);
    } else {
      name = pick(r, ADJECTIVES) + pick(r, NOUNS).toLowerCase(java.util.Locale.ROOT);
    }
    return name;
  }

  static String title(SplittableRandom r) {
    double p = r.nextDouble();
    String name;
    if (p < 0.06) {
      name = pick(r, CJK);
    } else if (p < 0.10) {
      name = pick(r, CYRILLIC);
    } else if (p < 0.13) {
      name = pick(r, ARABIC);
    } else if (p < 0.16) {
      name = pick(r, DEVANAGARI);
    } else if (p < 0.40) {
      name = pick(r, ADJECTIVES) + " " + pick(r, NOUNS);
    } else if (p < 0.52) {
      name = pick(r, NOUNS) + " of the " + pick(r, NOUNS);
    } else if (p < 0.60) {
      name = "Don't Let the " + pick(r, NOUNS) + " Go";
    } else if (p < 0.67) {
      name = "\"" + pick(r, NOUNS) + "\", She Said";
    } else if (p < 0.73) {
      name = pick(r, ADJECTIVES) + " " + pick(r, NOUNS) + " " + pick(r, EMOJI);
    } else if (p < 0.78) {
      name = "It's a " + pick(r, ADJECTIVES) + " Night, Isn't It?";
    } else {
      name = pick(r, NOUNS);
    }
    if (r.nextDouble() < 0.12) {
      name += pick(r, SUFFIXES);
    }
    return name;
  }

  static String label(SplittableRandom r) {
    return pick(r, ADJECTIVES) + " " + pick(r, NOUNS) + " " + pick(r, LABEL_WORDS);
  }

  static String pick(SplittableRandom r, String[] values) {
    return values[r.nextInt(values.length)];
  }
}
