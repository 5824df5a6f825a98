using System.Text.Json;
using Slipway.Release.Kubernetes;
using Slipway.Release.PrSmoke;
using Slipway.Release.Tests.PrSmoke.Doubles;
using Slipway.Release.Tests.Support;

namespace Slipway.Release.Tests.PrSmoke;

public sealed class NamespaceStageTests : IDisposable
{
    private readonly TempDirectory _work = new();
    private readonly InstantTime _time = new();

    public void Dispose() => _work.Dispose();

    private PrSmokeState State => new("pr-7-7002-1-abcde", new KubeConnection(null, "kind-x"), null, "beacon-abcde", _time.GetUtcNow());

    [Fact]
    public async Task The_state_file_is_written_before_the_namespace_is_created_labelled_and_annotated_in_one_call()
    {
        var store = new PrSmokeStateStore(_work.Path);
        var stateSeenByCreate = false;
        string? manifest = null;
        var kubectl = new ScriptedKubectl
        {
            Create = json =>
            {
                stateSeenByCreate = store.LoadAll().Any(state => state.Namespace == "pr-7-7002-1-abcde" && state.Release == "beacon-abcde");
                manifest = json;
            },
        };

        await new NamespaceStage(kubectl, store, new RecordingLog(), _time).CreateAsync(State, 7, "0123456", 7002, TimeSpan.FromHours(2), CancellationToken.None);

        Assert.True(stateSeenByCreate, "the state file named the namespace when kubectl create ran");
        using var document = JsonDocument.Parse(manifest!);
        var metadata = document.RootElement.GetProperty("metadata");
        Assert.Equal("pr-7-7002-1-abcde", metadata.GetProperty("name").GetString());
        Assert.Equal(
            new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "slipway", ["slipway.dev/sha"] = "0123456", ["slipway.dev/pull-request"] = "7", ["slipway.dev/run-id"] = "7002" },
            metadata.GetProperty("labels").EnumerateObject().ToDictionary(label => label.Name, label => label.Value.GetString()!));
        Assert.Equal("2026-12-01T11:00:00Z", metadata.GetProperty("annotations").GetProperty("slipway.dev/expires-at").GetString());
    }

    [Fact]
    public async Task A_forbidden_create_says_so_with_the_next_step_and_the_state_still_names_it()
    {
        var store = new PrSmokeStateStore(_work.Path);
        var kubectl = new ScriptedKubectl { Create = _ => throw ScriptedKubectl.Forbidden("namespaces is forbidden: User \"ci\" cannot create resource \"namespaces\"") };

        var error = await Assert.ThrowsAsync<PrSmokeException>(() => new NamespaceStage(kubectl, store, new RecordingLog(), _time).CreateAsync(State, null, "0123456", null, TimeSpan.FromHours(2), CancellationToken.None));

        Assert.Contains("refused to create namespace pr-7-7002-1-abcde", error.Message, StringComparison.Ordinal);
        Assert.Contains("Next step", error.Message, StringComparison.Ordinal);
        Assert.Single(store.LoadAll());
    }
}
