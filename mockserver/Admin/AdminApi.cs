using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventsBindings.MockServer.Data;
using EventsBindings.MockServer.Faults;
using EventsBindings.MockServer.Hosting;
using Microsoft.AspNetCore.Http;

namespace EventsBindings.MockServer.Admin;

/// <summary>Filter of <c>POST /__admin/requests/find</c> and <c>/count</c>; every given member must match.</summary>
public sealed class RequestFilter
{
    /// <summary>HTTP method.</summary>
    public string? Method { get; set; }

    /// <summary>Exact path.</summary>
    public string? Path { get; set; }

    /// <summary>Path prefix.</summary>
    public string? PathPrefix { get; set; }

    /// <summary>API (contract name).</summary>
    public string? Api { get; set; }

    /// <summary>Endpoint (contract name).</summary>
    public string? Endpoint { get; set; }

    /// <summary>Response status.</summary>
    public int? Status { get; set; }

    internal bool Matches(JournalEntry e) =>
        (Method is null || string.Equals(Method, e.Method, StringComparison.OrdinalIgnoreCase))
        && (Path is null || string.Equals(Path, e.Path, StringComparison.OrdinalIgnoreCase))
        && (PathPrefix is null || e.Path.StartsWith(PathPrefix, StringComparison.OrdinalIgnoreCase))
        && (Api is null || string.Equals(Api, e.Api, StringComparison.OrdinalIgnoreCase))
        && (Endpoint is null || string.Equals(Endpoint, e.Endpoint, StringComparison.OrdinalIgnoreCase))
        && (Status is null || Status == e.Status);
}

