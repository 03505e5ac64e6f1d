// Over 400 lines because it is the one request pipeline of the engine (routing, faults, auth, throttling, binding,
// writing) plus the journal's redaction of what it records; splitting it would scatter one request's path over files.
using System.Diagnostics;
using System.Text;
using EventsBindings.MockServer.Admin;
using EventsBindings.MockServer.Auth;
using EventsBindings.MockServer.Contracts;
using EventsBindings.MockServer.Engine;
using EventsBindings.MockServer.Faults;
using EventsBindings.Spec.Model;
using Microsoft.AspNetCore.Http;

namespace EventsBindings.MockServer.Hosting;

/// <summary>
/// The request pipeline: admin routes, then API routing by prefix and path template, faults,
/// auth, throttling, parameter binding and execution, all from the mounted contracts.
/// </summary>
internal sealed class MockServerApp
{
    /// <summary>The request header that asks for faults.</summary>
    public const string FaultHeader = "X-Mock-Fault";

    private readonly AdminApi _admin;
    private readonly Action<string> _log;
    private volatile JournalSecrets? _secrets;

    public MockServerApp(MockServerOptions options, ContractRegistry registry, Action<string> log)
    {
        Options = options;
        Registry = registry;
        _log = log;
        Journal = new RequestJournal(options.JournalCapacity);
        Faults = new FaultRules();
        RateLimiter = new RateLimiter(options.TimeProvider, options.RateLimitPerSecond);
        _admin = new AdminApi(this);
    }

    public MockServerOptions Options { get; }

    public ContractRegistry Registry { get; }

    public RequestJournal Journal { get; }

    public FaultRules Faults { get; }

    public RateLimiter RateLimiter { get; }

    /// <summary>Sets the per-credential rate limit (null or not positive: none) and starts every credential afresh.</summary>
    public void SetRateLimit(double? perSecond)
    {
        RateLimiter.PerSecond = perSecond is > 0 ? perSecond : null;
        RateLimiter.Reset();
    }

