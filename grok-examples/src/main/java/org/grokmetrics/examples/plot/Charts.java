package org.grokmetrics.examples.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.grokmetrics.examples.train.Phases;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws a run folder's charts from its {@code metrics.jsonl} and {@code rate_distortion.csv}. */
public final class Charts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Charts() {
    }

    /** One measurement as read back from metrics.jsonl. */
    record Point(long step, double trainAcc, double valAcc, double valLoss, double coarse, double spectral,
                 double mdl, double lmn, double l2, double effectiveRank, double naive, double totalDescription) {
    }

    /**
     * Reads metrics.jsonl of a run folder, strictly: every non-blank line one JSON object with an integral
     * {@code step} &ge; 0, every value a number or null (NaN is written as null).
     *
     * @throws NoSuchFileException      if the folder has no metrics.jsonl
     * @throws IOException              if it cannot be read
     * @throws IllegalArgumentException (one line naming the file, the line and the field) if it is empty, not
     *                                  UTF-8 text, or a line is not such a record
     */
    static List<Point> read(Path folder) throws IOException {
        Path f = folder.resolve("metrics.jsonl");
        if (!Files.exists(f)) {
            throw new NoSuchFileException(f.toString(), null, "not a run folder (no metrics.jsonl)");
        }
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException(f + ": not a file");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(f);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(f + ": not UTF-8 text");
        } catch (java.nio.file.FileSystemException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(f + ": " + e.getMessage(), e);
        }
        List<Point> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String where = f + " line " + (i + 1);
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new IllegalArgumentException(where + ": not JSON: "
                        + org.grokmetrics.examples.train.ConfigFiles.oneLine(e.getOriginalMessage()));
            }
            if (!n.isObject()) {
                throw new IllegalArgumentException(where + ": expected a JSON object (a measurement record)");
            }
            JsonNode step = n.get("step");
            if (step == null || !step.isIntegralNumber() || !step.canConvertToLong() || step.longValue() < 0) {
                throw new IllegalArgumentException(where + ": 'step' must be an integer >= 0, found "
                        + (step == null ? "nothing" : shorten(step)));
            }
            JsonNode e = n.get("estimates");
            if (e != null && !e.isNull() && !e.isObject()) {
                throw new IllegalArgumentException(where + ": 'estimates' must be an object, found " + shorten(e));
            }
            out.add(new Point(step.longValue(), num(n, "train_accuracy", where), num(n, "validation_accuracy", where),
                    num(n, "validation_loss", where), value(e, "coarse-grained", where),
                    value(e, "spectral-entropy", where), value(e, "pruning-mdl", where), value(e, "lmn", where),
                    detail(e, "lmn", "l2_norm", where), detail(e, "spectral-entropy", "effective_rank", where),
                    detail(e, "coarse-grained", "naive_bits", where),
                    detail(e, "coarse-grained", "total_description_length_bits", where)));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(f + ": no measurements (the file is empty): nothing to plot");
        }
        return out;
    }

    /** A field that must be a number or null (or absent): NaN for null and absent. */
    private static double num(JsonNode parent, String field, String where) {
        JsonNode v = parent == null ? null : parent.get(field);
        if (v == null || v.isNull()) {
            return Double.NaN;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException(where + ": '" + field + "' must be a number or null, found " + shorten(v));
        }
        return v.doubleValue();
    }

    private static JsonNode object(JsonNode parent, String field, String where) {
        JsonNode v = parent == null ? null : parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw new IllegalArgumentException(where + ": '" + field + "' must be an object, found " + shorten(v));
        }
        return v;
    }

    private static double value(JsonNode e, String name, String where) {
        return num(object(e, name, where), "value", where + ", estimate '" + name + "'");
    }

    private static double detail(JsonNode e, String name, String detail, String where) {
        String at = where + ", estimate '" + name + "'";
        return num(object(object(e, name, where), "details", at), detail, at + " details");
    }

    private static String shorten(JsonNode v) {
        String t = org.grokmetrics.examples.train.ConfigFiles.oneLine(v.toString());
        return (v.isTextual() ? "the string " : "") + (t.length() > 40 ? t.substring(0, 40) + "..." : t);
    }

    /**
     * Fails unless {@code out} can be written: its folder exists and is writable, and it is not a folder.
     *
     * @throws IllegalArgumentException one line naming the file and why
     */
    public static void requireWritable(Path out) {
        Path abs = out.toAbsolutePath();
        Path parent = abs.getParent();
        if (Files.isDirectory(abs)) {
            throw new IllegalArgumentException(out + ": is a folder, not a file to write");
        }
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException(out + ": cannot write: folder " + parent + " does not exist");
        }
        if (Files.exists(abs) ? !Files.isWritable(abs) : !Files.isWritable(parent)) {
            throw new IllegalArgumentException(out + ": cannot write: permission denied");
        }
    }

    /**
     * DeMoss et al.'s comparison: accuracies and coarse-grained complexity with the naive compressed size
     * (their Figures 1&ndash;3), effective rank (Figure 6), total description length H(D|&theta;&#770;) +
     * C(&theta;&#770;) and the compression gain naive / coarse-grained, one colour per condition, against
     * step (log axis).
     *
     * @param runs condition name &rarr; run folder, in legend order
     */
    public static Path compareConditions(String title, java.util.Map<String, Path> runs, Path out) throws IOException {
        Color[] palette = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189)};
        int w = 1000;
        XYChart acc = logChart(title + ": accuracy (solid: validation, open: train)", "accuracy", w, 330);
        XYChart bits = logChart("Coarse-grained complexity C(θ), ε = 1 (dashed: naive compressed size)", "bits", w, 330);
        bits.getStyler().setYAxisLogarithmic(true);
        XYChart rank = logChart("Effective rank (parameter-weighted)", "effective rank", w, 330);
        XYChart total = logChart("Total description length H(D|θ̂) + C(θ̂)", "bits", w, 330);
        total.getStyler().setYAxisLogarithmic(true);
        XYChart gain = logChart("Compression gain: naive size / coarse-grained complexity", "×", w, 330);
        int i = 0;
        for (var e : runs.entrySet()) {
            List<Point> pts = read(e.getValue());
            Color col = palette[i++ % palette.length];
            series(acc, e.getKey() + " validation", pts, Point::valAcc, col);
            series(acc, e.getKey() + " train", pts, Point::trainAcc, col);
            XYSeries t = acc.getSeries(e.getKey() + " train");
            if (t != null) {
                t.setMarker(SeriesMarkers.CIRCLE);
                t.setMarkerColor(Color.WHITE);
            }
            series(bits, e.getKey(), pts, Point::coarse, col);
            series(bits, e.getKey() + " naive", pts, Point::naive, col);
            XYSeries n = bits.getSeries(e.getKey() + " naive");
            if (n != null) {
                n.setLineStyle(new java.awt.BasicStroke(1f, java.awt.BasicStroke.CAP_BUTT,
                        java.awt.BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
                n.setMarker(SeriesMarkers.NONE);
            }
            series(rank, e.getKey(), pts, Point::effectiveRank, col);
            series(total, e.getKey(), pts, Point::totalDescription, col);
            series(gain, e.getKey(), pts, p -> p.naive() / p.coarse(), col);
        }
        return stack(out, w, acc, bits, rank, total, gain);
    }

    /** Draws every chart the folder's data allows; returns the files written. */
    public static List<Path> drawAll(Path folder) throws IOException {
        List<Point> pts = read(folder);
        List<Path> written = new ArrayList<>();
        written.add(curves(pts, folder.resolve("curves.png")));
        if (pts.stream().anyMatch(p -> Double.isFinite(p.lmn()))) {
            written.add(lmnVsTestLoss(pts, folder.resolve("lmn_vs_test_loss.png")));
        }
        Path rd = folder.resolve("rate_distortion.csv");
        if (Files.exists(rd)) {
            written.add(rateDistortion(rd, folder.resolve("rate_distortion.png")));
        }
        return written;
    }

    private static XYChart logChart(String title, String yTitle, int w, int h) {
        XYChart c = new XYChartBuilder().width(w).height(h).title(title).xAxisTitle("step").yAxisTitle(yTitle).build();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setMarkerSize(4);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        return c;
    }

    private static void series(XYChart c, String name, List<Point> pts, ToDoubleFunction<Point> f, Color color) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Point p : pts) {
            double v = f.applyAsDouble(p);
            if (p.step() >= 1 && Double.isFinite(v)) {
                x.add((double) p.step());
                y.add(v);
            }
        }
        if (x.isEmpty()) {
            return;
        }
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
        if (color != null) {
            s.setLineColor(color);
            s.setMarkerColor(color);
        }
    }

    /** Accuracy, coarse-grained bits, and all four measures relative to their peak, against step (log). */
    static Path curves(List<Point> pts, Path out) throws IOException {
        int w = 1000;
        XYChart acc = logChart("Accuracy", "accuracy", w, 330);
        series(acc, "train", pts, Point::trainAcc, new Color(31, 119, 180));
        series(acc, "validation", pts, Point::valAcc, new Color(255, 127, 14));
        XYChart bits = logChart("Coarse-grained complexity (rate-distortion bound)", "bits", w, 330);
        series(bits, "complexity C(θ)", pts, Point::coarse, new Color(44, 160, 44));
        XYChart rel = logChart("All four measures, relative to their peak", "value / peak", w, 330);
        addRelative(rel, "coarse-grained bits", pts, Point::coarse, new Color(44, 160, 44));
        addRelative(rel, "spectral entropy", pts, Point::spectral, new Color(148, 103, 189));
        addRelative(rel, "pruning MDL", pts, Point::mdl, new Color(140, 86, 75));
        addRelative(rel, "linear mapping number", pts, Point::lmn, new Color(214, 39, 40));
        Phases phases = phases(pts);
        shade(acc, phases, pts, 1);
        shade(rel, phases, pts, 1);
        if (pts.stream().noneMatch(p -> Double.isFinite(p.lmn()))) {
            return stack(out, w, acc, bits, rel);
        }
        XYChart lmn = logChart("Linear mapping number (shaded: generalizing phase, then finalizing)", "LMN", w, 330);
        series(lmn, "LMN", pts, Point::lmn, new Color(214, 39, 40));
        shade(lmn, phases, pts, pts.stream().mapToDouble(Point::lmn).filter(Double::isFinite).max().orElse(1));
        return stack(out, w, acc, bits, rel, lmn);
    }

    /** The LMN paper's phases of the measured points. */
    static Phases phases(List<Point> pts) {
        return Phases.of(pts.stream().mapToLong(Point::step).toArray(), pts.stream().mapToDouble(Point::trainAcc).toArray(),
                pts.stream().mapToDouble(Point::valAcc).toArray());
    }

    /**
     * Shades the generalizing phase (from 100% train to 100% test accuracy) and the finalizing phase as
     * translucent bands from 0 to {@code height}.
     */
    private static void shade(XYChart c, Phases phases, List<Point> pts, double height) {
        if (phases.memorized().isEmpty() || pts.isEmpty()) {
            return;
        }
        double end = pts.get(pts.size() - 1).step();
        double m = Math.max(1, phases.memorized().getAsLong());
        double g = phases.generalized().isPresent() ? phases.generalized().getAsLong() : end;
        band(c, "generalizing phase", m, g, height, new Color(255, 215, 0, 60));
        if (g < end) {
            band(c, "finalizing phase", g, end, height, new Color(135, 206, 235, 60));
        }
    }

    private static void band(XYChart c, String name, double from, double to, double height, Color color) {
        XYSeries s = c.addSeries(name, new double[] {from, to}, new double[] {height, height});
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        s.setFillColor(color);
        s.setLineColor(new Color(0, 0, 0, 0));
        s.setMarker(SeriesMarkers.NONE);
    }

    private static void addRelative(XYChart c, String name, List<Point> pts, ToDoubleFunction<Point> f, Color color) {
        double peak = pts.stream().filter(p -> p.step() >= 1).mapToDouble(f).filter(Double::isFinite).max().orElse(Double.NaN);
        if (!(peak > 0)) {
            return;
        }
        series(c, String.format(Locale.ROOT, "%s (peak %.4g)", name, peak), pts, p -> f.applyAsDouble(p) / peak, color);
    }

    /** LMN and L2 norm against validation (test) loss, with Pearson r, as in the LMN paper. */
    static Path lmnVsTestLoss(List<Point> pts, Path out) throws IOException {
        int w = 1000;
        XYChart lmn = scatter(pts, "LMN vs test loss", "linear mapping number", Point::lmn, new Color(214, 39, 40), w);
        XYChart l2 = scatter(pts, "L2 norm vs test loss", "L2 norm of parameters", Point::l2, new Color(31, 119, 180), w);
        return stack(out, w, lmn, l2);
    }

    private static XYChart scatter(List<Point> pts, String title, String yTitle, ToDoubleFunction<Point> f, Color color,
                                   int w) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Point p : pts) {
            if (Double.isFinite(p.valLoss()) && Double.isFinite(f.applyAsDouble(p))) {
                x.add(p.valLoss());
                y.add(f.applyAsDouble(p));
            }
        }
        String r = "";
        Phases phases = phases(pts);
        List<Point> gen = pts.stream().filter(p -> phases.phaseOf(p.step()) == Phases.Phase.GENERALIZING
                && Double.isFinite(p.valLoss()) && Double.isFinite(f.applyAsDouble(p))).toList();
        double[] gx = gen.stream().mapToDouble(Point::valLoss).toArray();
        double[] gy = gen.stream().mapToDouble(f).toArray();
        if (gx.length >= 3) {
            r = String.format(Locale.ROOT, " (generalizing phase, %d points: Pearson r = %.3f)", gx.length,
                    pearson(gx, gy));
        }
        XYChart c = new XYChartBuilder().width(w).height(380).title(title + r).xAxisTitle("test loss (nats)")
                .yAxisTitle(yTitle).build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendVisible(false);
        if (!x.isEmpty()) {
            c.addSeries(yTitle, x, y).setMarkerColor(color);
        }
        return c;
    }

    /** Pearson r, NaN if a series is constant. */
    public static double pearson(double[] x, double[] y) {
        return org.grokmetrics.mdl.Pearson.correlation(x, y);
    }

    /**
     * Description length against distortion for uniform bits, dense and at the chosen &tau;, from
     * {@code rate_distortion.csv} and the compressor's choice in {@code rate_distortion.json}.
     */
    static Path rateDistortion(Path csv, Path out) throws IOException {
        Path choice = csv.resolveSibling("rate_distortion.json");
        XYChart c = new XYChartBuilder().width(1000).height(420).title("Rate-distortion of the final weights")
                .xAxisTitle("train loss increase (nats)").yAxisTitle("description length (bits)").build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setYAxisLogarithmic(true);
        java.util.Map<String, List<double[]>> byTau = new java.util.LinkedHashMap<>();
        String chosen = "";
        if (Files.exists(choice)) {
            var j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(choice.toFile());
            chosen = String.format(Locale.ROOT, "chosen %.0f bits at tau %.3f (naive %.0f bits, epsilon %s)",
                    j.path("chosen_bits").asDouble(Double.NaN), j.path("chosen_tau").asDouble(Double.NaN),
                    j.path("naive_bits").asDouble(Double.NaN), j.path("epsilon").asText());
        }
        for (String line : Files.readAllLines(csv)) {
            if (line.startsWith("#")) {
                // run folders written before rate_distortion.json kept the choice in a comment row
                chosen = chosen.isEmpty() ? line.substring(1).trim() : chosen;
                continue;
            }
            if (line.startsWith("bits")) {
                continue;
            }
            String[] f = line.split(",");
            byTau.computeIfAbsent(f[1], k -> new ArrayList<>()).add(new double[] {Double.parseDouble(f[4]),
                Double.parseDouble(f[2])});
        }
        for (var e : byTau.entrySet()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (double[] p : e.getValue()) {
                if (Double.isFinite(p[0]) && p[1] > 0) {
                    x.add(Math.max(p[0], 0));
                    y.add(p[1]);
                }
            }
            if (!x.isEmpty()) {
                String name = Double.parseDouble(e.getKey()) >= 1 ? "quantization only (bits 2..10)"
                        : String.format(Locale.ROOT, "low rank at tau %.3f (bits 2..10)", Double.parseDouble(e.getKey()));
                c.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
            }
        }
        c.setTitle("Rate-distortion of the final weights");
        c.setXAxisTitle("train loss increase (nats); " + chosen);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        return stack(out, 1000, c);
    }

    private static Path stack(Path out, int w, XYChart... charts) throws IOException {
        int h = 0;
        for (XYChart c : charts) {
            h += c.getHeight();
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int y = 0;
        for (XYChart c : charts) {
            Graphics2D sub = (Graphics2D) g.create(0, y, w, c.getHeight());
            c.paint(sub, w, c.getHeight());
            sub.dispose();
            y += c.getHeight();
        }
        g.dispose();
        // encoded in memory, then written: a file that cannot be written is one IOException (ImageIO.write to a
        // File prints a stack trace of its own and returns false)
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        Files.write(out, png.toByteArray());
        return out;
    }
}
