using System.Text.Json;
using FleetMerge.Dashboard.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace FleetMerge.Dashboard.Tests;

/// <summary>The fleet and host views show what the API answers: counts by state, hosts by label, the lvs table.</summary>
[Collection(DashboardCollection.Name)]
public sealed class FleetViewTests(DashboardFixture dashboard, ITestOutputHelper output)
{
    [Fact]
    public async Task The_fleet_view_counts_hosts_by_state_and_label_as_the_api_does()
    {
        await dashboard.Node.EveryHostIdleWithItsOriginOnlyAsync();
        var shell = await DashboardPage.OpenAsync(dashboard);
        var page = shell.Page;
        await shell.LogInAndSeeFleetAsync();

        var hosts = await dashboard.Node.HostsAsync();
        await Expect(page.Locator("[data-count=\"hosts\"] dd")).ToHaveTextAsync($"{hosts.Count}");
        foreach (var (key, count) in Counts(hosts))
            Assert.True(count == await shell.CountAsync(key), $"count {key}: the API says {count}");
        Assert.Equal(7, hosts.Count);

        var rows = await shell.RowsAsync($"Hosts ({hosts.Count} shown of {hosts.Count})");
        Assert.Equal(hosts.Select(h => h.GetProperty("host_id").GetString()), rows.Select(r => r[0]));
        foreach (var (host, row) in hosts.Zip(rows))
        {
            Assert.Contains(host.GetProperty("reachability").GetString()!, row[2]);
            Assert.Contains(host.GetProperty("state").GetString()!, row[3]);
            Assert.Equal($"{host.GetProperty("volumes").GetArrayLength()}", row[4]);
        }

        // Hosts by label: the canaries.
        var labelRows = await shell.RowsAsync("Hosts by label and state");
        Assert.Equal(["canary=true", "2", "2", "0", "0", "0"], labelRows.Single(r => r[0] == "canary=true"));
        Assert.Equal(["env=sim", "6", "6", "0", "0", "0"], labelRows.Single(r => r[0] == "env=sim"));

        await Artifacts.ScreenshotAsync(page, "fleet", output);
        await Accessibility.AssertNoSeriousFindingsAsync(page, "fleet", output);

        // Filter by label, by keyboard: the counts and the table follow.
        await page.GetByLabel("Show hosts with label").FocusAsync();
        await page.GetByLabel("Show hosts with label").SelectOptionAsync("rack=r1");
        var r1 = hosts.Where(h => h.GetProperty("labels").TryGetProperty("rack", out var rack) && rack.GetString() == "r1").ToList();
        await Expect(page.Locator("[data-count=\"hosts\"] dd")).ToHaveTextAsync($"{r1.Count}");
        Assert.Equal(["sim-0002", "sim-0005"], r1.Select(h => h.GetProperty("host_id").GetString()!));
        Assert.Equal(r1.Select(h => h.GetProperty("host_id").GetString()), (await shell.RowsAsync($"Hosts ({r1.Count} shown of {hosts.Count})")).Select(r => r[0]));
        await page.GetByRole(AriaRole.Button, new() { Name = "canary=true" }).PressAsync("Enter");
        await Expect(page.GetByLabel("Show hosts with label")).ToHaveValueAsync("canary=true");
        await Expect(page.Locator("[data-count=\"hosts\"] dd")).ToHaveTextAsync("2");

        // The same fleet on a wide monitor.
        var wide = await DashboardPage.OpenAsync(dashboard, Chromium.WideMonitor);
        await wide.LogInAndSeeFleetAsync();
        await Expect(wide.Page.Locator("[data-count=\"hosts\"] dd")).ToHaveTextAsync($"{hosts.Count}");
        await Artifacts.ScreenshotAsync(wide.Page, "fleet-wide", output);
        Assert.Empty(shell.ScriptErrors);
    }

    [Fact]
    public async Task The_host_view_shows_the_hosts_lvs_rows_as_the_api_does()
    {
        await dashboard.Node.EveryHostIdleWithItsOriginOnlyAsync();
        var shell = await DashboardPage.OpenAsync(dashboard);
        var page = shell.Page;
        await shell.LogInAndSeeFleetAsync();

        // From the fleet table to the host, by keyboard.
        await page.GetByRole(AriaRole.Link, new() { Name = "sim-0003", Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(shell.Heading).ToHaveTextAsync("Host sim-0003");
        await Expect(shell.Heading).ToBeFocusedAsync();
        await Expect(page.Locator(".live-status")).ToHaveAttributeAsync("data-live", "live");

        var host = await dashboard.Node.HostAsync("sim-0003");
        var volume = host.GetProperty("volumes").EnumerateArray().Single();
        var rows = await shell.RowsAsync("Logical volumes of sim-0003 (lvs)");
        var row = Assert.Single(rows);
        Assert.Equal(volume.GetProperty("name").GetString(), row[0]);
        Assert.Equal(volume.GetProperty("vg").GetString(), row[1]);
        Assert.StartsWith(volume.GetProperty("attr").GetString()!, row[2]);
        Assert.Equal("16.00 MiB", row[3]);
        Assert.Equal(volume.GetProperty("uuid").GetString(), row[7]);
        Assert.Equal($"{volume.GetProperty("minor").GetInt32()}", row[8]);
        await Expect(page.GetByText("env=sim").First).ToBeVisibleAsync();
        await Expect(page.GetByText("Read from the host now")).ToBeVisibleAsync();

        await Artifacts.ScreenshotAsync(page, "host", output);
        await Accessibility.AssertNoSeriousFindingsAsync(page, "host", output);
        Assert.Empty(shell.ScriptErrors);
    }

    private static Dictionary<string, int> Counts(List<JsonElement> hosts)
    {
        var counts = new Dictionary<string, int>();
        foreach (string key in new[] { "reachable", "unreachable", "left", "idle", "merging", "needs-reboot", "failed" }) counts[key] = 0;
        foreach (var h in hosts)
        {
            counts[h.GetProperty("reachability").GetString()!]++;
            counts[h.GetProperty("state").GetString()!]++;
        }
        return counts;
    }
}
