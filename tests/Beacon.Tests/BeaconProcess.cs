using System.Diagnostics;

namespace Beacon.Tests;

/// <summary>
/// Beacon as a real process, for what must happen at start-up: WebApplicationFactory reports a failed start racily
/// (under load its own disposal can surface instead of the app's exception), a process's exit code and output cannot.
/// </summary>
internal static class BeaconProcess
{
    private static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(30);

    /// <summary>Starts Beacon with <paramref name="settings"/> as environment variables and waits for it to exit by itself.</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Beacon.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(StartupLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Beacon did not stop within {StartupLimit.TotalSeconds} s although its start must fail.");
        }

        return (process.ExitCode, await output + await error);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
