namespace FleetMerge.Torture.Cli;

/// <summary>
/// What the engine guarantees for a `cow write` that was not acknowledged (killed, or failed on a
/// full disk): every snapshot store verifies clean and stays valid; an origin write never changes
/// a snapshot's view (old chunks are copied and their mapping made durable before the origin is
/// touched); a snapshot write never changes the origin or another snapshot; and inside the written
/// range the written image holds, unit by unit, either the bytes from before the write or the bytes
/// from after it, while outside it nothing changed. A unit is a page (the page cache's granule: a
/// killed pwrite stops between pages) cut where the CLI's 4 MiB pieces meet (see ByteCompare).
/// </summary>
public static class WriteCheck
{
    /// <summary>
    /// Checks the files after an unacknowledged write against the model from before it. On success
    /// the model takes the state found (the write stays half done: that is the new truth) and the
    /// result counts old and new pages; otherwise Problem says what broke (always data lost).
    /// </summary>
    public static BeforeOrAfterResult Unacknowledged(ModelledImages images, CowWrite write, string when)
    {
        for (int i = 0; i < images.Cows.Count; i++)
        {
            if (images.Verify(i) is { } findings) return new(0, 0, $"{when}: {findings}");
            if (!RawCow.Read(images.Cows[i]).Valid) return new(0, 0, $"{when}: {Path.GetFileName(images.Cows[i])} was made invalid");
        }
        byte[] origin = File.ReadAllBytes(images.Origin);
        var views = images.Cows.Select(c => RawCow.View(images.Origin, c)).ToList();
        byte[] actual = write.ToOrigin ? origin : views[write.Snapshot];
        var result = ByteCompare.BeforeOrAfter(write.Target(images), write.After(images), actual, write.Offset, write.Length);
        if (result.Problem is { } p)
            return result with { Problem = $"{when}: {(write.ToOrigin ? "origin" : $"view of {Path.GetFileName(images.Cows[write.Snapshot])}")}: {p}" };
        if (!write.ToOrigin && ByteCompare.Exactly(images.OriginModel, origin) is { } o)
            return result with { Problem = $"{when}: a snapshot write changed the origin: {o}" };
        for (int i = 0; i < views.Count; i++)
            if (i != write.Snapshot && ByteCompare.Exactly(images.Views[i], views[i]) is { } v)
                return result with { Problem = $"{when}: view of {Path.GetFileName(images.Cows[i])} changed: {v}" };
        if (write.ToOrigin) images.OriginModel = actual;
        else images.Views[write.Snapshot] = actual;
        return result;
    }

    /// <summary>An acknowledged write: into the model, then everything exactly.</summary>
    public static (string Problem, bool Lost)? Acknowledged(ModelledImages images, CowWrite write, string when)
    {
        write.Data.CopyTo(write.Target(images), write.Offset);
        return images.Check(when);
    }
}