/// <summary>
/// The admin API under <c>/__admin/</c>, in the spirit of WireMock's: journal, reset, fault
/// rules, throttling, data append, health.
/// </summary>
internal sealed class AdminApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly MockServerApp _app;

    public AdminApi(MockServerApp app) => _app = app;

    public async Task HandleAsync(HttpContext context)
    {
        var method = context.Request.Method.ToUpperInvariant();
        var path = (context.Request.Path.Value ?? string.Empty)["/__admin".Length..].Trim('/');
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            switch (method, parts.Length > 0 ? parts[0] : string.Empty)
            {
                case ("GET", "health"):
                case ("GET", "apis"):
                case ("GET", ""):
                    await Send(context, 200, Health()).ConfigureAwait(false);
                    return;
                case ("GET", "requests"):
                    var limit = int.TryParse(context.Request.Query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : int.MaxValue;
                    var all = _app.Journal.Snapshot();
                    all.Reverse();
                    await Send(context, 200, new { requests = all.Take(limit), meta = new { total = all.Count } }).ConfigureAwait(false);
                    return;
                case ("DELETE", "requests"):
                    _app.Journal.Clear();
                    await Send(context, 200, new { }).ConfigureAwait(false);
                    return;
                case ("POST", "requests") when parts.Length == 2 && parts[1] is "find" or "count":
                    var filter = await Read<RequestFilter>(context).ConfigureAwait(false) ?? new RequestFilter();
                    var found = _app.Journal.Snapshot().Where(filter.Matches).ToList();
                    found.Reverse();
                    await Send(context, 200, parts[1] == "count" ? new { count = found.Count } : new { requests = found }).ConfigureAwait(false);
                    return;
                case ("POST", "reset"):
                    _app.Reset();
                    await Send(context, 200, new { reset = true }).ConfigureAwait(false);
                    return;
                case ("POST", "reload"):
                    _app.Registry.Reload();
                    await Send(context, 200, Health()).ConfigureAwait(false);
                    return;
                case ("GET", "faults"):
                    await Send(context, 200, new { rules = _app.Faults.Snapshot() }).ConfigureAwait(false);
                    return;
                case ("POST", "faults"):
                    var rule = await Read<FaultRule>(context).ConfigureAwait(false);
                    if (rule is null || rule.Fault is null || !Fault.TryParseList(rule.Fault, out var parsed, out _) || parsed.Count == 0)
                    {
                        await Send(context, 400, new { error = FaultRules.InvalidFault, parameter = "fault", rule = "fault" }).ConfigureAwait(false);
                        return;
                    }

                    await Send(context, 201, _app.Faults.Add(rule)).ConfigureAwait(false);
                    return;
                case ("DELETE", "faults"):
                    if (parts.Length == 2)
                    {
                        var removed = _app.Faults.Remove(parts[1]);
                        await Send(context, removed ? 200 : 404, new { removed }).ConfigureAwait(false);
                    }
                    else
                    {
                        _app.Faults.Clear();
                        await Send(context, 200, new { }).ConfigureAwait(false);
                    }

                    return;
                case ("GET", "ratelimit"):
                    await Send(context, 200, new { perSecond = _app.RateLimiter.PerSecond }).ConfigureAwait(false);
                    return;
                case ("PUT", "ratelimit"):
                case ("POST", "ratelimit"):
                    var body = await ReadNode(context).ConfigureAwait(false);
                    double? rate = body?["perSecond"] is JsonValue v && v.TryGetValue<double>(out var d) && d > 0 ? d : null;
                    _app.SetRateLimit(rate);
                    await Send(context, 200, new { perSecond = rate }).ConfigureAwait(false);
                    return;
                case ("DELETE", "ratelimit"):
                    _app.SetRateLimit(null);
                    await Send(context, 200, new { perSecond = (double?)null }).ConfigureAwait(false);
                    return;
                case ("POST", "items") when parts.Length == 2:
                    await AppendAsync(context, parts[1]).ConfigureAwait(false);
                    return;
                default:
                    await Send(context, 404, new { error = $"No admin route {method} /__admin/{path}.", routes = Routes }).ConfigureAwait(false);
                    return;
            }
        }
        catch (JsonException ex)
        {
            await Send(context, 400, new { error = "The body is not valid JSON: " + ex.Message, parameter = "body", rule = "json" }).ConfigureAwait(false);
        }
    }

    private static readonly string[] Routes =
    {
        "GET /__admin/health", "GET /__admin/requests?limit=N", "POST /__admin/requests/find", "POST /__admin/requests/count",
        "DELETE /__admin/requests", "POST /__admin/reset", "POST /__admin/reload", "GET|POST|DELETE /__admin/faults",
        "DELETE /__admin/faults/{id}", "GET|PUT|DELETE /__admin/ratelimit", "POST /__admin/items/{api}",
    };

    private async Task AppendAsync(HttpContext context, string apiName)
    {
        var api = _app.Registry.Apis.FirstOrDefault(a => string.Equals(a.Contract.Name, apiName, StringComparison.OrdinalIgnoreCase)
            || string.Equals(a.Prefix.Trim('/'), apiName.Trim('/'), StringComparison.OrdinalIgnoreCase));
        if (api is null)
        {
            await Send(context, 404, new { error = $"No API named {apiName}.", apis = _app.Registry.Apis.Select(a => a.Contract.Name) }).ConfigureAwait(false);
            return;
        }

        var body = await ReadNode(context).ConfigureAwait(false);
        if (body is not null and not JsonArray and not JsonObject)
        {
            await Send(context, 400, new { error = "The body must be an array of items, {\"items\": [...]} or {\"count\": N}.", parameter = "body", rule = "type" }).ConfigureAwait(false);
            return;
        }

        List<JsonObject>? items = null;
        var count = 1;
        if (body is JsonArray array)
        {
            items = array.OfType<JsonObject>().ToList();
        }
        else if (body is JsonObject obj)
        {
            if (obj["items"] is JsonArray list)
            {
                items = list.OfType<JsonObject>().ToList();
            }
            else if (obj["count"] is { } given)
            {
                if (given is not JsonValue c || !c.TryGetValue<int>(out var n))
                {
                    await Send(context, 400, new { error = "'count' must be an integer between 0 and 1000000.", parameter = "count", rule = "type" }).ConfigureAwait(false);
                    return;
                }

                if (n is < 0 or > 1_000_000)
                {
                    await Send(context, 400, new { error = "'count' must be between 0 and 1000000.", parameter = "count", rule = "maximum" }).ConfigureAwait(false);
                    return;
                }

                count = n;
            }
        }

        var added = api.Append(items, count);
        var ids = added.Select(i => DatasetBuilder.Lookup(i, api.Store.IdPath)?.DeepClone()).ToList();
        await Send(context, 201, new { appended = added.Count, ids, total = api.Store.Count }).ConfigureAwait(false);
    }

    private object Health() => new
    {
        status = "ok",
        apis = _app.Registry.Apis.Select(a => new
        {
            name = a.Contract.Name,
            title = a.Contract.Title,
            prefix = a.Prefix,
            source = a.Source,
            items = a.Store.Count,
            endpoints = a.Contract.Endpoints.Select(e => e.Method + " " + a.Prefix + e.Path),
            credentials = a.Credentials.Credentials.Select(c => new { scheme = c.Scheme, kind = c.Kind.ToString(), value = c.Value, canRead = c.CanRead, description = c.Description, authorizationScheme = a.Contract.FindScheme(c.Scheme)?.AuthorizationScheme }),
        }),
        diagnostics = _app.Registry.Diagnostics.Where(d => d.Value.Count > 0).ToDictionary(d => d.Key, d => d.Value.Select(x => x.ToString())),
        journal = _app.Journal.Snapshot().Count,
        faultRules = _app.Faults.Snapshot().Count,
        rateLimitPerSecond = _app.RateLimiter.PerSecond,
    };

    private static async Task<T?> Read<T>(HttpContext context)
    {
        if (context.Request.ContentLength == 0)
        {
            return default;
        }

        return await JsonSerializer.DeserializeAsync<T>(context.Request.Body, Json, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<JsonNode?> ReadNode(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
    }

    private static async Task Send(HttpContext context, int status, object value)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, value.GetType(), Json, context.RequestAborted).ConfigureAwait(false);
    }
}
