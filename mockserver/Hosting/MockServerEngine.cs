using System.Text.Json.Nodes;
using EventsBindings.MockServer.Admin;
using EventsBindings.MockServer.Auth;
using EventsBindings.MockServer.Contracts;
using EventsBindings.MockServer.Faults;
using EventsBindings.Spec.Model;
using Microsoft.AspNetCore.Http;

namespace EventsBindings.MockServer.Hosting;

/// <summary>One endpoint of a mounted API, as a host registers it (a route of its own server).</summary>
/// <param name="Api">The contract's name.</param>
/// <param name="Endpoint">The endpoint's name in the contract.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Prefix">The API's mount prefix (<c>/&lt;mock.prefix&gt;</c>).</param>
/// <param name="Path">The endpoint's path template relative to <paramref name="Prefix"/> (<c>/items/{id}</c>).</param>
/// <param name="Summary">The contract's summary or description of the endpoint, if any.</param>
public sealed record MockRoute(string Api, string Endpoint, string Method, string Prefix, string Path, string? Summary);

/// <summary>
/// The contract engine without a server: the mounted contracts, their datasets and the whole request
/// pipeline (routing, faults, auth, throttling, binding, execution, journal). Hosts are thin adapters
/// over <see cref="HandleAsync"/>: <see cref="MockServerHost"/> runs it on Kestrel, the WireMock.Net
/// adapter (<c>EventsBindings.MockServer.WireMock</c>) from a WireMock.Net mapping.
/// <code>
/// using var engine = new MockServerEngine(new MockServerOptions { Events = 300, Seed = 7 });
/// await engine.HandleAsync(httpContext); // any HttpContext: Kestrel's, or a DefaultHttpContext a host builds
/// </code>
/// </summary>
public sealed class MockServerEngine : IDisposable
{
    private readonly List<string> _messages = new();

    /// <summary>Loads the contracts and builds the datasets (throws when no contract is usable).</summary>
    /// <param name="options">The options; defaults when null. <see cref="MockServerOptions.Host"/> and <see cref="MockServerOptions.Port"/> are the host's business.</param>
    public MockServerEngine(MockServerOptions? options = null)
    {
        Options = options ?? new MockServerOptions();
        Registry = new ContractRegistry(Options, Log);
        Registry.Load();

        // Building datasets leaves much garbage (JSON trees); give it back before serving.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        App = new MockServerApp(Options, Registry, Log);
    }

    /// <summary>The options.</summary>
    public MockServerOptions Options { get; }

    internal ContractRegistry Registry { get; }

    internal MockServerApp App { get; }

