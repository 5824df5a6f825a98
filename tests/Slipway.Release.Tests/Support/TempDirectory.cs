namespace Slipway.Release.Tests.Support;

/// <summary>A fresh directory under the system temp folder, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("slipway-test-").FullName;
    }

    public string Path { get; }

    /// <summary>A fresh directory that can be the root of an in-process build: it holds <c>.nuke/</c>.</summary>
    public static TempDirectory ForBuild()
    {
        var root = new TempDirectory();
        Directory.CreateDirectory(root.Combine(".nuke"));
        return root;
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
