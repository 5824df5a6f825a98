using Slipway.FakeCluster;
using Slipway.Release.Tools;

namespace Slipway.Release.Tests.PrSmoke.Fakes;

/// <summary>
/// One simulated world for a test: the state file the fake kubectl, helm and kind share, wrapper scripts that run the
/// fake as each tool with that state (so any process, a build started through ./build.sh too, reaches the same world),
/// and a kubeconfig whose current context is a ready cluster ("current" mode). Deleted on dispose.
/// </summary>
internal sealed class SimulatedCluster : IDisposable
{
    public const string CurrentContext = "fake-current";

    private readonly DirectoryInfo _directory = System.IO.Directory.CreateTempSubdirectory("slipway-fake-cluster-");

    public SimulatedCluster(string realHelm)
    {
        FakeState.Write(StatePath, new FakeState { Scenario = new Scenario { RealHelm = realHelm } });
        foreach (var tool in new[] { "kubectl", "helm", "kind" })
        {
            var wrapper = Path.Combine(_directory.FullName, tool);
            File.WriteAllText(wrapper, $"#!/bin/sh\nexport {FakeState.Variable}='{StatePath}'\nexec '{Path.Combine(AppContext.BaseDirectory, "Slipway.FakeCluster")}' {tool} \"$@\"\n");
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public string Root => _directory.FullName;

    public string StatePath => Path.Combine(_directory.FullName, "state.json");

    public string Kubectl => Path.Combine(_directory.FullName, "kubectl");

    public string Helm => Path.Combine(_directory.FullName, "helm");

    public string Kind => Path.Combine(_directory.FullName, "kind");

    /// <summary>A kubeconfig whose current context reaches the cluster <see cref="AddCurrentCluster"/> adds.</summary>
    public string Kubeconfig => Path.Combine(_directory.FullName, "kubeconfig");

    public ResolvedTool KubectlTool => new("kubectl", Kubectl, new Version(1, 35, 2), "fake");

    public ResolvedTool KindTool => new("kind", Kind, new Version(0, 32, 0), "fake");

    public ResolvedTool HelmTool(Version version) => new("helm", Helm, version, "fake");

    public FakeState State => FakeState.Read(StatePath);

    public IReadOnlyList<Call> Calls => Slipway.FakeCluster.Calls.Read(StatePath);

    /// <summary>The calls of one tool, each as one line of its arguments.</summary>
    public IReadOnlyList<string> CallsOf(string tool) => [.. Calls.Where(call => call.Tool == tool).Select(call => call.Line)];

    public void AddCurrentCluster()
    {
        Slipway.FakeCluster.Kubeconfig.Upsert(Kubeconfig, CurrentContext, "https://127.0.0.1:6443");
        Change(state => state.Clusters[CurrentContext] = FakeClusterState.New("https://127.0.0.1:6443", kindName: null));
    }

    public void Scenario(Action<Scenario> change) => Change(state => change(state.Scenario));

    public void Change(Action<FakeState> change) => FakeState.Update(StatePath, state =>
    {
        change(state);
        return 0;
    });

    public FakeClusterState Cluster(string context) => State.Clusters[context];

    /// <summary>Also kills any fake still running: a helm left hanging by a killed build is an orphan nobody else stops.</summary>
    public void Dispose()
    {
        foreach (var call in Calls)
            BuildProcess.KillIfRunning(call.Pid);
        _directory.Delete(recursive: true);
    }
}
