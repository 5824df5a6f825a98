using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace Slipway.Release.Tests.GitHub;

/// <summary>
/// GitHub's REST API (as GitHub Enterprise Server serves it under /api/v3, where Octokit sends a non-github.com base
/// address) played by WireMock.Net: the real paths, the token checked on every call, GitHub's JSON shapes and error
/// bodies, 30 items a page unless per_page says otherwise (at most 100), Link headers pointing at
/// /repositories/{id}/... as GitHub's do, GET /user refused to an installation token (GITHUB_TOKEN) whose identity
/// GraphQL's viewer gives. Pull requests and comments are state the tests arrange and read back; every request is recorded.
/// </summary>
internal sealed partial class FakeGitHub : IDisposable
{
    public const string Owner = "acme";
    public const string Name = "widgets";
    public const string Token = "ghs_fakeInstallationToken0123456789";
    public const long RepositoryId = 1296269;

    public static readonly Account ActionsBot = new("github-actions[bot]", 41898282, "Bot");
    public static readonly Account Developer = new("octo-dev", 583231, "User");
    public static readonly Account Stranger = new("mallory", 66600, "User");

    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly Lock _gate = new();
    private readonly Dictionary<int, List<Comment>> _comments = [];
    private readonly List<string> _requests = [];
    private long _nextCommentId = 1_000_000;

    private readonly string _token;

