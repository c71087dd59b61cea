using System.Globalization;
using System.Text;
using FleetMerge.Cli.Node;

namespace FleetMerge.Cli.Campaign;

/// <summary>How a campaign prints: a header, one line per wave, one line per host (step and outcome), the latest timeline entries.</summary>
public static class CampaignReport
{
    public static string Render(CampaignDetail c, int timelineLines = 5)
    {
        var text = new StringBuilder();
        var hosts = c.Hosts ?? [];
        string what = c.Spec is { } s ? $"{s.Kind} of {(s.Of is { } of ? $"campaign {of}" : s.Hosts)}{(s.Volumes is { Count: > 0 } v ? $" ({string.Join(",", v)})" : "")}" : "";
        text.Append($"Campaign {c.Id}: {what}\n");
        text.Append($"  state {c.State}; hosts {hosts.Count}: {Counts(hosts)}; failures {c.FailuresSeen} of {c.FailuresAllowed} allowed\n");
        if (c.WaitingFor is { } waiting) text.Append($"  waiting for {waiting}\n");
        if (c.Halted is { } halted) text.Append($"  halted: {halted}\n");
        if (c.FollowUp is { } followUp) text.Append($"  follow-up: rollback campaign {followUp}\n");
        foreach (var wave in c.Waves ?? [])
        {
            var members = hosts.Where(h => h.Wave == wave.Number).ToList();
            string name = wave.Name is { } n && n != $"wave {wave.Number}" ? $" ({n})" : "";
            text.Append($"  wave {wave.Number}{name}: {wave.State}, {members.Count} hosts: {Counts(members)}\n");
        }
        if (hosts.Count > 0)
            text.Append(LvmFormat.Table(
                [("HOST", false), ("WAVE", true), ("OUTCOME", false), ("STEP", false), ("DETAIL", false)],
                hosts.Select(h => new[]
                {
                    h.HostId, $"{h.Wave}", h.Outcome ?? "", h.Step is null ? "" : $"{h.StepIndex + 1}/{h.StepCount} {h.Step}", NodeClient.OneLine(h.Detail ?? ""),
                })));
        foreach (var entry in (c.Timeline ?? []).TakeLast(timelineLines))
            text.Append($"  {entry.At.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {entry.What}\n");
        return text.ToString();
    }

    public static string Counts(IReadOnlyCollection<HostProgressRow> hosts) =>
        hosts.Count == 0 ? "none" : string.Join(", ", hosts.GroupBy(h => h.Outcome ?? "?").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));
}
