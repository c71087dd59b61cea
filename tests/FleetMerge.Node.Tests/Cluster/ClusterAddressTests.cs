using FleetMerge.Node.Settings;

namespace FleetMerge.Node.Tests.Cluster;

/// <summary>Member addresses as operators write them, in the canonical form Akka prints.</summary>
public sealed class ClusterAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:4101", "akka.tcp://fleetmerge@127.0.0.1:4101")]
    [InlineData(" node-1.example.com:4101 ", "akka.tcp://fleetmerge@node-1.example.com:4101")]
    [InlineData("akka.tcp://fleetmerge@10.0.0.7:1", "akka.tcp://fleetmerge@10.0.0.7:1")]
    [InlineData("akka.tcp://fleetmerge@10.0.0.7:65535/", "akka.tcp://fleetmerge@10.0.0.7:65535")]
    [InlineData("[::1]:4101", "akka.tcp://fleetmerge@[::1]:4101")]
    public void Short_and_full_forms_give_the_canonical_address(string text, string expected)
    {
        Assert.Equal(expected, ClusterAddress.Parse(text, "fleetmerge"));
        // Canonical in, canonical out; Akka reads it back to the same string.
        Assert.Equal(expected, ClusterAddress.Parse(expected, "fleetmerge"));
        Assert.Equal(expected, Akka.Actor.Address.Parse(expected).ToString());
    }

    [Theory]
    [InlineData("", "the address is empty")]
    [InlineData("127.0.0.1", "no port")]
    [InlineData("127.0.0.1:", "no port")]
    [InlineData("127.0.0.1:0", "'0' is not a port (1 to 65535)")]
    [InlineData("127.0.0.1:http", "'http' is not a port")]
    [InlineData("::1:4101", "write an IPv6 host in brackets")]
    [InlineData("[nonsense]:4101", "is not a bracketed IPv6 address")]
    [InlineData("under_score:4101", "'under_score' is not a host name or IP address")]
    [InlineData("akka.tcp://fleetmerge@127.0.0.1:4101/user/x", "is not a cluster address")]
    [InlineData("akka.tcp://wrong@127.0.0.1:4101", "the actor system is 'wrong'")]
    [InlineData("http://fleetmerge@127.0.0.1:4101", "the protocol is http")]
    public void Malformed_addresses_say_what_is_wrong(string text, string problem)
    {
        Assert.False(ClusterAddress.TryParse(text, "fleetmerge", out _, out string message));
        Assert.Contains(problem, message);
    }
}
