namespace FleetMerge.Storage.Groups;

// Volume group refusals. Each message is one line naming the volume ("vg0/root") and the problem;
// sizes and chunk sizes are refused with the engine's BadRequestException, merge rules with its
// MergeRuleException.

/// <summary>A volume or group name that LVM's naming rules refuse.</summary>
public sealed class BadNameException(string message) : StorageException(message);

/// <summary>The name is taken in the group, or its file is already in the group's directory.</summary>
public sealed class VolumeExistsException(string message) : StorageException(message);

/// <summary>No volume of that name in the group, or no group in that directory.</summary>
public sealed class VolumeNotFoundException(string message) : StorageException(message);

/// <summary>The volume is open, has snapshots, or is being deactivated; or the group is open elsewhere.</summary>
public sealed class VolumeBusyException(string message) : StorageException(message);

/// <summary>The volume is not active: it refuses to be opened.</summary>
public sealed class VolumeInactiveException(string message) : StorageException(message);

/// <summary>The group's metadata file is missing, unreadable or inconsistent.</summary>
public sealed class GroupMetadataException(string message) : StorageException(message);
