package org.grokmetrics.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * What a consumer's classpath must hold for grok-metrics (and DJL) to work, checked on the classpath the
 * test runs with, i.e. the one Maven resolved for a user's build. Every check throws {@link AssertionError}
 * naming the jar it found. Uses the JDK only and names the libraries' classes by string, so this module
 * adds nothing but JUnit's API to a consumer's (test) dependency tree.
 */
public final class ClasspathChecks {

    /**
     * commons-compress 1.27.1 (grok-metrics-api's bzip2) calls {@code BoundedInputStream.builder()},
     * new in commons-io 2.16.0; DL4J 1.0.0-M2.1 asks for commons-io 2.7.
     */
    public static final String COMMONS_IO_MINIMUM = "2.16.0";

    /**
     * DJL 0.35.1's {@code ai.djl:api} asks for gson 2.13.1 (its safetensors decoder calls
     * {@code JsonObject.keySet()}, new in 2.8.1); DL4J 1.0.0-M2.1 asks for gson 2.8.0 (CVE-2022-25647,
     * fixed in 2.8.9).
     */
    public static final String GSON_MINIMUM = "2.13.1";

    private ClasspathChecks() {
    }

    /** commons-io at {@link #COMMONS_IO_MINIMUM} or newer, with the method commons-compress's bzip2 calls. */
    public static String assertCommonsIoForCommonsCompress() {
        String v = assertAtLeast("org.apache.commons.io.IOUtils", "commons-io", "commons-io", COMMONS_IO_MINIMUM);
        assertHasMethod("org.apache.commons.io.input.BoundedInputStream", "builder");
        return v;
    }

    /** gson at {@link #GSON_MINIMUM} or newer, with the method DJL's safetensors decoder calls. */
    public static String assertGsonForDjl() {
        String v = assertAtLeast("com.google.gson.Gson", "com.google.code.gson", "gson", GSON_MINIMUM);
        assertHasMethod("com.google.gson.JsonObject", "keySet");
        return v;
    }

    /**
     * The version of the jar that holds {@code className} (from its {@code META-INF/maven/.../pom.properties}),
     * failing if it is older than {@code minimum}.
     */
    public static String assertAtLeast(String className, String groupId, String artifactId, String minimum) {
        Path jar = jarOf(className);
        String v = version(jar, groupId, artifactId);
        if (compareVersions(v, minimum) < 0) {
            throw new AssertionError(groupId + ":" + artifactId + " " + v + " is on the classpath (" + jar
                    + "), but " + minimum + " or newer is needed");
        }
        return v;
    }

    /**
     * grok-metrics-api's bzip2 codec (commons-compress) compresses and decompresses float32-like bytes. Called
     * by reflection so that this module needs no grok-metrics dependency; an {@link Error} such as the
     * {@code NoSuchMethodError} of an old commons-io comes out as it is.
     */
    public static void assertBzip2RoundTrips() {
        SplittableRandom r = new SplittableRandom(19);
        byte[] data = new byte[64 * 1024];
        for (int i = 0; i < data.length; i += 4) {
            int bits = Float.floatToIntBits((float) (r.nextGaussian() * 0.02));
            data[i] = (byte) bits;
            data[i + 1] = (byte) (bits >>> 8);
            data[i + 2] = (byte) (bits >>> 16);
            data[i + 3] = (byte) (bits >>> 24);
        }
        Class<?> codec = load("org.grokmetrics.codec.Codec");
        Object bzip2 = call(load("org.grokmetrics.codec.Codecs"), "bzip2", null);
        byte[] packed = (byte[]) call(codec, "compress", bzip2, data);
        if (packed.length == 0 || !Arrays.equals(data, (byte[]) call(codec, "decompress", bzip2, packed))) {
            throw new AssertionError("bzip2 did not round-trip " + data.length + " bytes");
        }
    }

    private static Object call(Class<?> type, String method, Object target, byte[]... args) {
        try {
            Method m = args.length == 0 ? type.getMethod(method) : type.getMethod(method, byte[].class);
            return m.invoke(target, (Object[]) args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(type.getName() + "." + method + " cannot be called", e);
        }
    }

    /** Compares dotted numeric versions ("2.16.1" vs "2.7"); a non-numeric suffix of a part is ignored. */
    public static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(i < x.length ? leadingNumber(x[i]) : 0, i < y.length ? leadingNumber(y[i]) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int leadingNumber(String part) {
        int end = 0;
        while (end < part.length() && Character.isDigit(part.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(part.substring(0, end));
    }

    private static void assertHasMethod(String className, String method) {
        Class<?> c = load(className);
        if (Arrays.stream(c.getMethods()).noneMatch(m -> m.getName().equals(method))) {
            throw new AssertionError(className + " in " + jarOf(className) + " has no method " + method + "()");
        }
    }

    private static Class<?> load(String className) {
        try {
            return Class.forName(className, false, ClasspathChecks.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(className + " is not on the classpath", e);
        }
    }

    /** The jar (or folder) the class was loaded from. */
    public static Path jarOf(String className) {
        try {
            return Path.of(load(className).getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String version(Path jar, String groupId, String artifactId) {
        String entry = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        Properties p = new Properties();
        try {
            if (Files.isDirectory(jar)) {
                try (InputStream in = Files.newInputStream(jar.resolve(entry))) {
                    p.load(in);
                }
            } else {
                try (JarFile f = new JarFile(jar.toFile())) {
                    ZipEntry e = f.getEntry(entry);
                    if (e == null) {
                        throw new AssertionError(jar + " has no " + entry);
                    }
                    try (InputStream in = f.getInputStream(e)) {
                        p.load(in);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }
}
