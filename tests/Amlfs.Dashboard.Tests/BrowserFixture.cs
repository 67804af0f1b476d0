using Amlfs.Testing;
using Microsoft.Playwright;

namespace Amlfs.Dashboard.Tests;

/// <summary>
/// One real server and one headless Chromium for a test class: the browser is Debian's, driven by Playwright, and each
/// test opens its own page (a fresh context, so nothing of the language or storage carries over).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public RunningServer Server { get; private set; } = null!;

    /// <summary>Where the screenshots of each page go: <c>screenshots/</c> in the test's output directory.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        Server = await RunningServer.StartAsync();
        if (!File.Exists(ChromiumPath))
            return; // the tests are skipped (or, in CI, fail on the missing browser)
        Directory.CreateDirectory(ScreenshotDirectory);
        // Every expectation waits up to 20 s: the machine is small and CI runs other test assemblies beside these.
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = Arguments,
        });
    }

    /// <summary>
    /// A new browser context (its own storage) at 1400×1000, with <paramref name="locale"/> as the browser's language,
    /// on the fixture's server or the one at <paramref name="address"/>.
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(string locale = "en-US", Uri? address = null)
    {
        if (Browser is null)
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium (apt-get install -y chromium)");
        return await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (address ?? Server.Address).ToString(),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        });
    }

    /// <summary>Saves a full-page screenshot as <c>screenshots/NAME.png</c>; returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Server.DisposeAsync();
    }
}
