namespace FleetMerge.Storage;

/// <summary>
/// A storage problem an operator can act on. The message is one line that names the problem;
/// callers print it as it is.
/// </summary>
public class StorageException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The COW store's bytes are not a valid dm-snapshot persistent store.</summary>
public sealed class StoreFormatException(string message) : StorageException(message);

/// <summary>The snapshot is invalid (header valid = 0, overflowed or failed): it refuses I/O.</summary>
public sealed class SnapshotInvalidException(string message) : StorageException(message);

/// <summary>A request that does not fit the device: offset or length outside it, bad size.</summary>
public sealed class BadRequestException(string message) : StorageException(message);

/// <summary>A "PO" snapshot whose COW ran out under a snapshot write: reads work, writes fail.</summary>
public sealed class SnapshotOverflowException(string message) : StorageException(message);

/// <summary>A merge rule refused the request (second merge, invalid snapshot, new snapshot while merging, open volume…).</summary>
public sealed class MergeRuleException(string message) : StorageException(message);

/// <summary>The file system has no room for a volume being created or the COW space a write needs; nothing was changed.</summary>
public sealed class NoSpaceException(string message) : StorageException(message);

/// <summary>A merge stopped on an I/O error; the snapshot's status is "Merge failed".</summary>
public sealed class MergeFailedException(string message) : StorageException(message);
