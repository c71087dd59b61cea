using System.Text.RegularExpressions;
using FleetMerge.Storage;

namespace FleetMerge.Cli.Cluster;

/// <summary>
/// A member's address as the operator writes it: <c>HOST:PORT</c> or
/// <c>akka.tcp://fleetmerge@HOST:PORT</c>. Only its shape is checked here (a typo is a usage
/// error, exit 2, without a trip to the node); the node checks the rest and answers 400.
/// </summary>
public static partial class MemberAddress
{
    public static string Check(string text, string what)
    {
        string trimmed = text.Trim();
        if (!Shape().IsMatch(trimmed))
            throw new BadRequestException($"{what} '{text}' is not a cluster address (HOST:PORT or akka.tcp://fleetmerge@HOST:PORT)");
        return trimmed;
    }

    [GeneratedRegex(@"^([a-z][a-z0-9.+-]*://[^@/\s]+@)?([^:/@\s\[\]]+|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5}/?$")]
    private static partial Regex Shape();
}
