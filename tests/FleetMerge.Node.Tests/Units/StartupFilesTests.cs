using FleetMerge.Node.Startup;
using FleetMerge.Node.Tests.Fixtures;

namespace FleetMerge.Node.Tests.Units;

/// <summary>DIR/api-token and DIR/node.lock.</summary>
public sealed class StartupFilesTests : IDisposable
{
    private readonly TempDir dir = new("fleetmerge-node-files");

    public void Dispose() => dir.Dispose();

    [Fact]
    public void The_token_is_created_once_private_and_reused()
    {
        string path = dir.File("api-token");
        string token = ApiToken.LoadOrCreate(path);
        Assert.Matches("^[0-9a-f]{64}$", token);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(token + "\n", File.ReadAllText(path));
        Assert.Equal(token, ApiToken.LoadOrCreate(path));
        Assert.Equal(["api-token"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        Assert.NotEqual(token, ApiToken.LoadOrCreate(dir.File("other-token")));
    }

    [Fact]
    public void A_loosened_token_file_is_tightened_and_a_written_one_is_kept()
    {
        string path = dir.File("api-token");
        File.WriteAllText(path, "my-own-operator-chosen-token\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.Equal("my-own-operator-chosen-token", ApiToken.LoadOrCreate(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void An_empty_token_file_is_refused_with_advice()
    {
        string path = dir.File("api-token");
        File.WriteAllText(path, "\n");
        var e = Assert.Throws<ApiTokenException>(() => ApiToken.LoadOrCreate(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("delete the file", e.Message);
    }

    [Fact]
    public void Tokens_compare_exactly()
    {
        Assert.True(ApiToken.Matches("abc123abc123abc123", "abc123abc123abc123"));
        Assert.False(ApiToken.Matches("abc123abc123abc123", "abc123abc123abc12"));
        Assert.False(ApiToken.Matches("abc123abc123abc123", "ABC123ABC123ABC123"));
        Assert.False(ApiToken.Matches("abc123abc123abc123", ""));
        Assert.False(ApiToken.Matches("abc123abc123abc123", null));
    }

    [Fact]
    public void The_lock_is_exclusive_names_the_holder_and_is_released_on_dispose()
    {
        string lockPath = dir.File("node.lock");
        using (var held = DataDirLock.Acquire(dir.Path, lockPath))
        {
            var e = Assert.Throws<DataDirLockedException>(() => DataDirLock.Acquire(dir.Path, lockPath));
            Assert.Equal($"data directory {dir.Path} is in use by another node (pid {Environment.ProcessId} holds {lockPath})", e.Message);
            Assert.Equal(Environment.ProcessId, DataDirLock.ReadPidWithoutLocking(lockPath));
        }
        using var again = DataDirLock.Acquire(dir.Path, lockPath);
        Assert.Equal(Environment.ProcessId, DataDirLock.ReadPidWithoutLocking(lockPath));
    }
}
