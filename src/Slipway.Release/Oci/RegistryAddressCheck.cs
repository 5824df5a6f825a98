using System.Globalization;
using System.Text.RegularExpressions;

namespace Slipway.Release.Oci;

/// <summary>
/// Where to publish: <c>host[:port][/namespace]</c> in lower case, port 1-65535, a host a reference can start with (a dot, a
/// port, or localhost). Empty is fine: it means an embedded registry. Checked before anything runs, where a malformed port
/// would otherwise fail only after every gate.
/// </summary>
public sealed partial class RegistryAddressCheck : IParameterCheck
{
    private const string Form = "must be host[:port][/namespace] in lower case, such as ghcr.io/my-org or 127.0.0.1:5000";

    public string? Check(string value, ParameterCheckContext context)
    {
        var registry = value.Trim().TrimEnd('/');
        if (registry.Length == 0)
            return null;
        if (registry.Contains("://", StringComparison.Ordinal))
            return Form + ", without a scheme (drop the http:// or https://)";
        var match = AddressPattern().Match(registry);
        if (!match.Success)
            return Form;
        if (match.Groups["port"] is { Success: true } port && int.Parse(port.Value, CultureInfo.InvariantCulture) is < 1 or > 65535)
            return "must have a port from 1 to 65535";
        var host = match.Groups["host"].Value;
        return host.Contains('.', StringComparison.Ordinal) || match.Groups["port"].Success || host == "localhost"
            ? null
            : $"must start with a registry host that has a dot, a port or is localhost ('{host}' would be read as a repository)";
    }

    [GeneratedRegex(@"^(?<host>[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(:(?<port>[0-9]{1,5}))?(/[a-z0-9]+([._-][a-z0-9]+)*)*$")]
    private static partial Regex AddressPattern();
}
