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
/// auth, throttling, parameter binding and execution, all from the mounted contracts. How a response is
/// written (rate-limit headers, faults on the wire) is in <c>MockServerApp.Responses.cs</c>; what the journal
/// keeps of a request (secrets redacted) in <c>MockServerApp.Journal.cs</c>.
/// </summary>
internal sealed partial class MockServerApp
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
                await WriteAsync(context, response, entry, Options.TimeProvider.GetUtcNow()).ConfigureAwait(false);
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
                await WriteAsync(context, ErrorBodies.For(null, null, 500, "The mock server failed: " + ex.Message), entry, Options.TimeProvider.GetUtcNow()).ConfigureAwait(false);
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
}
