using System.Collections.Specialized;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using EventsBindings.MockServer.Faults;
using EventsBindings.MockServer.Hosting;
using WireMock.Logging;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace EventsBindings.MockServer.WireMock;

/// <summary>How the contracts are registered on a <see cref="WireMockServer"/>.</summary>
public sealed class WireMockContractOptions
{
    /// <summary>
    /// The WireMock.Net priority of the endpoints' mappings (a lower number wins). Default 100,000: a mapping of
    /// your own at WireMock.Net's default priority (0), or any lower number than this, overrides the contract
    /// for the requests it matches. An endpoint's mapping gets this plus the number of placeholders in its path
    /// (so <c>/items/count</c> is tried before <c>/items/{id}</c>); the mapping of anything else under an API's
    /// prefix gets this plus 1,000.
    /// </summary>
    public int Priority { get; set; } = 100_000;

    /// <summary>
    /// Whether WireMock.Net's request log (<c>/__admin/requests</c>, <see cref="WireMockServer.LogEntries"/>)
    /// keeps every request with its credentials redacted as the engine's journal redacts them. Default true.
    /// </summary>
    public bool RedactRequestLog { get; set; } = true;

    /// <summary>
    /// The address clients reach the server at (for <see cref="WireMockContracts.BaseAddress"/> and the APIs' base
    /// addresses). Default: the server's <c>Url</c> (WireMock.Net reports a loopback address as <c>localhost</c>).
    /// </summary>
    public Uri? BaseAddress { get; set; }
}

/// <summary>
/// The contracts served from a <see cref="WireMockServer"/>: each endpoint of each mounted contract is a
/// mapping (titled <c>&lt;contract&gt; &lt;endpoint&gt;</c>) whose answer comes from the engine
/// (<see cref="MockServerEngine"/>), plus one mapping per API prefix, at a lower priority, that lets the
/// engine answer the contract's 404 and 405 under it. Disposing removes the mappings and the log hook.
/// <code>
/// using var server = WireMockServer.Start();
/// using var contracts = server.AddContracts(new MockServerOptions { Events = 300, Seed = 7 });
/// Uri api = contracts.ApiBaseAddress("&lt;contract name&gt;");
/// </code>
/// </summary>
public sealed class WireMockContracts : IDisposable
{
    private readonly List<Guid> _mappings = new();
    private readonly bool _ownsEngine;
    private bool _disposed;

    internal WireMockContracts(WireMockServer server, MockServerEngine engine, bool ownsEngine, WireMockContractOptions options)
    {
        Server = server;
        Engine = engine;
        Options = options;
        _ownsEngine = ownsEngine;
        Responder = new WireMockResponder(engine);
        Register();
        if (options.RedactRequestLog)
        {
            server.LogEntriesChanged += OnLogEntriesChanged;
        }
    }

    /// <summary>The server the contracts are registered on.</summary>
    public WireMockServer Server { get; }

    /// <summary>The engine that answers the contract mappings.</summary>
    public MockServerEngine Engine { get; }

    /// <summary>The registration options.</summary>
    public WireMockContractOptions Options { get; }

    /// <summary>The GUIDs of the mappings registered for the contracts (stable across runs for the same contracts).</summary>
    public IReadOnlyList<Guid> MappingGuids => _mappings.ToList();

    /// <summary>The server's base address (ends with a slash): <see cref="WireMockContractOptions.BaseAddress"/>, or the server's <c>Url</c>.</summary>
    public Uri BaseAddress
    {
        get
        {
            var url = Options.BaseAddress?.ToString() ?? Server.Url ?? throw new InvalidOperationException("The WireMock.Net server is not started.");
            return new Uri(url.EndsWith('/') ? url : url + "/");
        }
    }

    /// <summary>The mounted APIs, with their base addresses on this server.</summary>
    public IReadOnlyList<MockApiInfo> Apis => Engine.Apis(BaseAddress);

    internal WireMockResponder Responder { get; }

    /// <summary>The base URL of an API by contract name on this server; it ends with a slash, so relative paths append.</summary>
    public Uri ApiBaseAddress(string api) =>
        Apis.FirstOrDefault(a => string.Equals(a.Name, api, StringComparison.OrdinalIgnoreCase))?.BaseAddress
        ?? throw new ArgumentException($"No API named {api} is mounted.", nameof(api));

    /// <summary>
    /// Registers (again) every contract mapping; mappings of the same GUID are replaced. Call it after
    /// <see cref="WireMockServer.Reset"/> or <c>POST /__admin/reset</c>, which delete every mapping.
    /// </summary>
    public void Register()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _mappings.Clear();
        foreach (var route in Engine.Routes)
        {
            var guid = StableGuid(route.Api + "\n" + route.Endpoint);
            Server.Given(Request.Create().UsingMethod(route.Method).WithPath(new RegexMatcher(PathPattern(route.Prefix, route.Path), ignoreCase: true)))
                .WithGuid(guid)
                .WithTitle(route.Api + " " + route.Endpoint)
                .WithDescription($"{route.Method} {route.Prefix}{route.Path}, answered by the contract engine" + (route.Summary is { } summary ? ": " + summary : "."))
                .AtPriority(Options.Priority + Placeholders(route.Path))
                .RespondWith(Response.Create().WithCallback(Responder.AnswerAsync));
            _mappings.Add(guid);
        }

