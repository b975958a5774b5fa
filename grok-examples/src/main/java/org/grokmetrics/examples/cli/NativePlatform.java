package org.grokmetrics.examples.cli;

import java.util.Locale;
import java.util.Optional;

/**
 * The native platform of ND4J (JavaCPP's classifier names) and PyTorch (DJL's) for an operating system
 * and architecture: the mapping the parent pom's {@code platform-*} profiles apply at build time, here so
 * that {@code grok --version} can tell which platform a distribution was built for and whether it matches
 * the machine it runs on. {@code PlatformProfilesTest} checks that both agree.
 *
 * @param javacpp the ND4J / JavaCPP classifier, e.g. {@code linux-x86_64}, {@code macosx-arm64}
 * @param pytorch the DJL PyTorch classifier, e.g. {@code osx-aarch64}; empty where PyTorch 2.7.1 ships no
 *                native library (macOS x86_64)
 */
public record NativePlatform(String javacpp, Optional<String> pytorch) {

    /**
     * The platform for the JVM's {@code os.name} and {@code os.arch}, or empty where neither ND4J nor
     * PyTorch ship natives.
     *
     * @param osName the JVM's {@code os.name}, e.g. {@code Linux}, {@code Mac OS X}, {@code Windows 11}
     * @param osArch the JVM's {@code os.arch}, e.g. {@code amd64}, {@code x86_64}, {@code aarch64}
     * @return the platform, or empty if unsupported
     */
    public static Optional<NativePlatform> of(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> "";
        };
        if (os.startsWith("linux")) {
            return switch (arch) {
                case "x86_64" -> Optional.of(new NativePlatform("linux-x86_64", Optional.of("linux-x86_64")));
                case "aarch64" -> Optional.of(new NativePlatform("linux-arm64", Optional.of("linux-aarch64")));
                default -> Optional.empty();
            };
        }
        if (os.contains("mac")) {
            return switch (arch) {
                case "x86_64" -> Optional.of(new NativePlatform("macosx-x86_64", Optional.empty()));
                case "aarch64" -> Optional.of(new NativePlatform("macosx-arm64", Optional.of("osx-aarch64")));
                default -> Optional.empty();
            };
        }
        if (os.startsWith("windows") && arch.equals("x86_64")) {
            return Optional.of(new NativePlatform("windows-x86_64", Optional.of("win-x86_64")));
        }
        return Optional.empty();
    }

    /**
     * The platform of the running JVM.
     *
     * @return the platform, or empty if unsupported
     */
    public static Optional<NativePlatform> current() {
        return of(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /**
     * One line: {@code ND4J linux-x86_64, PyTorch linux-x86_64} (PyTorch {@code none} where absent).
     *
     * @return the description
     */
    public String describe() {
        return "ND4J " + javacpp + ", PyTorch " + pytorch.orElse("none");
    }
}
