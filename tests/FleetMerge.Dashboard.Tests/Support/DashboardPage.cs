using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FleetMerge.Dashboard.Tests.Support;

/// <summary>A browser page on the node's dashboard, and the few moves every test makes (log in, go to a view, read a table).</summary>
public sealed class DashboardPage(IPage page, FleetNode node)
{
    public IPage Page => page;

    public static async Task<DashboardPage> OpenAsync(DashboardFixture dashboard, ViewportSize? viewport = null)
    {
        var page = await dashboard.Chromium.NewPageAsync(viewport);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        var shell = new DashboardPage(page, dashboard.Node) { ScriptErrors = errors };
        await page.GotoAsync(dashboard.Node.Api + "/");
        return shell;
    }

    /// <summary>Uncaught script errors of the page (a test asserts there were none).</summary>
    public IReadOnlyList<string> ScriptErrors { get; private init; } = [];

    public ILocator Heading => page.Locator("main h1:visible");

    public async Task LogInAsync(string? token = null)
    {
        await page.GetByLabel("API token").FillAsync(token ?? node.Token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    public async Task LogInAndSeeFleetAsync()
    {
        await LogInAsync();
        await Expect(Heading).ToHaveTextAsync("Fleet");
        await Expect(page.Locator(".live-status")).ToHaveAttributeAsync("data-live", "live");
    }

    /// <summary>A view by its link in the main navigation, as a user clicks it.</summary>
    public async Task NavigateAsync(string view)
    {
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = view }).ClickAsync();
        await Expect(Heading).ToHaveTextAsync(view);
    }

    public async Task GoAsync(string hash, string heading)
    {
        await page.EvaluateAsync("h => { location.hash = h; }", hash);
        await Expect(Heading).ToContainTextAsync(heading);
    }

    /// <summary>The rows of a table (by its caption) as the text of each cell, the row header first.</summary>
    public Task<string[][]> RowsAsync(string caption) =>
        page.EvaluateAsync<string[][]>(
            @"caption => {
                const table = [...document.querySelectorAll('table')].find(t => t.caption && t.caption.textContent.trim() === caption);
                if (!table) return [];
                return [...table.tBodies[0].rows].filter(r => !r.querySelector('td.empty'))
                  .map(r => [...r.cells].map(c => c.innerText.replace(/\s+/g, ' ').trim()));
              }", caption);

    /// <summary>The number a count card (data-count=KEY) shows.</summary>
    public async Task<int> CountAsync(string key) =>
        int.Parse(await page.Locator($"[data-count=\"{key}\"] dd").First.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
}
