using FsCheck;
using FsCheck.Fluent;

namespace FleetMerge.Fleet.Tests.Hosts;

/// <summary>FsCheck helpers for the host and policy properties.</summary>
public static class HostGen
{
    /// <summary>An array of <paramref name="min"/> to <paramref name="max"/> elements.</summary>
    public static Gen<T[]> ArrayOf<T>(this Gen<T> gen, int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => gen.ArrayOf(n));
}
