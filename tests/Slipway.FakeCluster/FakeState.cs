using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Slipway.FakeCluster;

/// <summary>What a test switches on: the failure modes the lane must handle, and where the real pieces are.</summary>
public sealed class Scenario
{
    /// <summary>The helm line the fake plays: "4.1.4" (kstatus --wait) or "3.17.2" (legacy --wait).</summary>
    public string HelmVersion { get; set; } = "4.1.4";

    /// <summary>The real helm, which renders charts and runs every verb that does not touch a cluster.</summary>
    public string? RealHelm { get; set; }

    /// <summary><c>127.0.0.1:PORT</c> of the real Beacon process a port-forward reaches.</summary>
    public string? Backend { get; set; }

    /// <summary>Pods run but never become ready: helm --wait times out.</summary>
    public bool InstallNeverReady { get; set; }

    /// <summary>helm upgrade --wait never returns: it waits until it is killed.</summary>
    public bool HelmWaitHangs { get; set; }

    /// <summary>The app's container crash-loops (with previous logs); helm's poller saw it ready once and says deployed.</summary>
    public bool CrashLoop { get; set; }

    /// <summary>A deleted namespace stays Terminating until its finalizers are removed.</summary>
    public bool NamespaceStuckTerminating { get; set; }

    /// <summary>auth can-i says yes, but creating the namespace is forbidden (an admission policy).</summary>
    public bool ForbidCreateNamespace { get; set; }

    /// <summary>No API server answers.</summary>
    public bool Unreachable { get; set; }

    /// <summary>kind finds no container runtime.</summary>
    public bool KindNoRuntime { get; set; }

    /// <summary>auth can-i answers by "verb resource"; missing means yes.</summary>
    public Dictionary<string, bool> CanI { get; set; } = [];

    /// <summary>A port-forward exits (lost connection to pod) after this many connections, once.</summary>
    public int? PortForwardDropsAfter { get; set; }

    public string ServerVersion { get; set; } = "v1.36.1";
}

public sealed class FakeNamespace
{
    public Dictionary<string, string> Labels { get; set; } = [];

    public Dictionary<string, string> Annotations { get; set; } = [];

    public string Phase { get; set; } = "Active";

    public List<string> SpecFinalizers { get; set; } = ["kubernetes"];

    public List<string> MetadataFinalizers { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DeletionRequestedAt { get; set; }
}

public sealed class FakeRelease
{
    public string Name { get; set; } = string.Empty;

    public string Namespace { get; set; } = string.Empty;

    public int Revision { get; set; }

    public string Status { get; set; } = "pending-install";

    public string Chart { get; set; } = string.Empty;

    public string AppVersion { get; set; } = string.Empty;

    public DateTimeOffset Updated { get; set; }

    public string Description { get; set; } = string.Empty;
}

/// <summary>An image a kind node's containerd holds: the name it was imported under and the digest that name points at.</summary>
public sealed record LoadedImage(string Name, string Digest);

/// <summary>One cluster, reached through one kube context.</summary>
public sealed class FakeClusterState
{
    public string Server { get; set; } = "https://127.0.0.1:6443";

    /// <summary>The kind cluster's name; null for a cluster that is not kind's.</summary>
    public string? KindName { get; set; }

    public Dictionary<string, FakeNamespace> Namespaces { get; set; } = [];

    /// <summary>Every namespaced object (workloads, pods, services, events, ...) as the API server would return it.</summary>
    public List<JsonObject> Objects { get; set; } = [];

    /// <summary>By <c>namespace/name</c>.</summary>
    public Dictionary<string, FakeRelease> Releases { get; set; } = [];

    public List<LoadedImage> Images { get; set; } = [];

    /// <summary>Container logs by <c>namespace/pod/container</c>, and <c>.../previous</c> for the instance before the last restart.</summary>
    public Dictionary<string, string> Logs { get; set; } = [];

    public static FakeClusterState New(string server, string? kindName)
    {
        var cluster = new FakeClusterState { Server = server, KindName = kindName };
        foreach (var name in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
            cluster.Namespaces[name] = new FakeNamespace { CreatedAt = DateTimeOffset.UtcNow };
        return cluster;
    }
}

/// <summary>The whole simulated world, kept in one JSON file that every fake invocation locks while it reads or changes it.</summary>
public sealed class FakeState
{
    public const string Variable = "SLIPWAY_FAKE_CLUSTER";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public Scenario Scenario { get; set; } = new();

    /// <summary>By kube context name.</summary>
    public Dictionary<string, FakeClusterState> Clusters { get; set; } = [];

    public static string PathFromEnvironment() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path
            ? path
            : throw new FakeExit(2, $"error: {Variable} is not set: the fake cluster needs its state file.");

    /// <summary>
    /// Reads the state under an exclusive lock, lets <paramref name="change"/> work on it, writes it back, then unlocks.
    /// A tool's error answer (<see cref="FakeExit"/>) still keeps what happened before it: the cluster moved on (a
    /// namespace finished terminating) even if the request then found nothing.
    /// </summary>
    public static T Update<T>(string path, Func<FakeState, T> change)
    {
        using var file = Lock(path);
        var state = file.Length == 0 ? new FakeState() : JsonSerializer.Deserialize<FakeState>(file, Options) ?? new FakeState();
        try
        {
            return change(state);
        }
        finally
        {
            Save(file, state);
        }
    }

    private static void Save(FileStream file, FakeState state)
    {
        file.SetLength(0);
        JsonSerializer.Serialize(file, state, Options);
    }

    public static void Write(string path, FakeState state)
    {
        using var file = Lock(path);
        Save(file, state);
    }

    public static FakeState Read(string path)
    {
        using var file = Lock(path);
        return file.Length == 0 ? new FakeState() : JsonSerializer.Deserialize<FakeState>(file, Options) ?? new FakeState();
    }

    /// <summary>FileShare.None is an exclusive flock on Linux: concurrent fakes (helm waiting, kubectl polling) take turns.</summary>
    private static FileStream Lock(string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(5);
            }
        }
    }
}

/// <summary>Ends the fake with an exit code and a message on stderr, as the real tool would.</summary>
public sealed class FakeExit(int code, string message) : Exception(message)
{
    public int Code { get; } = code;
}
