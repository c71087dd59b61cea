namespace FleetMerge.Node.Tests.Observability;

/// <summary>The test's reader of the Prometheus text format (what the other tests rely on to read a scrape).</summary>
public sealed class ScrapeTests
{
    [Fact]
    public void Samples_are_read_with_their_labels_and_comments_are_skipped()
    {
        var scrape = Scrape.Parse("""
            # TYPE fleetmerge_hosts gauge
            # HELP fleetmerge_hosts Hosts
            fleetmerge_hosts{otel_scope_name="FleetMerge.Fleet",reachability="reachable",state="idle"} 4
            fleetmerge_hosts{otel_scope_name="FleetMerge.Fleet",reachability="left",state="idle"} 1
            fleetmerge_merges_running 0
            fleetmerge_cow_used_ratio{host="h",lv="pre"} 0.5 1700000000000
            # EOF
            """);
        Assert.Equal(4, scrape.Samples.Count);
        Assert.Equal(4.0, scrape.Value("fleetmerge_hosts", "reachability=reachable"));
        Assert.Equal(1.0, scrape.Value("fleetmerge_hosts", "reachability=left", "state=idle"));
        Assert.Null(scrape.Value("fleetmerge_hosts", "reachability=unreachable"));
        Assert.Equal(0.0, scrape.Value("fleetmerge_merges_running"));
        Assert.Equal(0.5, scrape.Value("fleetmerge_cow_used_ratio", "host=h", "lv=pre"));
        Assert.Equal(0.0, scrape.ValueOrZero("fleetmerge_merges_failed_total"));
        Assert.Equal(2, scrape.All("fleetmerge_hosts").Count);
    }
}
