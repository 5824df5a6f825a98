namespace Slipway.Tests.Support;

/// <summary>A throwaway repository root (a temp dir with .nuke/) for one test.</summary>
public sealed class TestWorkspace : IDisposable
{
    public TestWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "slipway-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(Root, ".nuke"));
    }

    public string Root { get; }

    public string NukeFile(string name) => Path.Combine(Root, ".nuke", name);

    public void WriteParameters(string json, string? profile = null) =>
        File.WriteAllText(NukeFile(profile is null ? "parameters.json" : $"parameters.{profile}.json"), json);

    public void Dispose()
    {
        if (Directory.Exists(Root))
            Directory.Delete(Root, recursive: true);
    }
}
