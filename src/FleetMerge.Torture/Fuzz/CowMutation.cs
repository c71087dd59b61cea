namespace FleetMerge.Torture.Fuzz;

/// <summary>The kinds of damage fuzz-cow does to a valid COW store.</summary>
public enum CowMutation
{
    /// <summary>1–3 bits flipped, mostly in the 16 header bytes, else anywhere in chunk 0.</summary>
    FlipHeaderBits,

    /// <summary>1–3 bits flipped in a metadata area, mostly among the entries in use.</summary>
    FlipAreaBits,

    /// <summary>1–3 bits flipped in a data chunk.</summary>
    FlipDataBits,

    /// <summary>The file cut to 0 bytes, inside the header, inside a metadata area, or among the data.</summary>
    Truncate,

    /// <summary>A sector or a whole chunk of random bytes over the header, an area or data.</summary>
    GarbageBlock,

    /// <summary>The header's chunk size made huge (2^31 sectors), zero, odd or all ones.</summary>
    HugeChunkSize,

    /// <summary>An entry's origin chunk far beyond the origin (up to 2^64 - 1).</summary>
    OldChunkBeyondOrigin,

    /// <summary>An entry's COW chunk beyond the end of the COW (up to 2^64 - 1).</summary>
    NewChunkBeyondCow,

    /// <summary>The last entry's COW chunk moved to the COW's last chunk: next_free far in the future.</summary>
    NextFreeInTheFuture,

    /// <summary>Two entries for one origin chunk.</summary>
    DuplicateOldChunk,

    /// <summary>Two entries sharing one COW chunk.</summary>
    DuplicateNewChunk,

    /// <summary>An entry whose COW chunk is a metadata area.</summary>
    NewChunkInMetadata,

    /// <summary>An entry whose COW chunk is the header (chunk 0: on disk that ends the table early).</summary>
    NewChunkAtHeader,

    /// <summary>A non-zero entry after the end of the table.</summary>
    StrayEntryAfterEnd,

    /// <summary>Every metadata area full of non-zero entries: a table that never ends.</summary>
    TableNeverEnds,

    /// <summary>Magic not "SnAp" (or 0: a blank store).</summary>
    WrongMagic,

    /// <summary>Version other than 1.</summary>
    WrongVersion,

    /// <summary>Valid flag 0 (an invalid snapshot) or another non-zero value.</summary>
    ValidFlag,
}
