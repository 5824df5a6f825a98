using System.Security.Cryptography;

namespace Slipway.Release.Tools;

/// <summary>Digests in the notations tool publishers use: hex sha256 (release pages) and base64 sha512 (npm "integrity").</summary>
internal static class Checksums
{
    public static async Task<string> NpmIntegrityAsync(string file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        return "sha512-" + Convert.ToBase64String(await SHA512.HashDataAsync(stream, cancellationToken));
    }

    public static async Task VerifySha256Async(string file, string expected, string what, CancellationToken cancellationToken)
    {
        var actual = await Sha256HexAsync(file, cancellationToken);
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            throw new ToolProvisioningException($"{what} has sha256 {actual}, expected {expected}: refusing to use it.");
    }

    private static async Task<string> Sha256HexAsync(string file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
