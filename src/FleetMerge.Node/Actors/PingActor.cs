using Akka.Actor;
using Akka.Cluster;

namespace FleetMerge.Node.Actors;

/// <summary>Asks the node's actor system for an answer: the smallest API → actor round trip (POST /api/v1/node/ping).</summary>
public sealed record Ping(string Payload);

public sealed record Pong(string Payload, string AnsweredBy);

/// <summary>Answers <see cref="Ping"/> with <see cref="Pong"/>. Also the template for endpoint → actor asks.</summary>
public sealed class PingActor : ReceiveActor
{
    public PingActor()
    {
        string self = Cluster.Get(Context.System).SelfAddress.ToString();
        Receive<Ping>(ping => Sender.Tell(new Pong(ping.Payload, self)));
    }

    public static Props Props() => global::Akka.Actor.Props.Create(() => new PingActor());
}
