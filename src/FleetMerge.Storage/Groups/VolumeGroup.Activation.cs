namespace FleetMerge.Storage.Groups;

/// <summary>Activation (lvchange/vgchange -ay, -an) and opening volumes.</summary>
public sealed partial class VolumeGroup
{
    /// <summary>
    /// Activates the volume's origin and all its snapshots. A merge requested for the origin
    /// (onactivate, requested while inactive, or interrupted) starts now unless the volumes it
    /// needs closed are open — possible only when the origin was already active — in which case
    /// it stays pending. Started merges are returned for the caller to run.
    /// </summary>
    public ActivationResult Activate(string name)
    {
        lock (gate)
        {
            ThrowIfDisposed();
            return ActivateFamily(metadata.OriginOf(Find(name)));
        }
    }

    /// <summary>Activates every origin with its snapshots (vgchange -ay). Every origin is tried; the first failure is thrown afterwards.</summary>
    public ActivationResult ActivateAll()
    {
        lock (gate)
        {
            ThrowIfDisposed();
            var results = new List<ActivationResult>();
            var failures = new List<StorageException>();
            foreach (var origin in metadata.Origins.ToList())
            {
                try { results.Add(ActivateFamily(origin)); }
                catch (StorageException e) { failures.Add(e); }
            }
            if (failures.Count > 0)
                throw new StorageException(failures[0].Message + (failures.Count > 1 ? $" (and {failures.Count - 1} more)" : ""), failures[0]);
            return ActivationResult.Combine(results);
        }
    }

    /// <summary>Deactivates the volume's origin and snapshots; refused while any of them is open. A running merge stops and resumes at the next activation.</summary>
    public void Deactivate(string name)
    {
        ActiveFamily? family;
        lock (gate)
        {
            ThrowIfDisposed();
            family = FamilyOf(Find(name));
            if (family is null) return;
            BeginDeactivate(family);
        }
        EndDeactivate([family]);
    }

    /// <summary>Deactivates every volume (vgchange -an); refused, changing nothing, while any volume is open.</summary>
    public void DeactivateAll()
    {
        List<ActiveFamily> active;
        lock (gate)
        {
            ThrowIfDisposed();
            active = families.Values.ToList();
            var open = active.Where(f => f.TotalOpenCount > 0).ToList();
            if (open.Count > 0) CheckDeactivatable(open[0], $"volume group {metadata.Name}");
            foreach (var family in active) BeginDeactivate(family);
        }
        EndDeactivate(active);
    }

    /// <summary>Opens a session on an active volume (counted in its open count until disposed).</summary>
    public VolumeSession Open(string name)
    {
        lock (gate)
        {
            ThrowIfDisposed();
            var volume = Find(name);
            var origin = metadata.OriginOf(volume);
            var family = families.GetValueOrDefault(origin.Uuid);
            var merging = metadata.MergingSnapshotOf(origin.Uuid);
            var mark = volume.Kind == VolumeKind.Snapshot ? volume.Merge : merging?.Merge;
            string partner = Display(volume.Kind == VolumeKind.Snapshot ? origin.Name : merging?.Name ?? "");
            VolumeRules.CheckOpen(Display(name), volume.Kind, family is not null, family?.Deactivating ?? false, mark, partner);
            var live = family!.Volumes[volume.Uuid];
            live.OpenCount++;
            return new VolumeSession(this, live, Display(name), volume.Uuid, family.Origin.Length);
        }
    }

    /// <summary>Whether the volume (with its origin family) is active.</summary>
    public bool IsActive(string name)
    {
        lock (gate) return FamilyOf(Find(name)) is not null;
    }

    /// <summary>Sessions open on the volume.</summary>
    public int OpenCount(string name)
    {
        lock (gate)
        {
            var volume = Find(name);
            return FamilyOf(volume)?.OpenCount(volume.Uuid) ?? 0;
        }
    }

    /// <summary>Caller holds the lock.</summary>
    private ActivationResult ActivateFamily(VolumeRecord origin)
    {
        if (!families.TryGetValue(origin.Uuid, out var family))
        {
            try { family = ActiveFamily.Open(directory, origin, metadata.SnapshotsOf(origin.Uuid).ToList()); }
            catch (StorageException e) { throw new StorageException($"cannot activate {Display(origin.Name)}: {e.Message}", e); }
            families[origin.Uuid] = family;
        }
        else if (family.Deactivating) throw new VolumeBusyException($"{Display(origin.Name)} is being deactivated");
        var pending = metadata.MergingSnapshotOf(origin.Uuid);
        if (pending is null || family.Merge is not null) return new ActivationResult([], []);
        string? conflict = MergeRules.OpenConflict(pending.Merge!.Mode, Display(origin.Name), Display(pending.Name),
            family.OpenCount(origin.Uuid), family.OpenCount(pending.Uuid));
        if (conflict is not null)
            return new ActivationResult([], [$"{Display(pending.Name)}: merge into {Display(origin.Name)} stays pending: {conflict}"]);
        try { return new ActivationResult([StartMerge(family, pending, pending.Merge)], []); }
        catch (StorageException e)
        {
            // The kernel does the same with an invalid merging snapshot: the origin works, the merge never runs.
            return new ActivationResult([], [$"{Display(pending.Name)}: merge into {Display(origin.Name)} cannot start: {e.Message}"]);
        }
    }

    private void CheckDeactivatable(ActiveFamily family, string what)
    {
        var members = family.Volumes.Select(kv => (Display(metadata.FindUuid(kv.Key)?.Name ?? kv.Key), kv.Value.OpenCount));
        VolumeRules.CheckDeactivate(what, members);
    }

    /// <summary>Caller holds the lock: refuses if open, then fences off opens and changes.</summary>
    private void BeginDeactivate(ActiveFamily family)
    {
        if (family.Deactivating) throw new VolumeBusyException($"{Display(metadata.FindUuid(family.OriginUuid)?.Name ?? family.OriginUuid)} is being deactivated");
        CheckDeactivatable(family, Display(metadata.FindUuid(family.OriginUuid)?.Name ?? family.OriginUuid));
        family.Deactivating = true;
    }

    /// <summary>
    /// Stops the merges without the lock (a merge that completes meanwhile needs it to finish),
    /// then flushes and closes.
    /// </summary>
    private void EndDeactivate(IReadOnlyList<ActiveFamily> closing)
    {
        foreach (var family in closing) family.Merge?.Stop();
        lock (gate)
        {
            StorageException? failure = null;
            foreach (var family in closing)
            {
                try { family.Flush(); }
                catch (StorageException e) { failure ??= e; }
                catch (IOException e) { failure ??= new StorageException($"flushing {Display(metadata.FindUuid(family.OriginUuid)?.Name ?? family.OriginUuid)} failed: {e.Message}", e); }
                finally
                {
                    family.Dispose();
                    families.Remove(family.OriginUuid);
                }
            }
            if (failure is not null) throw failure;
        }
    }
}
