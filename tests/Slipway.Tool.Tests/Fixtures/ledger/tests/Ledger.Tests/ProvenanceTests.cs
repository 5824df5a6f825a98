using Ledger;
using Xunit;

namespace Ledger.Tests;

public sealed class ProvenanceTests
{
    [Fact]
    public void The_informational_version_carries_release_and_commit() =>
        Assert.Equal(new Provenance("1.4.0", "abc123"), Provenance.Parse("1.4.0+abc123"));

    [Fact]
    public void Without_a_commit_it_is_unknown() =>
        Assert.Equal(new Provenance("1.4.0", "unknown"), Provenance.Parse("1.4.0"));
}
