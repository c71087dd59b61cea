using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace FleetMerge.Node.Settings;

/// <summary>
/// A cluster member's Akka address as an operator writes it: <c>HOST:PORT</c> (the node's own
/// system name is implied) or the full <c>akka.tcp://fleetmerge@HOST:PORT</c>. Canonical form:
/// the full URL, the form Akka prints and the cluster API answers with.
/// </summary>
public static partial class ClusterAddress
{
    public const string Protocol = "akka.tcp";

    /// <summary>The address in canonical form, or a <see cref="FormatException"/> with one line saying what is wrong.</summary>
    public static string Parse(string text, string systemName)
    {
        string trimmed = text.Trim();
        if (trimmed.Length == 0) throw new FormatException("the address is empty");
        string hostPort = trimmed;
        if (trimmed.Contains("://", StringComparison.Ordinal))
        {
            var full = FullAddress().Match(trimmed);
            if (!full.Success)
                throw new FormatException($"'{trimmed}' is not a cluster address ({Protocol}://{systemName}@HOST:PORT or HOST:PORT)");
            if (full.Groups["protocol"].Value != Protocol)
                throw new FormatException($"'{trimmed}': the protocol is {full.Groups["protocol"].Value}, the nodes speak {Protocol}");
            if (full.Groups["system"].Value != systemName)
                throw new FormatException($"'{trimmed}': the actor system is '{full.Groups["system"].Value}', every FleetMerge node's is '{systemName}'");
            hostPort = full.Groups["hostport"].Value;
        }
        var (host, port) = SplitHostPort(trimmed, hostPort, systemName);
        return $"{Protocol}://{systemName}@{host}:{port.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>Like <see cref="Parse"/>, for code that prefers a bool.</summary>
    public static bool TryParse(string text, string systemName, out string address, out string problem)
    {
        try
        {
            address = Parse(text, systemName);
            problem = "";
            return true;
        }
        catch (FormatException e)
        {
            address = "";
            problem = e.Message;
            return false;
        }
    }

    private static (string Host, int Port) SplitHostPort(string original, string hostPort, string systemName)
    {
        int colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || colon == hostPort.Length - 1)
            throw new FormatException($"'{original}' is not a cluster address ({Protocol}://{systemName}@HOST:PORT or HOST:PORT): no port");
        string host = hostPort[..colon];
        string portText = hostPort[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            throw new FormatException($"'{original}': '{portText}' is not a port (1 to 65535)");
        if (host.StartsWith('['))
        {
            if (!host.EndsWith(']') || !IPAddress.TryParse(host[1..^1], out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
                throw new FormatException($"'{original}': '{host}' is not a bracketed IPv6 address");
            return (host, port);
        }
        if (host.Contains(':'))
            throw new FormatException($"'{original}': write an IPv6 host in brackets, e.g. [::1]:{portText}");
        if (!HostName().IsMatch(host))
            throw new FormatException($"'{original}': '{host}' is not a host name or IP address");
        return (host, port);
    }

    [GeneratedRegex(@"^(?<protocol>[a-z][a-z0-9.+-]*)://(?<system>[^@/]+)@(?<hostport>[^/@]+)/?$")]
    private static partial Regex FullAddress();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")]
    private static partial Regex HostName();
}
