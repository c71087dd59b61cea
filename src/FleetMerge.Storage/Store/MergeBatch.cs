namespace FleetMerge.Storage.Store;

/// <summary>
/// Consecutive exceptions merged by one copy: origin chunks [OldFirst, OldFirst+Count) take the
/// data of COW chunks [NewFirst, NewFirst+Count). Taken from the end of the table backwards.
/// </summary>
public readonly record struct MergeBatch(ulong OldFirst, ulong NewFirst, int Count);
