import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A step of the distribution's build (exec-maven-plugin, see pom.xml), run as a source file:
 *
 * <pre>java StripSignatures.java LIB CLASSPATH PLUGINS OWN_CLASSES</pre>
 *
 * copies each jar of {@code CLASSPATH} (the runner and its runtime dependencies; the module's own
 * {@code OWN_CLASSES} folder, which Maven puts first, is left out) into the folder
 * {@code LIB}, and rewrites each jar in {@code PLUGINS/<id>/lib/} in place, in both cases without jar
 * signature files ({@code META-INF/*.SF}, {@code .RSA}, {@code .DSA}, {@code .EC}). Every class of a
 * signed jar (JGit's are signed) is checked against the signature each time it is loaded, and the
 * class-data archive leaves signed jars out: ~0.3 s and 33 MB of each start (bench/RESULTS.md). The
 * classes are the ones Maven resolved and checked; only the signature files are left out.
 */
public final class StripSignatures {

    private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)", Pattern.CASE_INSENSITIVE);

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: java StripSignatures.java LIB CLASSPATH PLUGINS OWN_CLASSES");
        }
        Path lib = Files.createDirectories(Path.of(args[0]));
        for (String entry : args[1].split(java.io.File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (jar.equals(Path.of(args[3]))) {
                continue;
            }
            if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
                throw new IllegalArgumentException(jar + " is on the runner's class path but is not a jar; package the module first");
            }
            if (copy(jar, lib.resolve(jar.getFileName()))) {
                System.out.println("signature files left out of " + lib.resolve(jar.getFileName()));
            }
        }
        List<Path> pluginJars;
        try (Stream<Path> s = Files.walk(Path.of(args[2]), 3)) { // PLUGINS/<id>/lib/<jar>
            pluginJars = s.filter(p -> p.toString().endsWith(".jar") && p.getParent().getFileName().toString().equals("lib"))
                    .sorted().toList();
        }
        for (Path jar : pluginJars) {
            Path unsigned = jar.resolveSibling(jar.getFileName() + ".tmp");
            if (copy(jar, unsigned)) {
                Files.move(unsigned, jar, StandardCopyOption.REPLACE_EXISTING);
                System.out.println("signature files left out of " + jar);
            } else {
                Files.delete(unsigned);
            }
        }
    }

    /** Copies {@code from} to {@code to} without signature files; true when it had some. */
    private static boolean copy(Path from, Path to) throws IOException {
        try (ZipFile zip = new ZipFile(from.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(zip.entries());
            if (entries.stream().noneMatch(e -> SIGNATURE.matcher(e.getName()).matches())) {
                Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
                return false;
            }
            try (OutputStream file = Files.newOutputStream(to); ZipOutputStream out = new ZipOutputStream(file)) {
                for (ZipEntry e : entries) {
                    if (SIGNATURE.matcher(e.getName()).matches()) {
                        continue;
                    }
                    ZipEntry copy = new ZipEntry(e.getName());
                    copy.setTime(e.getTime());
                    if (e.getMethod() == ZipEntry.STORED) {
                        copy.setMethod(ZipEntry.STORED);
                        copy.setSize(e.getSize());
                        copy.setCompressedSize(e.getSize());
                        copy.setCrc(e.getCrc());
                    }
                    out.putNextEntry(copy);
                    try (InputStream in = zip.getInputStream(e)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
            return true;
        }
    }
}
