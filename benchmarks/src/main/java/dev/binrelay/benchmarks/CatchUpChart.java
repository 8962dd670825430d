package dev.binrelay.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** A PNG per durability setting: catch-up rate by worker count, one line per binrelay scheduler and one for native. */
final class CatchUpChart {

    private CatchUpChart() {
    }

    /** Writes {@code catchup-<durability>.png} into {@code folder} for each durability with runs; returns the files. */
    static List<Path> write(List<BenchResults.CatchUp> runs, String workload, Path folder) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Path> written = new java.util.ArrayList<>();
        for (Durability durability : Durability.values()) {
            Map<String, TreeMap<Integer, Double>> series = new LinkedHashMap<>();
            for (BenchResults.CatchUp run : runs) {
                if (run.durability().equals(durability.configName()) && run.status().equals(BenchResults.OK)) {
                    String name = run.replica().equals("native") ? "native (LOGICAL_CLOCK)" : "binrelay "
                            + run.scheduler();
                    series.computeIfAbsent(name, n -> new TreeMap<>()).put(run.workers(), run.txPerSecond());
                }
            }
            if (series.isEmpty()) {
                continue;
            }
            XYChart chart = new XYChartBuilder().width(900).height(560).title("Catch-up, " + workload + ", "
                    + durability.configName() + " targets").xAxisTitle("workers").yAxisTitle("transactions/s").build();
            chart.getStyler().setMarkerSize(8);
            for (Map.Entry<String, TreeMap<Integer, Double>> line : series.entrySet()) {
                double[] x = line.getValue().keySet().stream().mapToDouble(Integer::doubleValue).toArray();
                double[] y = line.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
                chart.addSeries(line.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
            }
            Path file = folder.resolve("catchup-" + durability.configName() + ".png");
            String withoutExtension = file.toString().substring(0, file.toString().length() - ".png".length());
            BitmapEncoder.saveBitmap(chart, withoutExtension, BitmapEncoder.BitmapFormat.PNG);
            written.add(file);
        }
        return written;
    }
}
