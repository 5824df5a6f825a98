namespace Slipway.Release.Tests.Signing;

/// <summary>
/// A stand-in for cosign (there is none to install here): a bash script that answers <c>cosign version</c> like cosign
/// 2.x or 3.x, records each other invocation's argv and which secrets reached its environment (presence and a hash,
/// never the value), and can be told to fail N sign calls (after the first K) with a given error.
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

        GitVersion:    v3.0.2
        GitCommit:     84449696f0658a5ef5f2abba87fdd3f8b17ca1be
        GitTreeState:  clean
        BuildDate:     2025-10-10T19:03:11Z
        GoVersion:     go1.25.1
        Compiler:      gc
        Platform:      linux/amd64
        """;

    public const string Rekor502 =
        "Error: signing [127.0.0.1:5000/demo@sha256:...]: signing digest: uploading to rekor: [POST /api/v1/log/entries][502] createLogEntry default  &{Code:502 Message:Bad Gateway}";

    public const string Unauthorized =
        "Error: signing [ghcr.io/acme/demo@sha256:...]: accessing entity: GET https://ghcr.io/v2/acme/demo/manifests/sha256-x.sig: UNAUTHORIZED: authentication required";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("slipway-cosign-");

    public FakeCosign(string versionOutput = Version2, int failTimes = 0, string failMessage = Rekor502, int succeedFirst = 0)
    {
        File.WriteAllText(Path.Combine(_directory.FullName, "succeed_first"), succeedFirst.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.WriteAllText(Path.Combine(_directory.FullName, "version.txt"), versionOutput + "\n");
        File.WriteAllText(Path.Combine(_directory.FullName, "fail_times"), failTimes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.WriteAllText(Path.Combine(_directory.FullName, "fail_message"), failMessage + "\n");
        Executable = Path.Combine(_directory.FullName, "cosign");
        File.WriteAllText(Executable, """
            #!/usr/bin/env bash
            set -u
            dir="$(cd "$(dirname "$0")" && pwd)"
            if [ "${1-}" = "version" ]; then cat "$dir/version.txt"; exit 0; fi
            {
              printf 'argv:'
              for a in "$@"; do printf ' [%s]' "$a"; done
              printf '\n'
              key_hash=$([ -n "${COSIGN_PRIVATE_KEY+x}" ] && printf %s "$COSIGN_PRIVATE_KEY" | sha256sum | cut -c1-16 || echo -)
              password_hash=$([ -n "${COSIGN_PASSWORD+x}" ] && printf %s "$COSIGN_PASSWORD" | sha256sum | cut -c1-16 || echo -)
              printf 'env: key=%s password=%s docker_config=%s\n' "$key_hash" "$password_hash" "${DOCKER_CONFIG-}"
            } >> "$dir/calls.log"
            n=$(( $(cat "$dir/count" 2>/dev/null || echo 0) + 1 ))
            echo "$n" > "$dir/count"
            skip=$(cat "$dir/succeed_first")
            if [ "$n" -gt "$skip" ] && [ "$n" -le $(( skip + $(cat "$dir/fail_times") )) ]; then cat "$dir/fail_message" >&2; exit 1; fi
            echo "Pushing signature to: ${!#}" >&2
            exit 0
            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Executable { get; }

    /// <summary>The argv of each sign call, as <c>[arg] [arg] ...</c>.</summary>
    public IReadOnlyList<string> Calls => Lines().Where(line => line.StartsWith("argv:", StringComparison.Ordinal)).Select(line => line["argv: ".Length..]).ToList();

    /// <summary>What each sign call saw in its environment: key and password hashes ("-" when unset), DOCKER_CONFIG.</summary>
    public IReadOnlyList<string> Environments => Lines().Where(line => line.StartsWith("env:", StringComparison.Ordinal)).Select(line => line["env: ".Length..]).ToList();

    public string RecordedText => string.Join('\n', Lines());

    public void Dispose() => _directory.Delete(recursive: true);

    public static string Hash(string value) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)))[..16];

    private string[] Lines()
    {
        var path = Path.Combine(_directory.FullName, "calls.log");
        return File.Exists(path) ? File.ReadAllLines(path) : [];
    }
}
