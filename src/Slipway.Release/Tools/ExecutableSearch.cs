namespace Slipway.Release.Tools;

/// <summary>Finds an executable on a PATH the way a shell would, without running anything.</summary>
public static class ExecutableSearch
{
    /// <param name="searchPath">The PATH to search; null for this process's.</param>
    public static string? FindOnPath(string name, string? searchPath = null)
    {
        var fileName = OperatingSystem.IsWindows() ? name + ".exe" : name;
        var path = searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, fileName))
            .FirstOrDefault(candidate => File.Exists(candidate) && IsExecutable(candidate));
    }

    private static bool IsExecutable(string file) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0;
}
