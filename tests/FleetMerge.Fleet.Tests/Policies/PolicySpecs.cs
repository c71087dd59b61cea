using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Tests.Policies;

/// <summary>Valid policies to start tests from.</summary>
public static class PolicySpecs
{
    public static readonly PolicySpec Daily = new(
        "nightly", "30 2 * * *", "Europe/Berlin", "env=prod", ["vg0/root", "vg0/home"], "20%", 65536, Keep: 3, MaxAge: TimeSpan.FromDays(7));
}
