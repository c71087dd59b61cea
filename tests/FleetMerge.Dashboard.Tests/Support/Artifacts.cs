using Microsoft.Playwright;
using Xunit.Abstractions;

namespace FleetMerge.Dashboard.Tests.Support;

/// <summary>Screenshots of the views, as test artefacts: bin/&lt;config&gt;/net10.0/artifacts/NAME.png, each path printed.</summary>
public static class Artifacts
{
    public static string Directory { get; } = System.IO.Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;

    public static async Task<string> ScreenshotAsync(IPage page, string name, ITestOutputHelper output)
    {
        string path = Path.Combine(Directory, $"{name}.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
        return path;
    }
}
