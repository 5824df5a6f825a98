using System.Globalization;

namespace Beacon.Hosting;

/// <summary>Which HTTP port to listen on: PORT, then Beacon:Port (env Beacon__Port), then whatever
/// ASPNETCORE_HTTP_PORTS / ASPNETCORE_URLS already say, else 8080.</summary>
public static class ListenPort
{
    public const int Default = 8080;

    /// <returns>The port to bind, or null when ASP.NET Core's own settings already decide.</returns>
    public static int? Resolve(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var key in new[] { "PORT", "Beacon:Port" })
        {
            var raw = configuration[key];
            if (!string.IsNullOrWhiteSpace(raw))
            {
                return Parse(key, raw);
            }
        }

        var aspNetCoreDecides = !string.IsNullOrWhiteSpace(configuration["http_ports"])
            || !string.IsNullOrWhiteSpace(configuration["urls"]);
        return aspNetCoreDecides ? null : Default;
    }

    private static int Parse(string key, string raw) =>
        int.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new InvalidOperationException($"Configuration '{key}' must be a TCP port between 1 and 65535, got '{raw}'.");
}
