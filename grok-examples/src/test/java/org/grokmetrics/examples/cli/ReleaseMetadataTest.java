package org.grokmetrics.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import picocli.CommandLine;

/**
 * One version, taken from the build: {@code grok --version} prints the parent pom's version, and the
 * poms that do not inherit it (the BOM, the consumer tests) carry the same one. The poms that the
 * modules inherit from name the licence, url, scm and developers Maven Central requires.
 */
class ReleaseMetadataTest {

    static Element project(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
    }

    static String child(Element e, String tag) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(tag)) {
                return c.getTextContent().trim();
            }
        }
        return null;
    }

    @Test
    void versionComesFromTheBuild() throws Exception {
        String parent = child(project(Path.of("..", "pom.xml")), "version");
        assertEquals(parent, GrokVersion.version());
        StringWriter out = new StringWriter();
        CommandLine cl = GrokCli.commandLine();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("--version"));
        assertEquals("grok-metrics " + parent, out.toString().lines().findFirst().orElseThrow());
        for (String pom : List.of("grok-metrics-bom/pom.xml", "grok-metrics-it/pom.xml")) {
            assertEquals(parent, child(project(Path.of("..", pom)), "version"), pom);
        }
    }

    @Test
    void readmeShowsTheBuildsVersion() throws Exception {
        String version = GrokVersion.version();
        String readme = Files.readString(Path.of("..", "README.md"));
        var xml = java.util.regex.Pattern.compile(
                "<artifactId>grok-metrics-[a-z0-9]+</artifactId>[^\\n]*\\n\\s*<version>([^<]+)</version>").matcher(readme);
        var gradle = java.util.regex.Pattern.compile("org\\.grokmetrics:grok-metrics-[a-z0-9]+:([^\"\\s)]+)").matcher(readme);
        int seen = 0;
        while (xml.find()) {
            assertEquals(version, xml.group(1), "README: " + xml.group());
            seen++;
        }
        while (gradle.find()) {
            assertEquals(version, gradle.group(1), "README: " + gradle.group());
            seen++;
        }
        assertTrue(seen >= 2, "README shows coordinates with a version");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pom.xml", "grok-metrics-bom/pom.xml", "grok-metrics-it/pom.xml"})
    void centralMetadata(String pom) throws Exception {
        Element p = project(Path.of("..", pom));
        for (String tag : List.of("name", "description", "url", "licenses", "developers", "scm")) {
            String value = child(p, tag);
            assertTrue(value != null && !value.isBlank(), pom + " lacks <" + tag + ">");
        }
        assertTrue(child(p, "licenses").contains("Apache-2.0"), pom);
    }

    @Test
    void licenceFilesExist() throws Exception {
        assertTrue(Files.readString(Path.of("..", "LICENSE")).contains("Apache License"));
        assertTrue(Files.readString(Path.of("..", "NOTICE")).contains("grok-metrics"));
    }
}
