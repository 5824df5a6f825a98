namespace Slipway.Release.Tests.Support;

/// <summary>This repository, as the tests see it from their output folder, and copies of its files.</summary>
internal static class Repository
{
    public static string Root => Slipway.Testing.TestRepository.Root;

    public static string ShippedChart => Path.Combine(Root, "charts", "beacon");

    /// <summary>Copies a source folder, leaving out build output (bin/, obj/).</summary>
    public static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories).Where(IsSource))
            Directory.CreateDirectory(directory.Replace(source, destination, StringComparison.Ordinal));
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Where(IsSource))
            File.Copy(file, file.Replace(source, destination, StringComparison.Ordinal));

        bool IsSource(string path) =>
            !Path.GetRelativePath(source, path).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj");
    }
}