        foreach (var prefix in Engine.Routes.GroupBy(r => r.Api, StringComparer.Ordinal).Select(g => (Api: g.Key, g.First().Prefix)))
        {
            var guid = StableGuid(prefix.Api + "\n*");
            Server.Given(Request.Create().WithPath(new RegexMatcher("^" + Regex.Escape(prefix.Prefix.TrimEnd('/')) + "(/.*)?$", ignoreCase: true)))
                .WithGuid(guid)
                .WithTitle(prefix.Api + " (any other request)")
                .WithDescription($"Any other request under {prefix.Prefix}: the contract's 404 or 405, from the contract engine.")
                .AtPriority(Options.Priority + 1_000)
                .RespondWith(Response.Create().WithCallback(Responder.AnswerAsync));
            _mappings.Add(guid);
        }
    }

    /// <summary>Clears the engine's state (journal, fault rules, throttling, issued tokens, appended items); WireMock.Net's mappings and log are left alone.</summary>
    public void ResetEngine() => Engine.Reset();

    /// <summary>
    /// Adds a fault rule to the engine (what <c>POST /__admin/faults</c> does on the Kestrel host, whose route WireMock.Net's
    /// own admin API shadows here): matching requests to the contract mappings get the rule's fault. Status faults,
    /// <c>delay=</c> and <c>malformed</c> are answered as on Kestrel; <c>truncate</c> becomes WireMock.Net's
    /// <c>MALFORMED_RESPONSE_CHUNK</c> and <c>reset</c> its <c>EMPTY_RESPONSE</c>. Returns the rule as added, with its id.
    /// </summary>
    /// <exception cref="ArgumentException">The rule's fault text is not a fault list.</exception>
    public FaultRule AddFaultRule(FaultRule rule) => Engine.AddFaultRule(rule);

    /// <summary>The engine's fault rules with their counters (copies).</summary>
    public IReadOnlyList<FaultRule> FaultRules => Engine.FaultRules;

    /// <summary>Removes one fault rule by id; false when there is none.</summary>
    public bool RemoveFaultRule(string id) => Engine.RemoveFaultRule(id);

    /// <summary>Removes every fault rule.</summary>
    public void ClearFaultRules() => Engine.ClearFaultRules();

    /// <summary>
    /// The engine's per-credential rate limit in requests per second (null: none), as <c>/__admin/ratelimit</c> on the
    /// Kestrel host; setting it starts every credential afresh. Requests beyond it get the contract's 429.
    /// </summary>
    public double? RateLimitPerSecond
    {
        get => Engine.RateLimitPerSecond;
        set => Engine.RateLimitPerSecond = value;
    }

    /// <summary>
    /// Re-reads the engine's contracts directory now (<c>POST /__admin/reload</c> on the Kestrel host) and registers the
    /// mappings of what is mounted afterwards; the mappings of endpoints that are gone are removed.
    /// </summary>
    public void Reload()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Engine.Reload();
        var before = _mappings.ToList();
        Register();
        foreach (var gone in before.Except(_mappings))
        {
            Server.DeleteMapping(gone);
        }
    }

    /// <summary>Removes the contract mappings and the request-log hook; disposes the engine when this registration created it.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Server.LogEntriesChanged -= OnLogEntriesChanged;
        foreach (var guid in _mappings)
        {
            Server.DeleteMapping(guid);
        }

        if (_ownsEngine)
        {
            Engine.Dispose();
        }
    }

    /// <summary>
    /// Replaces each new log entry's request (and response body) with a redacted copy, before WireMock.Net's
    /// admin API can read it: the collection raises this event inside its add.
    /// </summary>
    private void OnLogEntriesChanged(object? sender, NotifyCollectionChangedEventArgs e)
    {
        if (e.NewItems is null)
        {
            return;
        }

        foreach (var item in e.NewItems)
        {
            if (item is LogEntry entry)
            {
                Redaction.Redact(entry, Engine);
            }
        }
    }

    /// <summary>A path template as an anchored regular expression: placeholders match one segment; a trailing slash is allowed.</summary>
    internal static string PathPattern(string prefix, string template)
    {
        var pattern = new StringBuilder("^").Append(Regex.Escape(prefix.TrimEnd('/')));
        foreach (var segment in template.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            pattern.Append('/');
            pattern.Append(segment.Length > 2 && segment[0] == '{' && segment[^1] == '}' ? "[^/]+" : Regex.Escape(segment));
        }

        return pattern.Append("/?$").ToString();
    }

    private static int Placeholders(string template) =>
        template.Split('/', StringSplitOptions.RemoveEmptyEntries).Count(s => s.Length > 2 && s[0] == '{' && s[^1] == '}');

    private static Guid StableGuid(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("EventsBindings.MockServer.WireMock\n" + name));
        return new Guid(hash.AsSpan(0, 16));
    }
}

/// <summary>Registers the contract engine's endpoints on a WireMock.Net server.</summary>
public static class WireMockServerContractExtensions
{
    /// <summary>
    /// Loads the contracts (embedded, or <see cref="MockServerOptions.ContractsDirectory"/>), builds their datasets and
    /// registers every endpoint on <paramref name="server"/> as a mapping answered by the engine.
    /// </summary>
    /// <param name="server">A started WireMock.Net server.</param>
    /// <param name="options">The engine's options (dataset size, seed, clock, credentials); host and port are the server's.</param>
    /// <param name="registration">Priority and request-log redaction; defaults when null.</param>
    public static WireMockContracts AddContracts(this WireMockServer server, MockServerOptions? options = null, WireMockContractOptions? registration = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var engine = new MockServerEngine(options);
        try
        {
            return new WireMockContracts(server, engine, ownsEngine: true, registration ?? new WireMockContractOptions());
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    /// <summary>Registers the endpoints of an existing engine (for instance one shared with a Kestrel host) on <paramref name="server"/>.</summary>
    public static WireMockContracts AddContracts(this WireMockServer server, MockServerEngine engine, WireMockContractOptions? registration = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(engine);
        return new WireMockContracts(server, engine, ownsEngine: false, registration ?? new WireMockContractOptions());
    }
}