    /// <summary>Messages the engine logged (reloads, contract diagnostics), besides <see cref="MockServerOptions.Log"/>.</summary>
    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages)
            {
                return _messages.ToList();
            }
        }
    }

    /// <summary>
    /// Answers one request: the engine's own admin routes under <c>/__admin</c>, then the mounted APIs.
    /// The answer (status, headers, body) is written to <paramref name="context"/>'s response; a fault
    /// that drops the connection calls <see cref="HttpContext.Abort"/>.
    /// </summary>
    public Task HandleAsync(HttpContext context) => App.HandleAsync(context);

    /// <summary>The mounted APIs, with base addresses under <paramref name="baseAddress"/> (the host's root, ending with a slash).</summary>
    public IReadOnlyList<MockApiInfo> Apis(Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        return Registry.Apis
            .OrderBy(a => a.Contract.Name, StringComparer.Ordinal)
            .Select(a => new MockApiInfo(
                a.Contract.Name,
                a.Contract.Title,
                a.Prefix,
                new Uri(baseAddress, a.Prefix.TrimStart('/') + "/"),
                a.Store.Count,
                a.Credentials.Credentials.Select(c => new MockCredentialInfo(c.Scheme, c.Kind.ToString(), c.Value, c.CanRead, c.Description, a.Contract.FindScheme(c.Scheme)?.Header, a.Contract.FindScheme(c.Scheme)?.AuthorizationScheme)).ToList(),
                a.Contract.Endpoints.FirstOrDefault(e => e.Response.Kind == ResponseKind.List && !e.Path.Contains('{', StringComparison.Ordinal))?.Path.TrimStart('/')))
            .ToList();
    }

    /// <summary>Every endpoint of every mounted API, ordered by API and then as the contract lists them.</summary>
    public IReadOnlyList<MockRoute> Routes =>
        Registry.Apis
            .OrderBy(a => a.Contract.Name, StringComparer.Ordinal)
            .SelectMany(a => a.Contract.Endpoints.Select(e => new MockRoute(a.Contract.Name, e.Name, e.Method.ToUpperInvariant(), a.Prefix, e.Path, e.Summary ?? e.Description)))
            .ToList();

    /// <summary>Re-reads the contracts directory now (the watcher does it on change).</summary>
    public void Reload() => Registry.Reload();

    /// <summary>Clears the journal, fault rules, throttling, issued tokens and appended items.</summary>
    public void Reset() => App.Reset();

    /// <summary>
    /// Adds a fault rule, as <c>POST /__admin/faults</c> does: matching requests (by <see cref="FaultRule.Api"/>,
    /// <see cref="FaultRule.Endpoint"/>, <see cref="FaultRule.Path"/> prefix, <see cref="FaultRule.Method"/>) get
    /// <see cref="FaultRule.Fault"/> every Nth time, the Nth time only, or always, at most <see cref="FaultRule.Times"/> times,
    /// on whatever host serves the engine. Returns a copy of the rule as added, with its id.
    /// </summary>
    /// <param name="rule">The rule; the engine keeps a copy (its id and counters are the engine's).</param>
    /// <exception cref="ArgumentException"><see cref="FaultRule.Fault"/> is not a fault list (<c>429</c>, <c>delay=500</c>, <c>reset</c>, <c>truncate</c>, <c>malformed</c>).</exception>
    public FaultRule AddFaultRule(FaultRule rule) => App.Faults.Add(rule);

    /// <summary>The fault rules with their counters (copies), as <c>GET /__admin/faults</c> lists them.</summary>
    public IReadOnlyList<FaultRule> FaultRules => App.Faults.Snapshot();

    /// <summary>Removes one fault rule by id, as <c>DELETE /__admin/faults/{id}</c>; false when there is none.</summary>
    public bool RemoveFaultRule(string id) => App.Faults.Remove(id ?? string.Empty);

    /// <summary>Removes every fault rule, as <c>DELETE /__admin/faults</c>.</summary>
    public void ClearFaultRules() => App.Faults.Clear();

    /// <summary>
    /// The per-credential rate limit in requests per second (null: none), as <c>/__admin/ratelimit</c> reads and sets it.
    /// Setting it starts every credential afresh; more requests get the contract's 429 with <c>Retry-After</c>, and an API
    /// that declares rate-limit headers gets a window of this rate times <see cref="MockServerOptions.RateLimitWindow"/>.
    /// </summary>
    public double? RateLimitPerSecond
    {
        get => App.RateLimiter.PerSecond;
        set => App.SetRateLimit(value);
    }

    /// <summary>Appends <paramref name="count"/> new synthetic items, timestamped now, to an API's dataset.</summary>
    public void AppendItems(string apiName, int count) => Mounted(apiName).Append(null, count);

    /// <summary>Appends the given items to an API's dataset: given ids and times are kept, missing ones are assigned. Returns how many were appended.</summary>
    public int AppendItems(string apiName, IEnumerable<JsonObject> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return Mounted(apiName).Append(items.ToList(), 0).Count;
    }

    /// <summary>The engine's request journal (credentials redacted), oldest first; only matching entries when <paramref name="filter"/> is given.</summary>
    public IReadOnlyList<JournalEntry> Requests(RequestFilter? filter = null)
    {
        var all = App.Journal.Snapshot();
        return filter is null ? all : all.Where(filter.Matches).ToList();
    }

    /// <summary>Clears the engine's request journal.</summary>
    public void ClearRequests() => App.Journal.Clear();

    /// <summary>
    /// A raw query string (<c>?a=1&amp;b=2</c>) as the journal keeps it: the value of every parameter that
    /// carries a credential (named as a secret, or whose value is a known credential) replaced by <c>***</c>.
    /// </summary>
    public string RedactQuery(string rawQuery) => MockServerApp.RedactQuery(rawQuery ?? string.Empty, Secrets());

    /// <summary>
    /// A request header's value as the journal keeps it: <c>Authorization</c> keeps its scheme and loses its
    /// credentials (<c>Basic ***</c>); a header that carries a credential (by name or by value) becomes <c>***</c>.
    /// </summary>
    public string RedactHeader(string name, string value) => MockServerApp.RedactHeader(name ?? string.Empty, value ?? string.Empty, Secrets());

    /// <summary>
    /// Whether a query parameter or header of this name and value carries a credential (the journal shows it as <c>***</c>):
    /// its name is a secret's, or its value is or holds a known credential (alone, or inside a list such as <c>a,key</c>).
    /// </summary>
    public bool IsSecret(string name, string value)
    {
        var secrets = Secrets();
        return secrets.IsSecretName(name ?? string.Empty) || secrets.Carries(value ?? string.Empty);
    }

    /// <summary>Every known credential of the mounted APIs (demo or issued) in <paramref name="text"/> replaced by <c>***</c>: for bodies.</summary>
    public string RedactText(string text) => Secrets().RedactIn(text ?? string.Empty);

    /// <inheritdoc />
    public void Dispose() => Registry.Dispose();

    /// <summary>The app's secrets of the mounted APIs (one cache, rebuilt only on a contract reload).</summary>
    private JournalSecrets Secrets() => App.CurrentSecrets();

    private Engine.ApiRuntime Mounted(string apiName) =>
        Registry.Apis.FirstOrDefault(a => string.Equals(a.Contract.Name, apiName, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"No API named {apiName} is mounted.", nameof(apiName));

    private void Log(string message)
    {
        lock (_messages)
        {
            _messages.Add(message);
            if (_messages.Count > 1000)
            {
                _messages.RemoveAt(0);
            }
        }

        Options.Log?.Invoke(message);
    }
}
