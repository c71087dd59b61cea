namespace FleetMerge.Storage.Groups;

/// <summary>
/// An active volume as its sessions see it: where its I/O goes now and how many sessions hold it.
/// Sessions keep this object, not a name, so a rename or a namesnapshot identity switch does not
/// disturb them; the device changes under them only when a namesnapshot merge starts.
/// </summary>
internal sealed class LiveVolume(IVolumeDevice device)
{
    private volatile IVolumeDevice? device = device;

    /// <summary>Null once the volume is no longer active (the group was disposed).</summary>
    public IVolumeDevice? Device
    {
        get => device;
        set => device = value;
    }

    /// <summary>Sessions holding the volume; changed under the group's lock.</summary>
    public int OpenCount { get; set; }
}
