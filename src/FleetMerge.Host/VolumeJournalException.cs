namespace FleetMerge.Host;

/// <summary>
/// The journal could not record a change, so the volume actor stopped (Akka stops a persistent
/// actor whose Persist failed). The message says what happened to the disk: an intent that was
/// not recorded was never carried out, a creation or rename was undone.
/// </summary>
public sealed class VolumeJournalException(string message, Exception? inner = null) : Exception(message, inner);
