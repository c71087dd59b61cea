using FleetMerge.Dashboard.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace FleetMerge.Dashboard.Tests;

/// <summary>Nothing is visible or doable without the token: the shell shows only its login form, and a wrong token gets an error and nothing else.</summary>
[Collection(DashboardCollection.Name)]
public sealed class LoginTests(DashboardFixture dashboard, ITestOutputHelper output)
{
    [Fact]
    public async Task Before_login_the_page_is_only_the_login_form()
    {
        var shell = await DashboardPage.OpenAsync(dashboard);
        var page = shell.Page;
        await Expect(shell.Heading).ToHaveTextAsync("Sign in");
        await Expect(page.GetByLabel("API token")).ToBeFocusedAsync();
        await Expect(page.GetByRole(AriaRole.Navigation)).ToHaveCountAsync(0);
        await Expect(page.Locator("#view")).ToBeHiddenAsync();
        Assert.Equal("", await page.Locator("#view").InnerHTMLAsync());
        // The hash of a view does not get past the gate either.
        await page.GotoAsync(dashboard.Node.Api + "/#/hosts/sim-0001");
        await Expect(shell.Heading).ToHaveTextAsync("Sign in");
        Assert.DoesNotContain("sim-0001", await page.Locator("body").InnerTextAsync());
        await Artifacts.ScreenshotAsync(page, "login", output);
        await Accessibility.AssertNoSeriousFindingsAsync(page, "login", output);
        Assert.Empty(shell.ScriptErrors);
    }

    [Fact]
    public async Task A_wrong_token_shows_an_error_and_no_data()
    {
        var shell = await DashboardPage.OpenAsync(dashboard);
        var page = shell.Page;
        await shell.LogInAsync("0123456789abcdef");
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong token: the node refused it.");
        await Expect(shell.Heading).ToHaveTextAsync("Sign in");
        await Expect(page.GetByRole(AriaRole.Navigation)).ToHaveCountAsync(0);
        Assert.Equal("", await page.Locator("#view").InnerHTMLAsync());
        string text = await page.Locator("body").InnerTextAsync();
        foreach (string host in FleetNode.AllHosts) Assert.DoesNotContain(host, text);
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('fleetmerge-token')"));
        await Artifacts.ScreenshotAsync(page, "login-wrong-token", output);
        await Accessibility.AssertNoSeriousFindingsAsync(page, "login with a wrong token", output);

        // The right token then opens the fleet; signing out closes it again.
        await shell.LogInAndSeeFleetAsync();
        Assert.Equal(dashboard.Node.Token, await page.EvaluateAsync<string>("() => sessionStorage.getItem('fleetmerge-token')"));
        Assert.DoesNotContain(dashboard.Node.Token, page.Url);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(shell.Heading).ToHaveTextAsync("Sign in");
        Assert.Equal("", await page.Locator("#view").InnerHTMLAsync());
        Assert.Empty(shell.ScriptErrors);
    }

    [Fact]
    public async Task The_static_files_need_no_token_but_every_api_call_does()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(dashboard.Node.Api) };
        foreach (string path in new[] { "/", "/app.js", "/app.css", "/api.js", "/views/fleet.js" })
        {
            using var response = await anonymous.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}");
            Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        }
        foreach (string path in new[] { "/api/v1/node", "/api/v1/hosts", "/api/v1/events/hosts", "/api/v1/hosts/sim-0001/events", "/api/v1/events/campaigns", "/api/v1/events/policies" })
        {
            using var response = await anonymous.GetAsync(path);
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.Unauthorized, $"GET {path} without a token: {(int)response.StatusCode}");
        }
        using var unknown = await anonymous.GetAsync("/nothing-here.js");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, unknown.StatusCode);
    }
}
