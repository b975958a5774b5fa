package org.grokmetrics.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The native platform is chosen at build time, by the parent pom's OS-activated {@code platform-*}
 * profiles, and {@link NativePlatform} holds the same mapping: for the {@code os.name}/{@code os.arch}
 * pairs real JVMs report, exactly one profile activates (evaluated here with Maven's rules for
 * {@code <name>}, {@code <family>} and {@code <arch>}) and it sets the classifiers {@link NativePlatform}
 * gives. The launcher and the distribution's scripts name no classifier.
 */
class PlatformProfilesTest {

    record Profile(String id, String name, String family, String arch, String javacpp, String pytorch) {
        boolean activeOn(String osName, String osArch) {
            String os = osName.toLowerCase(Locale.ROOT);
            boolean nameOk = name == null || os.equals(name.toLowerCase(Locale.ROOT));
            boolean familyOk = family == null || switch (family) {
                case "mac" -> os.contains("mac");
                case "windows" -> os.contains("windows");
                default -> throw new AssertionError("family not modelled by this test: " + family);
            };
            boolean archOk = arch == null || osArch.equalsIgnoreCase(arch);
            return nameOk && familyOk && archOk;
        }
    }

    static List<Profile> platformProfiles() throws Exception {
        return platformProfiles(Path.of("..", "pom.xml"));
    }

    static List<Profile> platformProfiles(Path pom) throws Exception {
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        NodeList profiles = doc.getElementsByTagName("profile");
        List<Profile> out = new ArrayList<>();
        for (int i = 0; i < profiles.getLength(); i++) {
            Element p = (Element) profiles.item(i);
            String id = text(p, "id");
            if (id != null && id.startsWith("platform-")) {
                out.add(new Profile(id, text(p, "name"), text(p, "family"), text(p, "arch"),
                        text(p, "javacpp.platform"), text(p, "pytorch.platform")));
            }
        }
        return out;
    }

    private static String text(Element e, String tag) {
        NodeList l = e.getElementsByTagName(tag);
        for (int i = 0; i < l.getLength(); i++) {
            Node n = l.item(i);
            if (n.getParentNode() != null) {
                return n.getTextContent().trim();
            }
        }
        return null;
    }

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource({
        "Linux, amd64, linux-x86_64, linux-x86_64",
        "Linux, aarch64, linux-arm64, linux-aarch64",
        "Mac OS X, x86_64, macosx-x86_64, none",
        "Mac OS X, aarch64, macosx-arm64, osx-aarch64",
        "Windows 11, amd64, windows-x86_64, win-x86_64",
        "Windows Server 2022, amd64, windows-x86_64, win-x86_64",
    })
    void oneProfileActivatesAndAgreesWithNativePlatform(String osName, String osArch, String javacpp, String pytorch)
            throws Exception {
        List<Profile> active = platformProfiles().stream().filter(p -> p.activeOn(osName, osArch)).toList();
        assertEquals(1, active.size(), "profiles active on " + osName + "/" + osArch + ": " + active);
        Profile p = active.get(0);
        assertEquals(javacpp, p.javacpp(), p.id());
        assertEquals(pytorch, p.pytorch(), p.id());
        NativePlatform np = NativePlatform.of(osName, osArch).orElseThrow();
        assertEquals(javacpp, np.javacpp());
        assertEquals(pytorch, np.pytorch().orElse("none"));
    }

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource({"Linux, ppc64le", "Linux, arm", "Windows 11, aarch64", "FreeBSD, amd64", "SunOS, sparcv9"})
    void noNativesElsewhere(String osName, String osArch) throws Exception {
        assertTrue(platformProfiles().stream().noneMatch(p -> p.activeOn(osName, osArch)), osName + "/" + osArch);
        assertEquals(Optional.empty(), NativePlatform.of(osName, osArch));
    }

    @Test
    void theConsumerTestsChooseTheSamePlatforms() throws Exception {
        // grok-metrics-it does not inherit the parent (it is shaped like a user's build): same five profiles
        assertEquals(platformProfiles(), platformProfiles(Path.of("..", "grok-metrics-it", "pom.xml")));
    }

    @Test
    void thisBuildResolvedTheNativesOfThisMachine() {
        assertEquals(NativePlatform.current().orElseThrow(), GrokVersion.builtFor());
    }

    @Test
    void launchersNameNoClassifier() throws Exception {
        List<Path> scripts = List.of(Path.of("..", "grok"), Path.of("src", "main", "dist", "bin", "grok"),
                Path.of("src", "main", "dist", "bin", "grok.bat"));
        for (Path script : scripts) {
            String text = Files.readString(script);
            for (Profile p : platformProfiles()) {
                assertFalse(text.contains(p.javacpp()), script + " names " + p.javacpp());
                assertFalse(p.pytorch() != null && !p.pytorch().equals("none") && text.contains(p.pytorch()),
                        script + " names " + p.pytorch());
            }
            assertFalse(text.contains(GrokVersion.version()), script + " names the version");
        }
    }
}
