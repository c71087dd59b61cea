using Microsoft.Playwright;

namespace FleetMerge.Dashboard.Tests.Support;

/// <summary>
/// Debian's chromium (/usr/bin/chromium, installed by ops/test.sh) driven by Playwright's own
/// driver from its NuGet package; Playwright's browser download is never used.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>A laptop screen; <see cref="WideMonitor"/> for the wide screenshots.</summary>
    public static readonly ViewportSize Laptop = new() { Width = 1366, Height = 900 };
    public static readonly ViewportSize WideMonitor = new() { Width = 2560, Height = 1300 };

    private IPlaywright? playwright;
    private IBrowser? browser;

    public IBrowser Browser => browser ?? throw new InvalidOperationException("chromium did not start");

    public async Task StartAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium (ops/test.sh does: apt-get install -y chromium)");
        // Generous waits for a 2-core machine shared with the node: these are deadlines, not claims about speed.
        Assertions.SetDefaultExpectTimeout(60_000);
        playwright = await Playwright.CreateAsync();
        var args = new List<string>();
        if (Environment.UserName == "root") args.Add("--no-sandbox"); // chromium refuses to run as root with its sandbox
        browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ExecutablePath, Headless = true, Args = args });
    }

    /// <summary>A fresh browser context (its own sessionStorage, so its own login) and one page in it.</summary>
    public async Task<IPage> NewPageAsync(ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = viewport ?? Laptop, Locale = "en-GB", TimezoneId = "UTC" });
        context.SetDefaultTimeout(60_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
        playwright?.Dispose();
    }
}
