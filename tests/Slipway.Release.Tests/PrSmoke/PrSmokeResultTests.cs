using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Slipway.Release.PrSmoke;
using Slipway.Release.Tests.Support;

namespace Slipway.Release.Tests.PrSmoke;

public sealed class PrSmokeResultTests
{
    private const string Source = "artifacts/pr-smoke.json";

    [Fact]
    public void Json_has_exactly_the_contract_keys_in_order()
    {
        using var document = JsonDocument.Parse(PrSmokeSamples.FailedInInstall().ToJson());
        var root = document.RootElement;

        Assert.Equal(
            ["schemaVersion", "repository", "pullRequest", "headSha", "version", "run", "status", "image", "cluster", "namespace", "releaseName", "steps", "smokeChecks", "diagnostics", "startedAt", "finishedAt"],
            Keys(root));
        Assert.Equal(["id", "attempt", "url"], Keys(root.GetProperty("run")));
        Assert.Equal(["reference", "digest"], Keys(root.GetProperty("image")));
        Assert.Equal(["mode", "context", "serverVersion"], Keys(root.GetProperty("cluster")));
        Assert.All(root.GetProperty("steps").EnumerateArray(), step => Assert.Equal(["name", "status", "durationMs", "detail"], Keys(step)));
        Assert.Equal(["location", "summary"], Keys(root.GetProperty("diagnostics")));
        Assert.Equal(
            ["cluster", "image", "load", "namespace", "install", "workloads", "smoke", "diagnostics", "teardown"],
            root.GetProperty("steps").EnumerateArray().Select(step => step.GetProperty("name").GetString()));

        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(42, root.GetProperty("pullRequest").GetInt32());
        Assert.Equal("failed", root.GetProperty("status").GetString());
        Assert.Equal("kind", root.GetProperty("cluster").GetProperty("mode").GetString());
        Assert.Equal("failed", root.GetProperty("steps")[4].GetProperty("status").GetString());
        Assert.Equal(2000, root.GetProperty("steps")[4].GetProperty("durationMs").GetInt64());
        Assert.Equal("2026-12-01T09:30:00Z", root.GetProperty("startedAt").GetString());
    }

