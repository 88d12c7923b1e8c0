package org.pvlifecycle.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Latency percentiles against offered load, for the command path and the stream, as one PNG. */
final class LatencyPlot {
    private LatencyPlot() {
    }

    @SuppressWarnings("unchecked")
    static void write(Path png, Map<String, Object> results) throws Exception {
        XYChart chart = new XYChartBuilder().width(900).height(540)
                .title("Latency against offered load (2 cores, the whole stack)")
                .xAxisTitle("offered load (requests/s)").yAxisTitle("latency (ms, log scale)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        add(chart, "POST revision", (List<Map<String, Object>>) results.get("commands.latencyByOfferedLoad"));
        add(chart, "objection → eligibility-changed on the stream",
                (List<Map<String, Object>>) results.get("stream.latencyByOfferedLoad"));
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void add(XYChart chart, String name, List<Map<String, Object>> points) {
        if (points == null || points.isEmpty()) {
            return;
        }
        for (String percentile : List.of("p50Ms", "p99Ms")) {
            double[] x = points.stream().mapToDouble(p -> ((Number) p.get("offeredPerSecond")).doubleValue()).toArray();
            double[] y = points.stream().mapToDouble(p -> Math.max(0.1, ((Number) p.get(percentile)).doubleValue()))
                    .toArray();
            XYSeries series = chart.addSeries(name + " " + percentile.replace("Ms", ""), x, y);
            series.setMarker(SeriesMarkers.CIRCLE);
        }
    }
}
