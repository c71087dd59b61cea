namespace FleetMerge.Storage.Store;

public enum StoreOpenMode
{
    /// <summary>Inspect only: a blank store is an error, nothing is ever written.</summary>
    ReadOnly,

    /// <summary>An existing store for I/O and merge: a blank store is an error (it would lose a merge's journal).</summary>
    ReadWrite,

    /// <summary>Activate like the kernel's snapshot target: a blank store (magic 0) is initialised.</summary>
    InitialiseIfBlank,
}
