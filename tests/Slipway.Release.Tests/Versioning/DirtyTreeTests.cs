using Slipway.Release.Versioning;

namespace Slipway.Release.Tests.Versioning;

public sealed class DirtyTreeTests
{
    private static readonly GitFacts Clean = new("9fceb02d0ae598e95dc970b74767f19372d61af8", DateTimeOffset.UnixEpoch, null, 3, null);

    private static readonly GitFacts Dirty = Clean with
    {
        Changes = new WorkingTreeChanges(["a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt", "g.txt"], "5e8f1a2c" + new string('0', 56)),
    };

    [Fact]
    public void A_dirty_version_is_refused_unless_allowed_naming_the_changes_and_both_ways_out()
    {
        var version = new ReleaseVersion(VersionCalculator.Calculate(Dirty), Dirty);

        var error = Assert.Throws<DirtyTreeException>(() => version.EnsureClean(allowDirty: false, "Publish"));

        Assert.Contains("Publish refuses a working tree with uncommitted changes (7: a.txt, b.txt, c.txt, d.txt, e.txt and 2 more)", error.Message);
        Assert.Contains("not commit 9fceb02", error.Message);
        Assert.Contains("Commit or stash them", error.Message);
        Assert.Contains("--allow-dirty to release them as 0.1.0-ci.3.g9fceb02.dirty-5e8f1a2", error.Message);
        version.EnsureClean(allowDirty: true, "Publish");
    }

    [Fact]
    public void A_clean_version_is_never_refused()
    {
        var version = new ReleaseVersion(VersionCalculator.Calculate(Clean), Clean);

        Assert.False(version.IsDirty);
        version.EnsureClean(allowDirty: false, "Publish");
    }
}
