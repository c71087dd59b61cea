using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FleetMerge.Dashboard.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace FleetMerge.Dashboard.Tests;

/// <summary>Policies from the page: add one, see its schedule and next run as the API has them, run it now, commit its snapshots, remove it.</summary>
[Collection(DashboardCollection.Name)]
public sealed class PolicyTests(DashboardFixture dashboard, ITestOutputHelper output)
{
    private FleetNode Node => dashboard.Node;

    [Fact]
    public async Task A_policy_added_run_now_and_removed_from_the_page_as_the_api_then_says()
    {
        await Node.EveryHostIdleWithItsOriginOnlyAsync();
        var shell = await DashboardPage.OpenAsync(dashboard);
        var page = shell.Page;
        await shell.LogInAndSeeFleetAsync();
        await shell.NavigateAsync("Policies");
        await Expect(page.Locator(".live-status")).ToHaveAttributeAsync("data-live", "live");

        // A refusal by the coordinator is shown next to the form.
        await page.GetByLabel("Name").FillAsync("nightly");
        await page.GetByLabel("Schedule (cron)").FillAsync("not a cron");
        await page.GetByLabel("Volumes").FillAsync("vg0/root");
        await page.GetByLabel("Snapshot size").FillAsync("20%");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add policy" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "cron" })).ToBeVisibleAsync();

        await page.GetByLabel("Schedule (cron)").FillAsync("0 3 * * *");
        await page.GetByLabel("Time zone").FillAsync("Europe/Berlin");
        await page.GetByLabel("Hosts (selector)").FillAsync("rack=r0");
        await page.GetByLabel("Keep (snapshots per origin)").FillAsync("2");
        await page.GetByLabel("Max age").FillAsync("7d");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add policy" }).ClickAsync();
        var row = page.Locator("table:has(caption:text-is('Policies')) tbody tr", new() { HasText = "nightly" });
        await Expect(row).ToHaveCountAsync(1);

        var policy = (await Node.GetAsync("policies/nightly"));
        var cells = (await shell.RowsAsync("Policies")).Single(r => r[0] == "nightly");
        Assert.Equal("0 3 * * * (Europe/Berlin)", cells[1]);
        Assert.Equal("rack=r0", cells[2]);
        Assert.Equal("vg0/root", cells[3]);
        Assert.Equal("20%", cells[4]);
        Assert.Equal("keep 2, max age 7d", cells[5]);
        Assert.Equal(Utc(policy.GetProperty("next_run")), cells[6]);
        Assert.Equal("never run", cells[8]);
        await Artifacts.ScreenshotAsync(page, "policies", output);
        await Accessibility.AssertNoSeriousFindingsAsync(page, "policies", output);

        // Run now: the page follows the new campaign to its end.
        await page.GetByRole(AriaRole.Button, new() { Name = "Run now nightly" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/campaigns/c[0-9]+$"));
        string c = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        await Expect(page.Locator(".facts div", new() { HasText = "Policy" }).Locator("dd")).ToHaveTextAsync("nightly");
        var run = await Node.AwaitCampaignAsync(c, "completed");
        Assert.Equal("nightly", run.GetProperty("spec").GetProperty("policy").GetString());
        Assert.Equal(["sim-0001", "sim-0004"], run.GetProperty("hosts").EnumerateArray().Select(h => h.GetProperty("host_id").GetString()!));

        // The policy's last results name that campaign, as the API does.
        await shell.NavigateAsync("Policies");
        await Expect(row).ToContainTextAsync(c);
        await Eventually.Until("the policy's last run is completed", async () =>
        {
            policy = await Node.GetAsync("policies/nightly");
            var runs = policy.GetProperty("runs").EnumerateArray().ToList();
            return (runs.Count == 1 && runs[0].GetProperty("campaign_state").GetString() == "completed", policy.ToString());
        });
        await Expect(row).ToContainTextAsync($"{c} ✓ completed pruned 0");
        cells = (await shell.RowsAsync("Policies")).Single(r => r[0] == "nightly");
        Assert.Equal(Utc(policy.GetProperty("last_run")), cells[7]);
        await Artifacts.ScreenshotAsync(page, "policies-after-run", output);

        // Keep the fleet as found: commit the run's snapshots from its campaign view.
        await row.GetByRole(AriaRole.Link, new() { Name = c }).ClickAsync();
        await Expect(shell.Heading).ToHaveTextAsync($"Campaign {c} (snapshot)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Commit…" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start commit" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"#/campaigns/(?!{c}$)c[0-9]+$"));
        string commit = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        await Expect(shell.Heading).ToHaveTextAsync($"Campaign {commit} (commit)");
        await Node.AwaitCampaignAsync(commit, "completed");

        // Remove: the row goes, the API has no policy left.
        await shell.NavigateAsync("Policies");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove nightly" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        Assert.Equal(0, (await Node.GetAsync("policies")).GetArrayLength());
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Policy nightly removed; its snapshots stay.");
        await Node.EveryHostIdleWithItsOriginOnlyAsync();
        Assert.Empty(shell.ScriptErrors);
    }

    /// <summary>A time as the page writes it: UTC to the second.</summary>
    private static string Utc(JsonElement iso) =>
        DateTimeOffset.Parse(iso.GetString()!, CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
