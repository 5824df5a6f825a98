using System.Globalization;

namespace Slipway.Release.Tests.Signing;

/// <summary>
/// A stand-in for cosign (there is none to install here): a bash script that answers <c>cosign version</c> like cosign
/// 2.x or 3.x, records each other invocation's argv and which secrets reached its environment (presence and a hash, never
/// the value), and keeps what it signed, by whom, so that <c>cosign verify</c> answers as cosign would: the JSON of the
/// verified payload (cosign 2's simple signing, cosign 3's statement type), or, for a digest nobody signed, a signer other
/// than the one expected (another certificate identity or issuer, a public key that is not the signing key's) the
/// version's own error text and exit code. Sign and verify calls can each be told to fail N times (after the first K).
/// </summary>
internal sealed class FakeCosign : IDisposable
{
    public const string Version2 = """
          ______   ______        _______. __    _______ .__   __.
         /      | /  __  \      /       ||  |  /  _____||  \ |  |
        |  ,----'|  |  |  |    |   (----`|  | |  |  __  |   \|  |
        |  |     |  |  |  |     \   \    |  | |  | |_ | |  . `  |
        |  `----.|  `--'  | .----)   |   |  | |  |__| | |  |\   |
         \______| \______/  |_______/    |__|  \______| |__| \__|
        cosign: A tool for Container Signing, Verification and Storage in an OCI registry.

        GitVersion:    v2.4.1
        GitCommit:     9a4cfe1aae777984c07ce373d97a65428bbff734
        GitTreeState:  "clean"
        BuildDate:     2024-10-03T17:15:27Z
        GoVersion:     go1.23.2
        Compiler:      gc
        Platform:      linux/amd64
        """;

    public const string Version3 = """
        cosign: A tool for Container Signing, Verification and Storage in an OCI registry.

        GitVersion:    v3.0.6
        GitCommit:     84449696f0658a5ef5f2abba87fdd3f8b17ca1be
        GitTreeState:  clean
        BuildDate:     2026-01-10T19:03:11Z
        GoVersion:     go1.25.5
        Compiler:      gc
        Platform:      linux/amd64
        """;

    public const string Rekor502 =
        "Error: signing [127.0.0.1:5000/demo@sha256:...]: signing digest: uploading to rekor: [POST /api/v1/log/entries][502] createLogEntry default  &{Code:502 Message:Bad Gateway}";

    public const string Unauthorized =
        "Error: signing [ghcr.io/acme/demo@sha256:...]: accessing entity: GET https://ghcr.io/v2/acme/demo/manifests/sha256-x.sig: UNAUTHORIZED: authentication required";

    public const string RegistryUnavailable =
        "Error: GET https://ghcr.io/v2/acme/demo/manifests/sha256-x.sig: unexpected status code 503 Service Unavailable: <html><body>503 Service Unavailable</body></html>";

    /// <summary>The certificate identity the fake's Fulcio issues by default: the publish workflow of acme/beacon on main.</summary>
    public const string PublishIdentity = "https://github.com/acme/beacon/.github/workflows/publish.yml@refs/heads/main";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("slipway-cosign-");

    /// <param name="oidcIdentity">The subject of the certificate a keyless signature gets (what GitHub's OIDC token would say).</param>
    public FakeCosign(
        string versionOutput = Version2, int failTimes = 0, string failMessage = Rekor502, int succeedFirst = 0,
        int verifyFailTimes = 0, string verifyFailMessage = RegistryUnavailable, string oidcIdentity = PublishIdentity)
    {
        Write("version.txt", versionOutput + "\n");
        Write("sign_fail", $"{succeedFirst} {failTimes}");
        Write("sign_fail_message", failMessage + "\n");
        Write("verify_fail", $"0 {verifyFailTimes}");
        Write("verify_fail_message", verifyFailMessage + "\n");
        Write("oidc_identity", oidcIdentity);
        Write("key_pairs", string.Empty);
        Write("signed.log", string.Empty);
        Executable = Path.Combine(_directory.FullName, "cosign");
        File.WriteAllText(Executable, Script.Replace("\r\n", "\n", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Executable { get; }

    /// <summary>The argv of each call but <c>version</c>, as <c>[arg] [arg] ...</c>.</summary>
    public IReadOnlyList<string> Calls => [.. Lines("calls.log").Where(line => line.StartsWith("argv:", StringComparison.Ordinal)).Select(line => line["argv: ".Length..])];

    public IReadOnlyList<string> SignCalls => [.. Calls.Where(call => call.StartsWith("[sign]", StringComparison.Ordinal))];

    public IReadOnlyList<string> VerifyCalls => [.. Calls.Where(call => call.StartsWith("[verify]", StringComparison.Ordinal))];

    /// <summary>What each sign call saw in its environment: key and password hashes ("-" when unset), DOCKER_CONFIG.</summary>
    public IReadOnlyList<string> Environments => [.. Lines("calls.log").Where(line => line.StartsWith("env:", StringComparison.Ordinal)).Select(line => line["env: ".Length..])];

    /// <summary>What was signed: <c>&lt;repository&gt;@&lt;digest&gt; &lt;signer&gt; &lt;recursive|single&gt;</c>.</summary>
    public IReadOnlyList<string> Signed => Lines("signed.log");

    public string RecordedText => string.Join('\n', Lines("calls.log"));

    /// <summary>Signatures made with <paramref name="privateKey"/> verify with <paramref name="publicKey"/> (cosign.key and cosign.pub of one pair).</summary>
    public FakeCosign WithKeyPair(string privateKey, string publicKey)
    {
        File.AppendAllText(Path.Combine(_directory.FullName, "key_pairs"), $"{Hash(publicKey)} {Hash(privateKey)}\n");
        return this;
    }

    public void Dispose() => _directory.Delete(recursive: true);

    public static string Hash(string value) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)))[..16];

