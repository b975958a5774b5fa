package org.grokmetrics.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import picocli.CommandLine;

/**
 * What {@code grok --version} prints: the build's {@code project.version} and the native platform it
 * resolved ND4J's and PyTorch's natives for, written into {@code version.properties} by Maven's resource
 * filtering (the one place the version is taken from; the launcher and the distribution's scripts never
 * name it), and whether that platform matches the machine it runs on.
 */
public final class GrokVersion implements CommandLine.IVersionProvider {

    private static final String RESOURCE = "version.properties";

    /**
     * The version of this build.
     *
     * @return e.g. {@code 0.1.0-SNAPSHOT}
     */
    public static String version() {
        return property("version");
    }

    /**
     * The native platform this build resolved ND4J's and PyTorch's native jars for.
     *
     * @return the platform of the build
     */
    public static NativePlatform builtFor() {
        String pytorch = property("pytorch.platform");
        return new NativePlatform(property("javacpp.platform"),
                pytorch.equals("none") ? Optional.empty() : Optional.of(pytorch));
    }

    private static String property(String key) {
        Properties props = new Properties();
        try (InputStream in = GrokVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath (not built by Maven?)");
            }
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String value = props.getProperty(key, "");
        if (value.isBlank() || value.contains("${")) {
            throw new IllegalStateException(RESOURCE + " was not filtered by the build: " + key + "=" + value);
        }
        return value;
    }

    @Override
    public String[] getVersion() {
        List<String> lines = new ArrayList<>();
        lines.add("grok-metrics " + version());
        NativePlatform built = builtFor();
        lines.add("natives: " + built.describe());
        Optional<NativePlatform> here = NativePlatform.current();
        if (here.isEmpty()) {
            lines.add("this machine (" + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                    + ") has no ND4J or PyTorch natives: only inspect and plot work");
        } else if (!here.get().equals(built)) {
            lines.add("this machine needs " + here.get().describe() + ": rebuild on it (or -Djavacpp.platform="
                    + here.get().javacpp() + " -Dpytorch.platform=" + here.get().pytorch().orElse("none")
                    + "); inspect and plot work without natives");
        }
        return lines.toArray(String[]::new);
    }
}
