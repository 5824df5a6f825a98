namespace Slipway.Release.Tests.Support;

/// <summary>This repository, as the tests see it from their output folder, and copies of its files.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string ShippedChart => Path.Combine(Root, "charts", "beacon");

    public static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(directory.Replace(source, destination, StringComparison.Ordinal));
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            File.Copy(file, file.Replace(source, destination, StringComparison.Ordinal));
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Release.sln")))
                return directory.FullName;
        }

        throw new InvalidOperationException("Release.sln not found above the test assembly.");
    }
}
