using System.Globalization;

namespace Slipway.Release.Smoke;

/// <summary>The TCP ports a process listens on, read from /proc (its socket inodes matched against its network namespace's tables).</summary>
public static class ListeningPorts
{
    private const string Listen = "0A";

    /// <returns>The ports, sorted; empty when the process is gone or /proc is not readable.</returns>
    public static IReadOnlyList<int> Of(int processId)
    {
        try
        {
            var inodes = new HashSet<string>(StringComparer.Ordinal);
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{processId}/fd"))
            {
                var target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                    inodes.Add(target["socket:[".Length..^1]);
            }

            var ports = new SortedSet<int>();
            foreach (var table in new[] { "tcp", "tcp6" })
            {
                var path = $"/proc/{processId}/net/{table}";
                if (!File.Exists(path))
                    continue;
                foreach (var line in File.ReadLines(path).Skip(1))
                {
                    var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (fields.Length > 9 && fields[3] == Listen && inodes.Contains(fields[9]))
                        ports.Add(int.Parse(fields[1][(fields[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                }
            }

            return [.. ports];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
