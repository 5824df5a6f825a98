namespace Slipway.Secrets;

/// <summary>Values that must never be printed: secret parameters and tokens registered at run time.</summary>
public sealed class SecretRegistry
{
    public const string Mask = "***";

    private readonly object _gate = new();
    private string[] _values = [];

    /// <summary>Raised once per new secret, so a host can mask it too (GitHub Actions' ::add-mask::).</summary>
    public event Action<string>? Registered;

    public void Register(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
            return;

        lock (_gate)
        {
            if (_values.Contains(secret, StringComparer.Ordinal))
                return;
            // Longest first, so a secret that contains another is masked whole.
            _values = [.. _values.Append(secret).OrderByDescending(value => value.Length)];
        }

        Registered?.Invoke(secret);
    }

    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text ?? string.Empty;

        var values = Volatile.Read(ref _values);
        foreach (var value in values)
        {
            if (text.Contains(value, StringComparison.Ordinal))
                text = text.Replace(value, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
