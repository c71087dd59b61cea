using FleetMerge.Protocol.Fleet;
using System.Globalization;
using System.Text.RegularExpressions;

namespace FleetMerge.Host.Fleet.Simulated;

/// <summary>
/// Faults injected into simulated hosts, from one string:
/// <c>upgrade-fails=sim-0003,sim-0007;upgrade-breaks=10%;health-fails=sim-0002;slow=sim-0004:3s;crash-mid-merge=sim-0005;seed=42</c>.
/// A target is a host id or a percentage of the fleet; a percentage picks ⌈N·p/100⌉ hosts,
/// the same ones for the same seed. slow takes target:duration.
/// </summary>
public sealed partial record SimulatedFaults(IReadOnlyList<FaultRule> Rules, ulong Seed)
{
    public const string UpgradeFails = "upgrade-fails";
    public const string UpgradeBreaks = "upgrade-breaks";
    public const string HealthFails = "health-fails";
    public const string Slow = "slow";
    public const string CrashMidMerge = "crash-mid-merge";

    public static readonly IReadOnlyList<string> Known = [UpgradeFails, UpgradeBreaks, HealthFails, Slow, CrashMidMerge];

    public static SimulatedFaults None { get; } = new([], 0);

    [GeneratedRegex("^sim-[0-9]{4,}$")]
    private static partial Regex HostIdPattern();

    /// <exception cref="FormatException">One line naming the part of <paramref name="text"/> that is wrong.</exception>
    public static SimulatedFaults Parse(string? text)
    {
        var rules = new List<FaultRule>();
        ulong seed = 0;
        foreach (string raw in (text ?? "").Split(';'))
        {
            string entry = raw.Trim();
            if (entry.Length == 0) continue;
            int eq = entry.IndexOf('=');
            if (eq <= 0) throw Bad($"'{entry}': expected fault=targets (like upgrade-fails=sim-0003,sim-0007)");
            string name = entry[..eq].Trim(), value = entry[(eq + 1)..].Trim();
            if (name == "seed")
            {
                if (!ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out seed))
                    throw Bad($"seed '{value}': expected a whole number");
                continue;
            }
            if (!Known.Contains(name)) throw Bad($"unknown fault '{name}' (known: {string.Join(", ", Known)}, and seed)");
            if (value.Length == 0) throw Bad($"{name}: no targets (host ids like sim-0003, or a percentage like 10%)");
            foreach (string item in value.Split(','))
                rules.Add(ParseTarget(name, item.Trim()));
        }
        return new SimulatedFaults(rules, seed);
    }

    private static FaultRule ParseTarget(string fault, string item)
    {
        TimeSpan slow = TimeSpan.Zero;
        string target = item;
        if (fault == Slow)
        {
            int colon = item.LastIndexOf(':');
            if (colon < 0) throw Bad($"slow: '{item}' needs a duration (like sim-0004:3s)");
            target = item[..colon];
            if (!Durations.TryParse(item[(colon + 1)..], out slow)) throw Bad($"slow: '{item}': '{item[(colon + 1)..]}' is not a duration (like 500ms, 3s, 1m)");
        }
        if (target.EndsWith('%'))
        {
            if (!double.TryParse(target[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double p) || p <= 0 || p > 100)
                throw Bad($"{fault}: '{target}': a percentage must be above 0% and at most 100%");
            return new FaultRule(fault, null, p, slow);
        }
        if (!HostIdPattern().IsMatch(target)) throw Bad($"{fault}: '{target}' is not a simulated host id (sim-0001, sim-0002, …) or a percentage");
        return new FaultRule(fault, target, null, slow);
    }

    /// <summary>The faults of every host of the fleet <paramref name="hostIds"/>; a rule naming a host that is not in it is an error.</summary>
    /// <exception cref="FormatException">A host id that the fleet does not have.</exception>
    public IReadOnlyDictionary<string, HostFaults> Resolve(IReadOnlyList<string> hostIds)
    {
        var known = hostIds.ToHashSet(StringComparer.Ordinal);
        var faults = hostIds.ToDictionary(id => id, _ => HostFaults.None, StringComparer.Ordinal);
        foreach (var rule in Rules)
        {
            IEnumerable<string> hosts;
            if (rule.HostId is { } id)
            {
                if (!known.Contains(id))
                    throw Bad($"{rule.Fault}: there is no host {id} (the fleet has {hostIds.Count} simulated hosts{(hostIds.Count > 0 ? $", {hostIds[0]} to {hostIds[^1]}" : "")})");
                hosts = [id];
            }
            else hosts = Pick(rule, hostIds);
            foreach (string host in hosts) faults[host] = With(faults[host], rule);
        }
        return faults;
    }

    /// <summary>The hosts a percentage rule hits: the lowest ⌈N·p/100⌉ by a hash of (seed, fault, host).</summary>
    private IEnumerable<string> Pick(FaultRule rule, IReadOnlyList<string> hostIds)
    {
        int count = (int)Math.Ceiling(hostIds.Count * rule.Percent!.Value / 100.0 - 1e-9);
        return hostIds.OrderBy(h => DeterministicRandom.Seed($"{rule.Fault}/{h}", Seed)).ThenBy(h => h, StringComparer.Ordinal).Take(count);
    }

    private static HostFaults With(HostFaults faults, FaultRule rule) => rule.Fault switch
    {
        UpgradeFails => faults with { UpgradeFails = true },
        UpgradeBreaks => faults with { UpgradeBreaks = true },
        HealthFails => faults with { HealthFails = true },
        Slow => faults with { Slow = faults.Slow + rule.Slow },
        CrashMidMerge => faults with { CrashMidMerge = true },
        _ => faults,
    };

    private static FormatException Bad(string why) => new($"simulated faults: {why}");
}

/// <summary>One fault on one host (<see cref="HostId"/>) or on a share of the fleet (<see cref="Percent"/>).</summary>
public sealed record FaultRule(string Fault, string? HostId, double? Percent, TimeSpan Slow);