    /// <param name="token">The one token it accepts (a canary, for a test that looks for it everywhere).</param>
    public FakeGitHub(Account tokenOwner, string token = Token)
    {
        TokenOwner = tokenOwner;
        _token = token;
        _server.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithCallback(Answer));
    }

    public sealed record Account(string Login, long Id, string Type);

    public sealed record Comment(long Id, Account Author, string Body, int Updates);

    public sealed record PullRequest(int Number, string HeadSha, string State = "open");

    /// <summary>Whose token it is: an installation token (the Actions bot) is refused GET /user.</summary>
    public Account TokenOwner { get; }

    public bool IsInstallationToken => TokenOwner.Type == "Bot";

    public List<PullRequest> PullRequests { get; } = [];

    /// <summary>Answer comment writes with 403 "Resource not accessible by integration", as for a job without pull-requests: write.</summary>
    public bool WritesForbidden { get; set; }

    /// <summary>http://localhost:port: Octokit adds /api/v3/ to it.</summary>
    public Uri Url => new(_server.Url!);

    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_gate)
                return [.. _requests];
        }
    }

    public long AddComment(int pullRequest, Account author, string body)
    {
        lock (_gate)
        {
            var comment = new Comment(_nextCommentId++, author, body, 0);
            CommentsOf(pullRequest).Add(comment);
            return comment.Id;
        }
    }

    public IReadOnlyList<Comment> Comments(int pullRequest)
    {
        lock (_gate)
            return [.. CommentsOf(pullRequest)];
    }

    public void Dispose() => _server.Stop();

    private List<Comment> CommentsOf(int pullRequest) =>
        _comments.TryGetValue(pullRequest, out var list) ? list : _comments[pullRequest] = [];

    private IResponseMessage Answer(IRequestMessage request)
    {
        lock (_gate)
        {
            _requests.Add($"{request.Method} {request.Path}{(string.IsNullOrEmpty(request.RawQuery) ? string.Empty : "?" + request.RawQuery.TrimStart('?'))}");
            var authorization = request.Headers?.TryGetValue("Authorization", out var values) == true ? values.FirstOrDefault() : null;
            if (!IsToken(authorization))
                return Error(401, "Bad credentials", "https://docs.github.com/rest");
            return Route(request);
        }
    }

    /// <summary>GitHub takes the token with the scheme token or Bearer, in any case (Octokit writes "Token").</summary>
    private bool IsToken(string? authorization) =>
        authorization?.Split(' ', 2) is [var scheme, var token] && token == _token && (scheme.Equals("token", StringComparison.OrdinalIgnoreCase) || scheme.Equals("bearer", StringComparison.OrdinalIgnoreCase));

    private IResponseMessage Route(IRequestMessage request)
    {
        var path = request.Path;
        var method = request.Method;
        if (method == "GET" && path == "/api/v3/user")
            return IsInstallationToken
                ? Error(403, "Resource not accessible by integration", "https://docs.github.com/rest/users/users#get-the-authenticated-user")
                : Json(200, UserJson(TokenOwner));
        if (method == "POST" && path == "/api/graphql")
            return GraphQl(request.Body ?? string.Empty);

        var repository = RepositoryPath().Match(path);
        if (!repository.Success)
            return Error(404, "Not Found", "https://docs.github.com/rest");
        var rest = repository.Groups["rest"].Value;
        var listBase = $"/repositories/{RepositoryId}";

        if (method == "GET" && rest == "/pulls")
            return Page(request, $"{listBase}/pulls", PullRequests.Where(pull => Query(request, "state") is null or "open" ? pull.State == "open" : true).Select(PullJson).ToList());
        if (PullPath().Match(rest) is { Success: true } pull && method == "GET")
        {
            var found = PullRequests.FirstOrDefault(candidate => candidate.Number == Number(pull));
            return found is null ? Error(404, "Not Found", "https://docs.github.com/rest/pulls/pulls#get-a-pull-request") : Json(200, PullJson(found));
        }

        if (IssueCommentsPath().Match(rest) is { Success: true } issue)
        {
            var number = Number(issue);
            if (method == "GET")
                return Page(request, $"{listBase}/issues/{number}/comments", CommentsOf(number).Select(comment => CommentJson(number, comment)).ToList());
            if (method == "POST")
            {
                if (WritesForbidden)
                    return Error(403, "Resource not accessible by integration", "https://docs.github.com/rest/issues/comments#create-an-issue-comment");
                if (!PullRequests.Any(candidate => candidate.Number == number))
                    return Error(404, "Not Found", "https://docs.github.com/rest/issues/comments#create-an-issue-comment");
                var comment = new Comment(_nextCommentId++, TokenOwner, BodyOf(request), 0);
                CommentsOf(number).Add(comment);
                var created = Json(201, CommentJson(number, comment));
                created.Headers!["Location"] = new WireMockList<string>($"{_server.Url}/api/v3/repos/{Owner}/{Name}/issues/comments/{comment.Id}");
                return created;
            }
        }

        if (CommentPath().Match(rest) is { Success: true } single)
        {
            var id = long.Parse(single.Groups["id"].Value, CultureInfo.InvariantCulture);
            var (number, comment) = _comments.SelectMany(entry => entry.Value.Select(candidate => (entry.Key, candidate))).FirstOrDefault(entry => entry.candidate.Id == id);
            if (comment is null)
                return Error(404, "Not Found", "https://docs.github.com/rest/issues/comments#update-an-issue-comment");
            if (WritesForbidden && method is "PATCH" or "DELETE")
                return Error(403, "Resource not accessible by integration", "https://docs.github.com/rest/issues/comments#update-an-issue-comment");
            if (comment.Author.Id != TokenOwner.Id && method is "PATCH" or "DELETE")
                return Error(403, "Must have admin rights to Repository.", "https://docs.github.com/rest/issues/comments#update-an-issue-comment");
            var list = CommentsOf(number);
            if (method == "PATCH")
            {
                var updated = comment with { Body = BodyOf(request), Updates = comment.Updates + 1 };
                list[list.IndexOf(comment)] = updated;
                return Json(200, CommentJson(number, updated));
            }

            if (method == "DELETE")
            {
                list.Remove(comment);
                return new ResponseMessage { StatusCode = 204, Headers = new Dictionary<string, WireMockList<string>>() };
            }
        }

        return Error(404, "Not Found", "https://docs.github.com/rest");
    }

    /// <summary>
    /// GitHub's pagination: per_page (default 30, at most 100) and page, and a Link header with next/last and prev/first
    /// that keeps the request's other query parameters.
    /// </summary>
    private IResponseMessage Page(IRequestMessage request, string linkPath, List<JsonObject> items)
    {
        var perPage = Math.Clamp(int.TryParse(Query(request, "per_page"), out var size) ? size : 30, 1, 100);
        var page = Math.Max(1, int.TryParse(Query(request, "page"), out var number) ? number : 1);
        var last = Math.Max(1, (items.Count + perPage - 1) / perPage);
        var response = Json(200, new JsonArray([.. items.Skip((page - 1) * perPage).Take(perPage)]));
        var links = new List<string>();
        var kept = (request.RawQuery ?? string.Empty).TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(parameter => !parameter.StartsWith("page=", StringComparison.Ordinal) && !parameter.StartsWith("per_page=", StringComparison.Ordinal));
        string Link(int target, string rel) => $"<{_server.Url}/api/v3{linkPath}?{string.Join("&", [.. kept, $"per_page={perPage}", $"page={target}"])}>; rel=\"{rel}\"";
        if (page > 1)
            links.AddRange([Link(page - 1, "prev"), Link(1, "first")]);
        if (page < last)
            links.AddRange([Link(page + 1, "next"), Link(last, "last")]);
        if (links.Count > 0)
            response.Headers!["Link"] = new WireMockList<string>(string.Join(", ", links));
        return response;
    }

    private IResponseMessage GraphQl(string body)
    {
        using var query = JsonDocument.Parse(body);
        var text = query.RootElement.GetProperty("query").GetString() ?? string.Empty;
        if (!text.Contains("viewer", StringComparison.Ordinal))
            return Json(200, new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["message"] = "unsupported by this fake" }) });
        return Json(200, new JsonObject { ["data"] = new JsonObject { ["viewer"] = new JsonObject { ["login"] = TokenOwner.Login, ["databaseId"] = TokenOwner.Id } } });
    }

    private JsonObject CommentJson(int number, Comment comment) => new()
    {
        ["url"] = $"{_server.Url}/api/v3/repos/{Owner}/{Name}/issues/comments/{comment.Id}",
        ["html_url"] = $"https://github.com/{Owner}/{Name}/pull/{number}#issuecomment-{comment.Id}",
        ["issue_url"] = $"{_server.Url}/api/v3/repos/{Owner}/{Name}/issues/{number}",
        ["id"] = comment.Id,
        ["node_id"] = $"IC_kwDOABCD{comment.Id}",
        ["user"] = UserJson(comment.Author),
        ["created_at"] = "2026-12-01T09:00:00Z",
        ["updated_at"] = comment.Updates == 0 ? "2026-12-01T09:00:00Z" : "2026-12-01T09:30:00Z",
        ["author_association"] = comment.Author.Type == "Bot" ? "NONE" : "CONTRIBUTOR",
        ["body"] = comment.Body,
        ["performed_via_github_app"] = null,
    };

    private JsonObject PullJson(PullRequest pull) => new()
    {
        ["url"] = $"{_server.Url}/api/v3/repos/{Owner}/{Name}/pulls/{pull.Number}",
        ["id"] = 90_000 + pull.Number,
        ["node_id"] = $"PR_kwDOABCD{pull.Number}",
        ["html_url"] = $"https://github.com/{Owner}/{Name}/pull/{pull.Number}",
        ["number"] = pull.Number,
        ["state"] = pull.State,
        ["locked"] = false,
        ["title"] = $"Change {pull.Number}",
        ["user"] = UserJson(Stranger),
        ["body"] = null,
        ["created_at"] = "2026-11-30T08:00:00Z",
        ["updated_at"] = "2026-12-01T08:00:00Z",
        ["closed_at"] = pull.State == "open" ? null : "2026-12-01T10:00:00Z",
        ["merged_at"] = null,
        ["draft"] = false,
        ["head"] = new JsonObject
        {
            ["label"] = $"{Stranger.Login}:feature-{pull.Number}",
            ["ref"] = $"feature-{pull.Number}",
            ["sha"] = pull.HeadSha,
            ["user"] = UserJson(Stranger),
            ["repo"] = RepositoryJson(777, Stranger, fork: true),
        },
        ["base"] = new JsonObject
        {
            ["label"] = $"{Owner}:main",
            ["ref"] = "main",
            ["sha"] = new string('b', 40),
            ["user"] = UserJson(new Account(Owner, 1000, "Organization")),
            ["repo"] = RepositoryJson(RepositoryId, new Account(Owner, 1000, "Organization"), fork: false),
        },
        ["author_association"] = "CONTRIBUTOR",
    };

    private static JsonObject RepositoryJson(long id, Account owner, bool fork) => new()
    {
        ["id"] = id,
        ["node_id"] = $"R_kgDO{id}",
        ["name"] = Name,
        ["full_name"] = $"{owner.Login}/{Name}",
        ["private"] = false,
        ["owner"] = UserJson(owner),
        ["html_url"] = $"https://github.com/{owner.Login}/{Name}",
        ["fork"] = fork,
        ["default_branch"] = "main",
    };

    private static JsonObject UserJson(Account account) => new()
    {
        ["login"] = account.Login,
        ["id"] = account.Id,
        ["node_id"] = $"MDQ6VXNlcj{account.Id}",
        ["avatar_url"] = $"https://avatars.githubusercontent.com/u/{account.Id}?v=4",
        ["html_url"] = account.Type == "Bot" ? "https://github.com/apps/github-actions" : $"https://github.com/{account.Login}",
        ["type"] = account.Type,
        ["site_admin"] = false,
    };

    private static ResponseMessage Json(int status, JsonNode body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>>
        {
            ["Content-Type"] = new("application/json; charset=utf-8"),
            ["X-GitHub-Media-Type"] = new("github.v3; format=json"),
            ["X-GitHub-Api-Version-Selected"] = new("2022-11-28"),
            ["X-RateLimit-Limit"] = new("5000"),
            ["X-RateLimit-Remaining"] = new("4999"),
            ["X-RateLimit-Reset"] = new("1796119200"),
        },
        BodyData = new BodyData { BodyAsString = body.ToJsonString(), DetectedBodyType = BodyType.String },
    };

    private static ResponseMessage Error(int status, string message, string documentation) =>
        Json(status, new JsonObject { ["message"] = message, ["documentation_url"] = documentation, ["status"] = status.ToString(CultureInfo.InvariantCulture) });

    private static string BodyOf(IRequestMessage request)
    {
        using var document = JsonDocument.Parse(request.Body ?? "{}");
        return document.RootElement.GetProperty("body").GetString() ?? string.Empty;
    }

    private static string? Query(IRequestMessage request, string name) =>
        request.Query?.TryGetValue(name, out var values) == true ? values.FirstOrDefault() : null;

    private static int Number(Match match) => int.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex($@"^/api/v3/(repos/{Owner}/{Name}|repositories/1296269)(?<rest>/.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex RepositoryPath();

    [GeneratedRegex(@"^/pulls/(?<number>\d+)$")]
    private static partial Regex PullPath();

    [GeneratedRegex(@"^/issues/(?<number>\d+)/comments$")]
    private static partial Regex IssueCommentsPath();

    [GeneratedRegex(@"^/issues/comments/(?<id>\d+)$")]
    private static partial Regex CommentPath();
}
