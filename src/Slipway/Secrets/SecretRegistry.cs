namespace Slipway.Secrets;

/// <summary>
/// Values that must never be printed: secret parameters and tokens registered at run time, masked as written and in the forms
/// tools turn them into (<see cref="SecretForms"/>: base64, URL-escaped, JSON-escaped, each line of a multi-line one).
/// </summary>
public sealed class SecretRegistry
{
    public const string Mask = "***";

    private readonly object _gate = new();
    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);
    private string[] _values = [];

    /// <summary>Raised once per new secret, as given, so a host can mask it too (GitHub Actions' ::add-mask::, which derives the encoded forms itself).</summary>
    public event Action<string>? Registered;

    public void Register(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
            return;

        lock (_gate)
        {
            if (!_secrets.Add(secret))
                return;
            // Longest first, so a secret that contains another, or a form that contains a shorter form, is masked whole.
            _values = [.. _values.Union(SecretForms.Of(secret), StringComparer.Ordinal).OrderByDescending(value => value.Length)];
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