    [Fact]
    public void Check_names_and_passed_flags_are_written()
    {
        using var document = JsonDocument.Parse(PrSmokeSamples.Passed().ToJson());
        var check = document.RootElement.GetProperty("smokeChecks")[3];

        Assert.Equal(["name", "passed", "detail"], Keys(check));
        Assert.Equal("GET /api/v1/health without credentials", check.GetProperty("name").GetString());
        Assert.True(check.GetProperty("passed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("diagnostics").ValueKind);
    }

    [Fact]
    public void Json_is_deterministic_indented_with_lf_and_ends_with_a_newline()
    {
        var json = PrSmokeSamples.Passed().ToJson();

        Assert.Equal(json, PrSmokeSamples.Passed().ToJson());
        Assert.DoesNotContain('\r', json);
        Assert.StartsWith("{\n  \"schemaVersion\": 1,\n  \"repository\": \"acme/widgets\",\n", json, StringComparison.Ordinal);
        Assert.EndsWith("}\n", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Round_trips_through_the_file()
    {
        using var directory = new TempDirectory();
        var result = PrSmokeSamples.FailedInInstall();

        var path = result.WriteTo(directory.Combine("artifacts"));
        var read = PrSmokeResult.ReadFile(path);

        Assert.Equal("pr-smoke.json", Path.GetFileName(path));
        Assert.Equal(result, read);
        Assert.Equal(result.ToJson(), read.ToJson());
    }

    [Fact]
    public void A_local_run_without_repository_pull_request_or_run_round_trips()
    {
        var local = PrSmokeSamples.Passed() with { Repository = null, PullRequest = null, Run = null, Cluster = null, Image = null, Namespace = null, ReleaseName = null };

        var read = PrSmokeResult.Read(Encoding.UTF8.GetBytes(local.ToJson()), Source);

        Assert.Equal(local, read);
    }

    [Theory]
    [InlineData("extra")]
    [InlineData("run.extra")]
    [InlineData("steps[0].extra")]
    public void Unknown_fields_are_refused_naming_the_field(string field)
    {
        var json = Edit(node => Parent(node, field)[Leaf(field)] = 1);

        var error = Refused(json);

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(Source + ":", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("headSha", "headSha")]
    [InlineData("run", "run")]
    [InlineData("schemaVersion", "schemaVersion")]
    [InlineData("cluster.serverVersion", "serverVersion")]
    [InlineData("steps[1].detail", "detail")]
    public void Missing_fields_are_refused_naming_the_field(string field, string named)
    {
        var json = Edit(node => Parent(node, field).Remove(Leaf(field)));

        Assert.Contains($"'{named}'", Refused(json).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pullRequest", "\"42\"")]
    [InlineData("run.id", "\"7001\"")]
    [InlineData("run.attempt", "1.5")]
    [InlineData("headSha", "12")]
    [InlineData("steps", "{}")]
    [InlineData("steps[2].durationMs", "\"1000\"")]
    [InlineData("steps[2].durationMs", "-1")]
    [InlineData("steps[2].durationMs", "1.5")]
    [InlineData("smokeChecks[0].passed", "\"true\"")]
    [InlineData("startedAt", "\"2026-12-01 09:30:00\"")]
    [InlineData("startedAt", "\"2026-12-01T09:30:00+01:00\"")]
    [InlineData("status", "\"Passed\"")]
    [InlineData("status", "0")]
    [InlineData("status", "\"passed, failed\"")]
    [InlineData("steps[0].status", "\"ok\"")]
    [InlineData("cluster.mode", "\"minikube\"")]
    [InlineData("version", "null")]
    [InlineData("steps", "null")]
    public void Mistyped_or_null_values_are_refused_naming_the_field(string field, string value)
    {
        var json = Edit(node => Parent(node, field)[Leaf(field)] = JsonNode.Parse(value));

        Assert.Contains(field, Refused(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_enum_value_names_the_allowed_ones()
    {
        var json = Edit(node => node["status"] = "green");

        Assert.Contains("status: 'green' is not one of passed, failed, cancelled", Refused(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicated_field_is_refused()
    {
        var json = PrSmokeSamples.Passed().ToJson().Replace("\"status\": \"passed\",", "\"status\": \"failed\",\n  \"status\": \"passed\",", StringComparison.Ordinal);

        Assert.Contains("status", Refused(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_schema_version_is_refused_with_the_supported_one()
    {
        var json = Edit(node => node["schemaVersion"] = 2);

        var error = Refused(json);

        Assert.Contains("schemaVersion 2 is not supported", error.Message, StringComparison.Ordinal);
        Assert.Contains("reads schemaVersion 1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("headSha", "\"0123456\"", "headSha")]
    [InlineData("headSha", "\"0123456789ABCDEF0123456789ABCDEF01234567\"", "headSha")]
    [InlineData("image.digest", "\"sha256:abc\"", "image.digest")]
    [InlineData("image.reference", "\"widgets:latest\"", "image.reference")]
    [InlineData("repository", "\"acme\"", "repository")]
    [InlineData("pullRequest", "0", "pullRequest")]
    [InlineData("version", "\"01.2.3\"", "version")]
    [InlineData("run.id", "0", "run.id")]
    [InlineData("run.url", "\"https://github.com/other/repo/actions/runs/7001\"", "run.url")]
    [InlineData("run.url", "\"https://github.com/acme/widgets/actions/runs/9999\"", "run.url")]
    [InlineData("run.url", "\"javascript:alert(1)\"", "run.url")]
    [InlineData("namespace", "\"PR_42\"", "namespace")]
    [InlineData("releaseName", "\"a-release-name-that-is-much-longer-than-helm-allows-for-names\"", "releaseName")]
    [InlineData("cluster.serverVersion", "\"1.31\"", "cluster.serverVersion")]
    [InlineData("cluster.context", "\"a\\nb\"", "cluster.context")]
    [InlineData("smokeChecks[0].name", "\"\"", "smokeChecks[0].name")]
    [InlineData("smokeChecks[1].detail", "\"bad \\u202E text\"", "smokeChecks[1].detail")]
    [InlineData("steps[3].detail", "\"bell \\u0007\"", "steps[3].detail")]
    [InlineData("finishedAt", "\"2026-12-01T09:29:59Z\"", "finishedAt")]
    public void Values_that_break_the_contract_are_refused_naming_the_field(string field, string value, string named)
    {
        var json = Edit(node => Parent(node, field)[Leaf(field)] = JsonNode.Parse(value));

        Assert.Contains($"{Source}: {named}", Refused(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnostics_outside_the_artifacts_are_refused()
    {
        var result = PrSmokeSamples.FailedInInstall();
        var json = result.ToJson().Replace(result.Diagnostics!.Location, "artifacts/../../etc/", StringComparison.Ordinal);

        Assert.Contains("diagnostics.location", Refused(json).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PrSmokeLimits.Detail, true)]
    [InlineData(PrSmokeLimits.Detail + 1, false)]
    public void Details_are_capped(int length, bool accepted)
    {
        var json = Edit(node => node["steps"]![0]!["detail"] = new string('x', length));

        if (accepted)
            Assert.Equal(length, PrSmokeResult.Read(Encoding.UTF8.GetBytes(json), Source).Steps[0].Detail.Length);
        else
            Assert.Contains($"steps[0].detail: {length} characters, at most {PrSmokeLimits.Detail}", Refused(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_smoke_checks_than_the_cap_are_refused()
    {
        var json = Edit(node =>
        {
            var checks = node["smokeChecks"]!.AsArray();
            while (checks.Count <= PrSmokeLimits.SmokeChecks)
                checks.Add(checks[0]!.DeepClone());
        });

        Assert.Contains("smokeChecks", Refused(json).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reordered")]
    [InlineData("missing")]
    [InlineData("twice")]
    public void Steps_must_be_every_step_once_in_order(string change)
    {
        var json = Edit(node =>
        {
            var steps = node["steps"]!.AsArray();
            var first = steps[0]!;
            steps.RemoveAt(0);
            if (change == "reordered")
                steps.Add(first);
            else if (change == "twice")
                steps.Insert(0, steps[0]!.DeepClone());
        });

        Assert.Contains("steps must list cluster, image, load, namespace, install, workloads, smoke, diagnostics, teardown once each in that order", Refused(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Passed_with_a_failed_step_or_check_is_refused()
    {
        var withFailedStep = Edit(node => node["steps"]![5]!["status"] = "failed");
        var withFailedCheck = Edit(node => node["smokeChecks"]![2]!["passed"] = false);

        Assert.Contains("status: passed, but step workloads is failed", Refused(withFailedStep).Message, StringComparison.Ordinal);
        Assert.Contains("status: passed, but smoke check 'GET /version' failed", Refused(withFailedCheck).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("")]
    public void Text_that_is_not_a_result_object_is_refused(string json) =>
        Assert.StartsWith(Source + ":", Refused(json).Message, StringComparison.Ordinal);

    [Fact]
    public void More_than_the_size_limit_is_refused_unread()
    {
        var json = PrSmokeSamples.Passed().ToJson();
        var padded = json[..^2] + new string(' ', PrSmokeLimits.FileBytes) + "}\n";

        Assert.Contains("larger than the 256 KiB", Refused(padded).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_before_it_is_read()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("pr-smoke.json");
        using (var file = File.Create(path))
            file.SetLength(PrSmokeLimits.FileBytes + 1);

        var error = Assert.Throws<PrSmokeResultException>(() => PrSmokeResult.ReadFile(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("refused unread", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_names_the_path_and_the_next_step()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("absent.json");

        var error = Assert.Throws<PrSmokeResultException>(() => PrSmokeResult.ReadFile(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("--result", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_writer_refuses_a_result_that_breaks_the_contract()
    {
        var error = Assert.Throws<PrSmokeResultException>(() => (PrSmokeSamples.Passed() with { HeadSha = "abc" }).ToJson());

        Assert.Contains("headSha", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_strips_terminal_escapes_and_controls_and_caps_the_length()
    {
        Assert.Equal("Error: boom\nnext\uFFFD", PrSmokeText.Fit("\u001b[31mError:\u001b[0m boom\r\nnext\u0007", 100));
        Assert.Equal("abcd…", PrSmokeText.Fit("abcdefgh", 5));
        Assert.Equal("abc…", PrSmokeText.Fit("abc\U0001F600fgh", 5));
        Assert.Equal("\uFFFDrtl", PrSmokeText.Fit("\u202Ertl", 10));
    }

    [Fact]
    public void Fitted_text_is_always_accepted()
    {
        var noisy = string.Concat(Enumerable.Repeat("\u001b[1m\u202Ebad\u0000\r\n", 1000));
        var result = PrSmokeSamples.Passed() with
        {
            Steps = [.. PrSmokeSamples.Steps(PrSmokeStepStatus.Passed, null).Select(step => step with { Detail = PrSmokeText.Fit(noisy, PrSmokeLimits.Detail) })],
        };

        Assert.Equal(result, PrSmokeResult.Read(Encoding.UTF8.GetBytes(result.ToJson()), Source));
    }

    private static PrSmokeResultException Refused(string json) =>
        Assert.Throws<PrSmokeResultException>(() => PrSmokeResult.Read(Encoding.UTF8.GetBytes(json), Source));

    private static string Edit(Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(PrSmokeSamples.Passed().ToJson())!.AsObject();
        edit(node);
        return node.ToJsonString();
    }

    /// <summary>The object that holds the last segment of a path such as <c>steps[1].detail</c>.</summary>
    private static JsonObject Parent(JsonObject root, string path)
    {
        JsonNode node = root;
        foreach (var segment in path.Split('.')[..^1])
        {
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            node = bracket < 0 ? node[segment]! : node[segment[..bracket]]![int.Parse(segment[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)]!;
        }

        return node.AsObject();
    }

    private static string Leaf(string path) => path.Split('.')[^1];

    private static IEnumerable<string> Keys(JsonElement element) => element.EnumerateObject().Select(property => property.Name);
}
