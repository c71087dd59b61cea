using FleetMerge.Torture.Cli;

namespace FleetMerge.Torture.Tests.Cli;

public sealed class MergeTablesTests
{
    private static readonly List<(ulong, ulong)> Table = [(5, 2), (6, 3), (9, 4)];

    [Fact]
    public void The_merged_table_may_only_lose_entries_off_its_end()
    {
        Assert.Null(MergeTables.Shrunk(Table, Table.Take(2).ToList()));
        Assert.Null(MergeTables.Shrunk(Table, []));
        Assert.Equal("snapshot 1's table is not a prefix of the table before the merge: entry 1 changed", MergeTables.Shrunk(Table, [(5, 2), (7, 3)]));
        Assert.Equal("snapshot 1's table grew from 3 to 4 entries", MergeTables.Shrunk(Table, [.. Table, (10, 5)]));
    }

    [Fact]
    public void The_other_snapshots_table_may_only_gain_entries()
    {
        Assert.Null(MergeTables.Grown(Table, [.. Table, (10, 5)]));
        Assert.Equal("snapshot 2's table lost entries (3 -> 2)", MergeTables.Grown(Table, Table.Take(2).ToList()));
        Assert.Equal("snapshot 2's table changed entry 0", MergeTables.Grown(Table, [(4, 2), (6, 3), (9, 4)]));
    }
}
