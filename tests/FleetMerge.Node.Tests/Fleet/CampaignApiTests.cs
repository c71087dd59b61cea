using System.Net;
using System.Text;
using System.Text.Json;
using FleetMerge.Node.Tests.Process;

namespace FleetMerge.Node.Tests.Fleet;

/// <summary>POST /api/v1/campaigns on the real node: no token is 401, a malformed body is 400 naming the field, and neither starts anything.</summary>
[Collection(FleetNodeCollection.Name)]
public sealed class CampaignApiTests(BreakingFleet fleet)
{
    private const string Good = """{"kind":"snapshot","hosts":"env=sim","volumes":["vg0/root"],"size":"1M"}""";

    [Fact]
    public async Task Without_the_token_a_campaign_is_401_and_nothing_starts()
    {
        var before = await CampaignIds();
        using (var anonymous = NodeProcess.Client(fleet.E2e.Api, null))
        using (var response = await anonymous.PostAsync("api/v1/campaigns", Json(Good)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("missing bearer token", await response.Content.ReadAsStringAsync());
        }
        using (var wrong = NodeProcess.Client(fleet.E2e.Api, "not-the-token"))
        using (var response = await wrong.PostAsync("api/v1/campaigns", Json(Good)))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, await CampaignIds());
        Assert.Empty(fleet.CowFiles());
    }

    [Theory]
    [InlineData("""{"kind":"snapshot","volumes":["vg0/root"],"size":"1M","bogus":1}""", "unknown property 'bogus'")]
    [InlineData("""{"kind":"snapshot","volumes":["vg0/root"],"size":"1M","canary":"two"}""", "$.canary")]
    [InlineData("""{"kind":"explode","volumes":["vg0/root"],"size":"1M"}""", "kind 'explode'")]
    [InlineData("""{"volumes":["vg0/root"],"size":"1M"}""", "missing required property 'kind'")]
    [InlineData("""{"kind":"snapshot","size":"1M"}""", "volumes:")]
    [InlineData("""{"kind":"snapshot","volumes":["vg0/root"],"size":"12Q"}""", "snapshot size '12Q'")]
    [InlineData("""{"kind":"snapshot","volumes":["vg0/root"],"size":"1M","chunk_bytes":5000}""", "chunk size 5000")]
    [InlineData("""{"kind":"snapshot","volumes":["vg0/root"],"size":"1M","step_timeout":"soon"}""", "step_timeout 'soon'")]
    [InlineData("""{"kind":"snapshot","volumes":["vg0/root"],"size":"1M","window":{"start":"25:00","end":"01:00"}}""", "window.start '25:00'")]
    [InlineData("""{"kind":"rollback"}""", "of:")]
    public async Task A_malformed_campaign_is_400_naming_the_field_and_none_is_created(string body, string names)
    {
        var before = await CampaignIds();
        using var http = fleet.E2e.Http();
        using var response = await http.PostAsync("api/v1/campaigns", Json(body));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        string error = JsonDocument.Parse(text).RootElement.GetProperty("error").GetString()!;
        Assert.Contains(names, error);
        Assert.DoesNotContain('\n', error);
        Assert.Equal(before, await CampaignIds());
    }

    [Fact]
    public async Task An_unknown_campaign_is_404_and_a_rollback_of_it_is_refused()
    {
        using var http = fleet.E2e.Http();
        using (var response = await http.GetAsync("api/v1/campaigns/c999"))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("campaign c999: no such campaign", await response.Content.ReadAsStringAsync());
        }
        var before = await CampaignIds();
        using (var response = await http.PostAsync("api/v1/campaigns", Json("""{"kind":"rollback","of":"c999"}""")))
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(before, await CampaignIds());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<List<string>> CampaignIds()
    {
        using var http = fleet.E2e.Http();
        string text = await http.GetStringAsync("api/v1/campaigns");
        return [.. JsonDocument.Parse(text).RootElement.EnumerateArray().Select(c => c.GetProperty("id").GetString()!)];
    }
}
