package io.vela.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vela.bench.cli.BenchResult;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlReportTest {

    @Test
    void thePageIsWellFormedSelfContainedAndShowsEverySuiteSubjectAndChart(@TempDir Path dir) throws Exception {
        List<BenchResult> rows = ResultsJson.read(ComparisonTest.fixture("run-a.json"));
        Path page = dir.resolve("report.html");
        HtmlReport.write(page, rows, RunInfo.current());
        String html = Files.readString(page, StandardCharsets.UTF_8);

        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        String text = doc.getDocumentElement().getTextContent();

        assertThat(html).doesNotContainPattern("(?i)https?://").doesNotContain("<script").doesNotContain("<link");
        Set<String> suites = rows.stream().map(BenchResult::suite).collect(Collectors.toSet());
        suites.forEach(s -> assertThat(doc.getElementById("suite-" + s) != null || html.contains("id=\"suite-" + s))
                .as("section of suite %s", s).isTrue());
        rows.stream().map(BenchResult::subject).distinct()
                .forEach(s -> assertThat(text).as("subject %s", s).contains(s));
        assertThat(text).contains("cores available", System.getProperty("java.version"), "round trip");

        NodeList imgs = doc.getElementsByTagName("img");
        List<String> alts = new ArrayList<>();
        for (int i = 0; i < imgs.getLength(); i++) {
            Element img = (Element) imgs.item(i);
            alts.add(img.getAttribute("alt"));
            String src = img.getAttribute("src");
            assertThat(src).startsWith("data:image/png;base64,");
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(
                    Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1))));
            assertThat(image).as("image %s decodes", img.getAttribute("alt")).isNotNull();
            assertThat(image.getWidth()).isEqualTo(Charts.WIDTH);
        }
        // throughput bars: executor, events, http, strategies; percentile curves: every case with a distribution
        long curves = rows.stream().filter(r -> r.metric().startsWith("dist_p"))
                .map(r -> r.suite() + "/" + r.caseName()).distinct().count();
        assertThat(alts).filteredOn(a -> a.endsWith("latency by percentile")).hasSize((int) curves);
        assertThat(alts).filteredOn(a -> a.endsWith("ops_per_sec") || a.endsWith("req_per_sec"))
                .hasSize(4);
        assertThat(alts).anyMatch(a -> a.startsWith("wait-strategy trade-off"));
        assertThat(html).as("the strategy table: a row per component and strategy").contains("poisson-medium @50,000/s");
    }

    @Test
    void ratiosAreToEachPeerInTheSameCaseAndMetric() {
        List<BenchResult> rows = List.of(
                new BenchResult("s", "c", "vela", "ops_per_sec", 300),
                new BenchResult("s", "c", "peer", "ops_per_sec", 100),
                new BenchResult("s", "other", "peer", "ops_per_sec", 7));
        String html = HtmlReport.render(rows, new RunInfo(Map.of("host", "<b>&")));
        assertThat(html).contains("3.00x", "0.33x").doesNotContain("<b>&").contains("&lt;b&gt;&amp;");
        assertThat(html).contains("did not run");
    }
}
