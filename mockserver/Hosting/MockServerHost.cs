using System.Net;
using System.Text.Json.Nodes;
using EventsBindings.MockServer.Admin;
using EventsBindings.MockServer.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventsBindings.MockServer.Hosting;

/// <summary>A demo credential of a mounted API.</summary>
/// <param name="Scheme">The contract's auth scheme name.</param>
/// <param name="Kind">The scheme's kind (ApiKey, Basic, Bearer, RefreshToken, Authorization).</param>
/// <param name="Value">The credential.</param>
/// <param name="CanRead">False for a credential that is valid but gets 403.</param>
/// <param name="Description">The contract's description of it.</param>
/// <param name="Header">For an API-key scheme, the header that carries it.</param>
/// <param name="AuthorizationScheme">For an Authorization scheme, the scheme name sent before the token (<c>Authorization: &lt;scheme&gt; &lt;token&gt;</c>).</param>
public sealed record MockCredentialInfo(string Scheme, string Kind, string Value, bool CanRead, string? Description, string? Header, string? AuthorizationScheme = null);

/// <summary>A mounted API.</summary>
/// <param name="Name">The contract's name.</param>
/// <param name="Title">The contract's title.</param>
/// <param name="Prefix">The path prefix it is mounted under.</param>
/// <param name="BaseAddress">The absolute base address of the API (ends with a slash).</param>
/// <param name="Items">Items in its dataset.</param>
/// <param name="Credentials">Its demo credentials.</param>
/// <param name="SamplePath">The path (relative to <paramref name="BaseAddress"/>) of its first list endpoint without path parameters, if any.</param>
public sealed record MockApiInfo(string Name, string Title, string Prefix, Uri BaseAddress, int Items, IReadOnlyList<MockCredentialInfo> Credentials, string? SamplePath);

/// <summary>
/// The mock server, embeddable in any process (tests, benchmarks) and used by the command line.
/// <code>
/// await using var mock = new MockServerHost(new MockServerOptions { Port = 0 });
/// Uri baseAddress = await mock.StartAsync();
/// Uri api = mock.ApiBaseAddress("&lt;contract name&gt;"); // http://127.0.0.1:PORT/&lt;mock.prefix&gt;/
/// </code>
/// </summary>
public sealed class MockServerHost : IAsyncDisposable
{
    private readonly List<string> _messages = new();
    private WebApplication? _app;
    private ContractRegistry? _registry;
    private MockServerApp? _server;
    private Uri? _baseAddress;

    /// <summary>Creates a server with the given options (defaults when null).</summary>
    public MockServerHost(MockServerOptions? options = null) => Options = options ?? new MockServerOptions();

    /// <summary>The options.</summary>
    public MockServerOptions Options { get; }

    /// <summary>The bound base address (<c>http://127.0.0.1:PORT/</c>); available after <see cref="StartAsync"/>.</summary>
    public Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException("The mock server is not started.");

    /// <summary>The mounted APIs.</summary>
    public IReadOnlyList<MockApiInfo> Apis => (_registry?.Apis ?? Array.Empty<Engine.ApiRuntime>())
        .OrderBy(a => a.Contract.Name, StringComparer.Ordinal)
        .Select(a => new MockApiInfo(
            a.Contract.Name,
            a.Contract.Title,
            a.Prefix,
            new Uri(BaseAddress, a.Prefix.TrimStart('/') + "/"),
            a.Store.Count,
            a.Credentials.Credentials.Select(c => new MockCredentialInfo(c.Scheme, c.Kind.ToString(), c.Value, c.CanRead, c.Description, a.Contract.FindScheme(c.Scheme)?.Header, a.Contract.FindScheme(c.Scheme)?.AuthorizationScheme)).ToList(),
            a.Contract.Endpoints.FirstOrDefault(e => e.Response.Kind == Spec.Model.ResponseKind.List && !e.Path.Contains('{', StringComparison.Ordinal))?.Path.TrimStart('/')))
        .ToList();

    /// <summary>Messages the server logged (reloads, contract diagnostics), besides <see cref="MockServerOptions.Log"/>.</summary>
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

    /// <summary>The base address of an API by contract name (ends with a slash, so relative paths append).</summary>
    public Uri ApiBaseAddress(string apiName) =>
        Apis.FirstOrDefault(a => string.Equals(a.Name, apiName, StringComparison.OrdinalIgnoreCase))?.BaseAddress
        ?? throw new ArgumentException($"No API named {apiName} is mounted.", nameof(apiName));

    /// <summary>Loads the contracts, builds the datasets and starts listening. Returns the bound base address.</summary>
    public async Task<Uri> StartAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not null)
        {
            return BaseAddress;
        }

        _registry = new ContractRegistry(Options, Log);
        _registry.Load();

        // Building datasets leaves much garbage (JSON trees); give it back before serving.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _server = new MockServerApp(Options, _registry, Log);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = Array.Empty<string>(),
            ApplicationName = typeof(MockServerHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (string.Equals(Options.Host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                kestrel.ListenLocalhost(Options.Port);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(Options.Host), Options.Port);
            }
        });
        var app = builder.Build();
        var server = _server;
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _baseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return _baseAddress;
    }

    /// <summary>
    /// The contracts built into the server (served when <see cref="MockServerOptions.ContractsDirectory"/> is not set),
    /// by file name (<c>banyan.events.yaml</c>), as text: for tools that want the same contracts as the server.
    /// </summary>
    public static IReadOnlyDictionary<string, string> EmbeddedContracts() => ContractRegistry.EmbeddedContracts();

    /// <summary>Re-reads the contracts directory now (the watcher does it on change).</summary>
    public void Reload() => _registry?.Reload();

    /// <summary>Clears the journal, fault rules, throttling, issued tokens and appended items.</summary>
    public void Reset() => _server?.Reset();

    /// <summary>Appends <paramref name="count"/> new synthetic items, timestamped now, to an API's dataset.</summary>
    public void AppendItems(string apiName, int count) => Mounted(apiName).Append(null, count);

    /// <summary>
    /// Appends the given items to an API's dataset (as <c>POST /__admin/items/{api}</c> with an array):
    /// given ids and times are kept, missing ones are assigned. Returns how many were appended.
    /// </summary>
    public int AppendItems(string apiName, IEnumerable<JsonObject> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return Mounted(apiName).Append(items.ToList(), 0).Count;
    }

    private Engine.ApiRuntime Mounted(string apiName) =>
        _registry?.Apis.FirstOrDefault(a => string.Equals(a.Contract.Name, apiName, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"No API named {apiName} is mounted.", nameof(apiName));

    /// <summary>
    /// The request journal (credentials redacted), oldest first; only the entries that match
    /// <paramref name="filter"/> when one is given. The same entries as <c>GET /__admin/requests</c>.
    /// </summary>
    public IReadOnlyList<JournalEntry> Requests(RequestFilter? filter = null)
    {
        var all = _server?.Journal.Snapshot() ?? new List<JournalEntry>();
        return filter is null ? all : all.Where(filter.Matches).ToList();
    }

    /// <summary>Clears the request journal (as <c>DELETE /__admin/requests</c>).</summary>
    public void ClearRequests() => _server?.Journal.Clear();

    /// <summary>Stops listening.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }

        _registry?.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

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
