using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Beacon.Auth;

/// <summary>Loads the HMAC signing key. A key that is configured but unusable is an error at
/// startup (fail loudly); no key at all means every bearer token is refused.</summary>
public static class SigningKeyLoader
{
    /// <returns>The key, or null when none is configured.</returns>
    public static SymmetricSecurityKey? Load(AuthSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var hasFile = !string.IsNullOrWhiteSpace(settings.SigningKeyFile);
        var hasInline = !string.IsNullOrWhiteSpace(settings.SigningKey);
        if (hasFile && hasInline)
        {
            throw new InvalidOperationException("Set only one of Auth:SigningKeyFile and Auth:SigningKey.");
        }

        string? text;
        if (hasFile)
        {
            var path = settings.SigningKeyFile!;
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"Auth:SigningKeyFile '{path}' does not exist.");
            }

            text = File.ReadAllText(path);
        }
        else
        {
            text = settings.SigningKey;
        }

        if (text is null)
        {
            return null;
        }

        // Never include the key itself in a message.
        var bytes = Encoding.UTF8.GetBytes(text.TrimEnd());
        if (bytes.Length < AuthSettings.MinimumKeyBytes)
        {
            throw new InvalidOperationException(
                $"The configured signing key is {bytes.Length} bytes; HS256 needs at least {AuthSettings.MinimumKeyBytes}.");
        }

        return new SymmetricSecurityKey(bytes);
    }
}
