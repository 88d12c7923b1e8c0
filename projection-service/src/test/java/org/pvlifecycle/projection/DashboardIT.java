package org.pvlifecycle.projection;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.pvlifecycle.events.DecisionKind;
import org.pvlifecycle.events.ProposalSubmitted;
import org.pvlifecycle.events.Stage;
import org.pvlifecycle.events.StageAdvanced;
import org.pvlifecycle.testkit.PvlTestResources;
import org.pvlifecycle.testkit.TestTokens;
import org.pvlifecycle.testkit.TopicProbe;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver, which
 * {@code .ci/run} installs): it loads without console errors, shows a proposal in its stage
 * column, and moves the card when {@code stage-advanced} is published, without a reload.
 * The screenshot is kept as {@code target/dashboard.png}.
 */
@QuarkusTest
@QuarkusTestResource(PvlTestResources.DatabaseThroughRelay.class)
class DashboardIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static WebDriver browser;

    @TestHTTPResource("/")
    URI base;

    @BeforeAll
    static void startBrowser() throws Exception {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI must install Debian's chromium and chromium-driver (see .ci/run)");
        }
        assumeTrue(installed, "Debian's chromium and chromium-driver are not installed here");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,900",
                "--user-data-dir=" + Files.createTempDirectory("pvl-chromium"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void showsAProposalInItsColumnAndMovesItLiveWhenItAdvances() throws Exception {
        String id = ProjectionIT.lived("pv-" + UUID.randomUUID().toString().substring(0, 8));
        // Two hundred proposals listed before it (the list is by id): it is on the list's second page.
        String before = "a0-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        for (int i = 0; i < 200; i++) {
            TopicProbe.publish(new ProposalSubmitted(before + i, "Listed first " + i, "s", "alice",
                    List.of("linux-frontend"), 1, "# ABI", List.of(), List.of()), "alice");
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> ProjectionIT.get("/proposals?size=200&q=" + before)
                .getList("items").size() == 200);
        // lived() leaves it in PROTOTYPE; it moves on to PRODUCTION while the page is open.
        browser.get(base + "#token=" + TestTokens.raw("xen-czar", "czar"));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        By card = By.cssSelector("[data-proposal='" + id + "']");
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-stage='PROTOTYPE'] [data-proposal='" + id + "']")));
        wait.until(ExpectedConditions.textToBe(By.id("status"), "live"));
        assertThat(browser.findElement(card).getText()).contains("No review");

        TopicProbe.publish(new StageAdvanced(id, Stage.PROTOTYPE, Stage.PRODUCTION, UUID.randomUUID().toString(),
                DecisionKind.CZAR, "xen-czar", false, "ready"), "proposal-service");
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-stage='PRODUCTION'] [data-proposal='" + id + "']")));
        assertThat(browser.findElements(By.cssSelector("[data-stage='PROTOTYPE'] [data-proposal='" + id + "']"))).isEmpty();

        browser.findElement(card).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail"), "stage-advanced"));
        // The ack that came from the list links to its message in the archive.
        var mail = browser.findElement(By.cssSelector("#detail a[data-message-id='" + id + ".ack@example.org']"));
        assertThat(mail.getAttribute("href")).endsWith("/r/" + id + ".ack%40example.org");
        assertThat(mail.getText()).isEqualTo("<" + id + ".ack@example.org>");

        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("console errors").isEmpty();
    }
}
