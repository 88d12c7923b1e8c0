package org.pvlifecycle.testkit;

import static io.restassured.RestAssured.given;

/** The service under test's Prometheus figures, as {@code /q/metrics} shows them. */
public final class Metrics {
    private Metrics() {
    }

    /**
     * The value of one series, named with its labels as the page writes them
     * ({@code pvl_stream_log_reads_total{reader="catch-up"}}); 0 while the series is not there yet.
     */
    public static double metric(String series) {
        for (String line : given().get("/q/metrics").then().statusCode(200).extract().asString().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }
}
