package dev.listening.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** Small file-system chores through Hadoop's FileSystem, so local paths and gs:// work alike. */
public final class Storage {
  private final Configuration conf;

  public Storage(SparkSession spark) {
    this.conf = spark.sparkContext().hadoopConfiguration();
  }

  /** True when {@code uri} is a folder holding at least one data file (not _ or . files). */
  public boolean hasData(String uri) throws IOException {
    Path p = new Path(uri);
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p)) {
      return false;
    }
    var files = fs.listFiles(p, true);
    while (files.hasNext()) {
      String name = files.next().getPath().getName();
      if (!name.startsWith("_") && !name.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  public boolean exists(String uri) throws IOException {
    Path p = new Path(uri);
    return p.getFileSystem(conf).exists(p);
  }

  /** A small text file's content, or null when it does not exist. */
  public String read(String uri) throws IOException {
    Path p = new Path(uri);
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p)) {
      return null;
    }
    try (java.io.InputStream in = fs.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  public void delete(String uri) throws IOException {
    Path p = new Path(uri);
    p.getFileSystem(conf).delete(p, true);
  }

  public void write(String uri, String text) throws IOException {
    Path p = new Path(uri);
    try (OutputStream out = p.getFileSystem(conf).create(p, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
