using Slipway.Release.Kubernetes;
using Slipway.Release.PrSmoke;
using Slipway.Release.Tests.Support;

namespace Slipway.Release.Tests.PrSmoke;

public sealed class PrSmokeStateStoreTests : IDisposable
{
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public void A_state_written_is_read_back_whole_and_a_later_write_replaces_it()
    {
        var store = new PrSmokeStateStore(_work.Combine("pr-smoke"));
        var state = new PrSmokeState("pr-7-abcde", new KubeConnection("/k/kubeconfig", "kind-slipway-pr-7"), "slipway-pr-7", null, new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

        store.Save(state);
        store.Save(state with { Release = "beacon-abcde" });

        Assert.Equal([state with { Release = "beacon-abcde" }], store.LoadAll());
        Assert.Equal(["pr-7-abcde.json"], Directory.GetFiles(store.Directory).Select(Path.GetFileName));
    }

    [Fact]
    public void No_directory_means_nothing_to_tear_down_and_deleting_removes_the_file()
    {
        var store = new PrSmokeStateStore(_work.Combine("none"));
        Assert.Empty(store.LoadAll());

        store.Save(new PrSmokeState("local-abcde", KubeConnection.Default with { Context = "ctx" }, null, "beacon-abcde", DateTimeOffset.UnixEpoch));
        store.Delete("local-abcde");

        Assert.Empty(store.LoadAll());
    }

    [Fact]
    public void A_file_that_is_not_a_state_is_reported_with_its_path_and_what_to_do()
    {
        var store = new PrSmokeStateStore(_work.Path);
        File.WriteAllText(_work.Combine("pr-1-zzzzz.json"), "{\"namespace\":\"pr-1-zzzzz\",\"surprise\":1}");

        var error = Assert.Throws<PrSmokeException>(() => store.LoadAll());

        Assert.Contains("pr-1-zzzzz.json is not a PR smoke state file", error.Message, StringComparison.Ordinal);
        Assert.Contains("kubectl delete namespace", error.Message, StringComparison.Ordinal);
    }
}
