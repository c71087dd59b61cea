namespace FleetMerge.Protocol;

/// <summary>
/// A message that crosses nodes (host agents ↔ the coordinator singleton, the API ↔ the
/// coordinator). The node binds its string-manifest System.Text.Json serializer to this
/// interface (FleetMerge.Node.Serialization.WireManifests), so a message never depends on CLR type
/// or assembly names, and collections written as collection expressions read back (Akka's default
/// Newtonsoft serializer cannot rebuild them).
/// </summary>
public interface IWireMessage;