    /// <summary>Clears journal, fault rules, throttling state, issued tokens and appended items.</summary>
    public void Reset()
    {
        Journal.Clear();
        Faults.Clear();
        RateLimiter.Reset();
        foreach (var api in Registry.Apis)
        {
            api.Reset();
        }
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (path.StartsWith("/__admin", StringComparison.OrdinalIgnoreCase))
        {
            await _admin.HandleAsync(context).ConfigureAwait(false);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var secrets = CurrentSecrets();
        var entry = new JournalEntry
        {
            Id = Journal.NextId(),
            Time = Options.TimeProvider.GetUtcNow(),
            Method = request.Method,
            Path = secrets.RedactIn(path),
            Query = RedactQuery(request.QueryString.Value ?? string.Empty, secrets),
            Headers = Redact(request.Headers, secrets),
        };
        // The entry is journaled before the answer goes out, so that a client that has its answer
        // always finds its request in the journal (later fields, such as the duration, fill in after).
        var journaled = false;
        void RecordOnce()
        {
            if (!journaled)
            {
                journaled = true;
                entry.DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                Journal.Add(entry);
            }
        }

        try
        {
            var response = await AnswerAsync(context, path, entry).ConfigureAwait(false);
            if (response is not null)
            {
                entry.Status = response.Status;
                RecordOnce();
                await WriteAsync(context, response, entry).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            entry.Status = 0;
            entry.Error ??= "The client went away.";
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _log($"Error answering {request.Method} {path}: {ex}");
            entry.Status = 500;
            entry.Error = "Mock server error: " + ex.Message;
            if (!context.Response.HasStarted)
            {
                RecordOnce();
                await WriteAsync(context, ErrorBodies.For(null, null, 500, "The mock server failed: " + ex.Message), entry).ConfigureAwait(false);
            }
        }
        finally
        {
            RecordOnce();
            entry.DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
    }

    private async Task<MockResponse?> AnswerAsync(HttpContext context, string path, JournalEntry entry)
    {
        var request = context.Request;
        var api = Registry.Resolve(path, out var rest);
        if (api is null)
        {
            entry.Error = "No API is mounted at this path.";
            var mounted = string.Join(", ", Registry.Apis.Select(a => a.Prefix));
            return ErrorBodies.For(null, null, 404, $"No API is mounted at {path}. Mounted: {mounted}. Admin: /__admin/health.");
        }

        entry.Api = api.Contract.Name;
        var match = api.Match(request.Method, rest, out var methodMismatch);
        if (match is not { } m)
        {
            entry.Error = methodMismatch ? "Method not allowed." : "No endpoint matches this path.";
            return methodMismatch
                ? ErrorBodies.For(null, null, 405, $"{request.Method} is not allowed on {path}.")
                : ErrorBodies.For(api.Contract, null, 404, $"No endpoint of {api.Contract.Name} matches {path}.");
        }

        var endpoint = m.Endpoint;
        entry.Endpoint = endpoint.Name;

        // Faults: asked for by the request, or injected by admin rules.
        var faults = new List<Fault>();
        if (request.Headers.TryGetValue(FaultHeader, out var asked) && asked.Count > 0)
        {
            if (!Fault.TryParseList(asked.ToString(), out var parsed, out var error))
            {
                entry.Error = error;
                return ErrorBodies.BadRequest(api.Contract, endpoint, new BadInput(FaultHeader, "fault", error!));
            }

            faults.AddRange(parsed);
        }

        var (ruleFaults, retryAfter, _) = Faults.Evaluate(api.Contract.Name, endpoint.Name, request.Method, path);
        faults.AddRange(ruleFaults);
        if (faults.Count > 0)
        {
            entry.Fault = string.Join(",", faults);
        }

        foreach (var delay in faults.Where(f => f.Kind == FaultKind.Delay))
        {
            await Task.Delay(delay.DelayMilliseconds, context.RequestAborted).ConfigureAwait(false);
        }

        if (faults.Any(f => f.Kind == FaultKind.Reset))
        {
            entry.Status = 0;
            context.Abort();
            return null;
        }

        if (faults.FirstOrDefault(f => f.Kind == FaultKind.Status) is { } statusFault)
        {
            var injected = ErrorBodies.For(api.Contract, endpoint, statusFault.Status, $"Injected fault {statusFault.Status}.");
            if (statusFault.Status == 429 && api.Contract.RateLimit is { } limits)
            {
                // An API that reports its limit in headers does so on a 429 too: an exhausted window that
                // resets after the rule's Retry-After (one second by default), as the server's own throttling says.
                var now = Options.TimeProvider.GetUtcNow();
                injected = WithRateLimit(injected, limits, new WindowState(WindowLimit(), 0, now.AddSeconds(retryAfter ?? 1), now));
            }

            return retryAfter is { } seconds ? WithRetryAfter(injected, seconds) : injected;
        }

        // Auth, then throttling per credential.
        var outcome = api.Credentials.Authenticate(endpoint, request, out var principal);
        if (outcome != AuthOutcome.Ok)
        {
            var status = outcome == AuthOutcome.Forbidden ? 403 : 401;
            entry.Error = status == 401 ? "Missing or invalid credential." : "The credential may not read.";
            return ErrorBodies.For(api.Contract, endpoint, status, entry.Error);
        }

        if (api.Contract.RateLimit is { } declared)
        {
            // The API says how it reports its limit: a window per credential, its headers on every answer.
            var allowed = RateLimiter.TryAcquireWindow(api.Contract.Name + "/" + principal, WindowLimit(), Options.RateLimitWindow, out var window);
            if (!allowed)
            {
                entry.Error = "Throttled by the per-credential rate limit.";
                return WithRateLimit(ErrorBodies.For(api.Contract, endpoint, 429, "Too many requests."), declared, window);
            }

            var answer = AnswerBound(api, endpoint, request, m.Values, entry);
            return WithRateLimit(answer, declared, window);
        }

        if (!RateLimiter.TryAcquire(api.Contract.Name + "/" + principal, out var wait))
        {
            entry.Error = "Throttled by the per-credential rate limit.";
            return WithRetryAfter(ErrorBodies.For(api.Contract, endpoint, 429, "Too many requests."), wait);
        }

        return AnswerBound(api, endpoint, request, m.Values, entry);
    }

    private MockResponse AnswerBound(ApiRuntime api, EndpointSpec endpoint, HttpRequest request, IReadOnlyDictionary<string, string> routeValues, JournalEntry entry)
    {
        var bound = ParameterBinder.Bind(api.Contract, endpoint, request, routeValues, Options.TimeProvider.GetUtcNow());
        var secrets = CurrentSecrets();
        entry.UnknownParameters = bound.Unknown.Select(name => secrets.Carries(name) ? "***" : name).ToList();
        entry.IgnoredParameters = bound.Ignored;
        if (bound.Error is { } bad)
        {
            entry.Error = bad.Message;
            return ErrorBodies.BadRequest(api.Contract, endpoint, bad);
        }

        if (endpoint.Response.Kind == ResponseKind.Token)
        {
            return EndpointExecutor.Token(api, endpoint, api.Credentials.Issue(canRead: true));
        }

        // Opaque parameters: the contract does not say what they do, so the mock cannot execute them.
        var opaque = bound.Values.Values.Where(v => v.Spec.Semantics.Kind == SemanticsKind.Opaque && !v.FromDefault).Select(v => v.Spec).ToList();
        entry.NotExecutedParameters = opaque.Select(p => p.WireName).ToList();
        if (opaque.FirstOrDefault(p => !p.Semantics.MockIgnores) is { } rejected)
        {
            entry.Error = $"Parameter '{rejected.WireName}' is not executed by the mock (its semantics are opaque).";
            return ErrorBodies.NotExecuted(api.Contract, endpoint, rejected.WireName, entry.Error);
        }

        var response = EndpointExecutor.Execute(api, endpoint, bound, Options.TimeProvider.GetUtcNow(), PublicUri.Of(request));
        if (response.Status == 400)
        {
            entry.Error = Encoding.UTF8.GetString(response.Content.Span);
        }

        return response;
    }

    /// <summary>Requests per window of an API that reports its limit in headers: the option, else the per-second rate over the window, else the default.</summary>
    private long WindowLimit() => Options.RateLimitPerWindow
        ?? (RateLimiter.PerSecond is { } perSecond ? Math.Max(1, (long)Math.Ceiling(perSecond * Options.RateLimitWindow.TotalSeconds)) : MockServerOptions.DefaultRateLimitPerWindow);

    /// <summary>The declared rate-limit headers of the credential's window, replacing any of the same names.</summary>
    private static MockResponse WithRateLimit(MockResponse response, RateLimitSpec declared, WindowState window)
    {
        var names = new[] { declared.Limit, declared.Remaining, declared.Reset };
        var headers = response.Headers.Where(h => !names.Any(n => string.Equals(n, h.Key, StringComparison.OrdinalIgnoreCase))).ToList();
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        if (declared.Limit is { } limit)
        {
            headers.Add(new KeyValuePair<string, string>(limit, window.Limit.ToString(invariant)));
        }

        if (declared.Remaining is { } remaining)
        {
            headers.Add(new KeyValuePair<string, string>(remaining, window.Remaining.ToString(invariant)));
        }

        var reset = declared.ResetKind == RateLimitResetKind.EpochSeconds
            ? (long)Math.Ceiling((window.ResetAt - DateTimeOffset.UnixEpoch).TotalSeconds)
            : Math.Max(0, (long)Math.Ceiling((window.ResetAt - window.Now).TotalSeconds));
        headers.Add(new KeyValuePair<string, string>(declared.Reset, reset.ToString(invariant)));
        return response with { Headers = headers };
    }

    private static MockResponse WithRetryAfter(MockResponse response, int seconds)
    {
        var headers = response.Headers.Where(h => !string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).ToList();
        headers.Add(new KeyValuePair<string, string>("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return response with { Headers = headers };
    }

    private static async Task WriteAsync(HttpContext context, MockResponse response, JournalEntry entry)
    {
        try
        {
            await WriteBodyAsync(context, response, entry).ConfigureAwait(false);
        }
        finally
        {
            response.List?.Dispose();
        }
    }

    private static async Task WriteBodyAsync(HttpContext context, MockResponse response, JournalEntry entry)
    {
        var faults = entry.Fault ?? string.Empty;
        var list = response.List;
        ReadOnlyMemory<byte> body = response.Body;
        if (faults.Contains("malformed", StringComparison.Ordinal))
        {
            // Cut the JSON and append garbage: a body no JSON reader accepts.
            body = response.Content;
            var cut = Math.Max(1, body.Length / 2);
            body = body.Span[..cut].ToArray().Concat("\u0000<<malformed"u8.ToArray()).ToArray();
            list = null;
        }

        var http = context.Response;
        http.StatusCode = response.Status;
        http.ContentType = "application/json; charset=utf-8";
        foreach (var (name, value) in response.Headers)
        {
            http.Headers[name] = value;
        }

        var length = list?.Length ?? body.Length;
        http.ContentLength = length;
        var truncate = faults.Contains("truncate", StringComparison.Ordinal);
        var limit = truncate ? length / 2 : length;
        if (list is not null)
        {
            await list.WriteAsync(http.BodyWriter, limit, context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            await http.Body.WriteAsync(body[..limit], context.RequestAborted).ConfigureAwait(false);
            await http.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }

        if (truncate)
        {
            context.Abort();
        }
    }

    /// <summary>
    /// The journal's secrets for the APIs mounted now: rebuilt only when the registry publishes a new set
    /// of APIs (a contract reload), not per request.
    /// </summary>
    internal JournalSecrets CurrentSecrets()
    {
        var apis = Registry.Apis;
        var secrets = _secrets;
        if (secrets is null || !ReferenceEquals(secrets.Apis, apis))
        {
            secrets = JournalSecrets.For(apis);
            _secrets = secrets;
        }

        return secrets;
    }

    /// <summary>
    /// The raw query string with the value of every parameter that carries a credential replaced by <c>***</c>: a
    /// parameter named as a secret, or one whose value (unescaped) is or holds a known credential, alone or inside a
    /// list (<c>a,key</c>, <c>a%3Bkey</c>). A name that holds a credential loses its value too. The rest is kept as sent.
    /// </summary>
    internal static string RedactQuery(string query, JournalSecrets secrets)
    {
        if (query.Length <= 1)
        {
            return query;
        }

        var pairs = query.TrimStart('?').Split('&');
        for (var i = 0; i < pairs.Length; i++)
        {
            var pair = pairs[i];
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Unescape(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Unescape(pair[(equals + 1)..]);
            if (secrets.Carries(name))
            {
                pairs[i] = equals < 0 ? "***" : "***=***";
            }
            else if (equals >= 0 && (secrets.IsSecretName(name) || secrets.Carries(value)))
            {
                pairs[i] = pair[..equals] + "=***";
            }
        }

        return "?" + string.Join('&', pairs);
    }

    /// <summary>A query name or value as the server reads it (<c>+</c> is a space; a malformed escape stays as sent).</summary>
    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private static Dictionary<string, string> Redact(IHeaderDictionary headers, JournalSecrets secrets)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            result[name] = RedactHeader(name, value.ToString(), secrets);
        }

        return result;
    }

    /// <summary>One header's value as the journal keeps it: Authorization keeps its scheme only; a credential-carrying header becomes <c>***</c>.</summary>
    internal static string RedactHeader(string name, string text, JournalSecrets secrets)
    {
        if (string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase))
        {
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            return space > 0 ? text[..space] + " ***" : "***";
        }

        return secrets.IsSecretName(name) || secrets.Carries(text) ? "***" : text;
    }
}
