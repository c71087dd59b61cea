namespace FleetMerge.Storage.Store;

public enum StoreOpenMode
{
    /// <summary>Inspect only: a blank store is an error, nothing is ever written.</summary>
    ReadOnly,

    /// <summary>Activate like the kernel: a blank store (magic 0) is initialised.</summary>
    ReadWrite,
}