    private void Write(string name, string content) => File.WriteAllText(Path.Combine(_directory.FullName, name), content.ToString(CultureInfo.InvariantCulture));

    private IReadOnlyList<string> Lines(string name)
    {
        var path = Path.Combine(_directory.FullName, name);
        return File.Exists(path) ? File.ReadAllLines(path).Where(line => line.Length > 0).ToList() : [];
    }

    private const string Script = """
        #!/usr/bin/env bash
        set -u
        dir="$(cd "$(dirname "$0")" && pwd)"
        if [ "${1-}" = "version" ]; then cat "$dir/version.txt"; exit 0; fi
        major=$(sed -n 's/^GitVersion: *v\([0-9]*\)\..*/\1/p' "$dir/version.txt")
        hash() { printf %s "$1" | sha256sum | cut -c1-16; }
        {
          printf 'argv:'
          for a in "$@"; do printf ' [%s]' "$a"; done
          printf '\n'
          key_hash=$([ -n "${COSIGN_PRIVATE_KEY+x}" ] && hash "$COSIGN_PRIVATE_KEY" || echo -)
          password_hash=$([ -n "${COSIGN_PASSWORD+x}" ] && hash "$COSIGN_PASSWORD" || echo -)
          printf 'env: key=%s password=%s docker_config=%s\n' "$key_hash" "$password_hash" "${DOCKER_CONFIG-}"
        } >> "$dir/calls.log"

        verb="$1"
        # Fails the first `fail` calls of this verb after `skip` successful ones, with the configured message.
        n=$(( $(cat "$dir/${verb}_count" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$dir/${verb}_count"
        read -r skip fail < "$dir/${verb}_fail"
        if [ "$n" -gt "$skip" ] && [ "$n" -le $(( skip + fail )) ]; then cat "$dir/${verb}_fail_message" >&2; exit 1; fi

        ref="${!#}"; repository="${ref%@*}"; digest="${ref##*@}"
        identity=""; issuer=""; key_ref=""; recursive=single
        while [ $# -gt 0 ]; do
          case "$1" in
            --certificate-identity) identity="$2"; shift ;;
            --certificate-oidc-issuer) issuer="$2"; shift ;;
            --key) key_ref="$2"; shift ;;
            --recursive) recursive=recursive ;;
          esac
          shift
        done

        if [ "$verb" = "sign" ]; then
          if [ -n "$key_ref" ]; then signer="key:$(hash "${COSIGN_PRIVATE_KEY-}")"; else signer="identity:$(cat "$dir/oidc_identity")"; fi
          echo "$ref $signer $recursive" >> "$dir/signed.log"
          echo "Pushing signature to: $repository" >&2
          exit 0
        fi

        # verify: the signature of this digest, or a recursive one made on an index of the same repository.
        signer=$(awk -v ref="$ref" '$1 == ref { print $2; exit }' "$dir/signed.log")
        [ -z "$signer" ] && signer=$(awk -v repository="$repository" 'index($1, repository "@") == 1 && $3 == "recursive" { print $2; exit }' "$dir/signed.log")
        if [ -z "$signer" ]; then
          echo "Error: no signatures found" >&2; echo "error during command execution: no signatures found" >&2; exit 10
        fi
        fail() {
          if [ "$major" -ge 3 ]; then echo "Error: no matching attestations: $1" >&2; echo "error during command execution: no matching attestations: $1" >&2; exit 1; fi
          echo "Error: no matching signatures: $2" >&2; echo "error during command execution: no matching signatures: $2" >&2; exit 12
        }
        if [ -n "$key_ref" ]; then
          public=$(printenv "${key_ref#env://}")
          pair=$(awk -v public="$(hash "$public")" '$1 == public { print $2; exit }' "$dir/key_pairs")
          [ "key:$pair" = "$signer" ] || fail "failed to verify signature: could not verify envelope: no valid signature found" "invalid signature when validating ASN.1 encoded signature"
          subject=""
        else
          got="${signer#identity:}"
          { [ "$signer" = "identity:$identity" ] && [ "$issuer" = "https://token.actions.githubusercontent.com" ]; } \
            || fail "failed to verify certificate identity: no matching CertificateIdentity found, last error: expected SAN value \"$identity\", got \"$got\"" \
                    "none of the expected identities matched what was in the certificate, got subjects [$got] with issuer https://token.actions.githubusercontent.com"
          subject=",\"optional\":{\"Issuer\":\"https://token.actions.githubusercontent.com\",\"Subject\":\"$got\"}"
        fi
        type="cosign container image signature"; [ "$major" -ge 3 ] && type="https://sigstore.dev/cosign/sign/v1"
        printf '\nVerification for %s --\nThe following checks were performed on each of these signatures:\n  - The cosign claims were validated\n' "$ref" >&2
        printf '[{"critical":{"identity":{"docker-reference":"%s"},"image":{"docker-manifest-digest":"%s"},"type":"%s"}%s}]\n' "$repository" "$digest" "$type" "$subject"
        exit 0
        """;
}
