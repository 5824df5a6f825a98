using System.Globalization;

namespace Slipway.Logging;

/// <summary>Every (redacted) line of a run in <c>.nuke/temp/build.log</c>; the previous runs are kept as build.1.log … build.N.log.</summary>
internal sealed class BuildLogFile : IDisposable
{
    public const int KeptRuns = 5;

    private readonly object _gate = new();
    private readonly StreamWriter _writer;

    private BuildLogFile(StreamWriter writer) => _writer = writer;

    public static BuildLogFile Open(string directory)
    {
        Directory.CreateDirectory(directory);
        var current = Path.Combine(directory, "build.log");
        for (var run = KeptRuns - 1; run >= 1; run--)
        {
            var older = Path.Combine(directory, $"build.{run}.log");
            var previous = run == 1 ? current : Path.Combine(directory, $"build.{run - 1}.log");
            if (File.Exists(previous))
                File.Move(previous, older, overwrite: true);
        }

        return new BuildLogFile(new StreamWriter(current, append: false) { AutoFlush = true });
    }

    public void Write(LogEntry entry)
    {
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{entry.Time:HH:mm:ss.fff} {entry.Level,-7} {(entry.Target is null ? string.Empty : $"[{entry.Target}] ")}{entry.Text}");
        lock (_gate)
            _writer.WriteLine(line);
    }

    public void Dispose()
    {
        lock (_gate)
            _writer.Dispose();
    }
}
