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
    private WebApplication? _app;
    private MockServerEngine? _engine;
    private Uri? _baseAddress;

    /// <summary>Creates a server with the given options (defaults when null).</summary>
    public MockServerHost(MockServerOptions? options = null) => Options = options ?? new MockServerOptions();

    /// <summary>The options.</summary>
    public MockServerOptions Options { get; }

    /// <summary>The bound base address (<c>http://127.0.0.1:PORT/</c>); available after <see cref="StartAsync"/>.</summary>
    public Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException("The mock server is not started.");

    /// <summary>The mounted APIs.</summary>
    public IReadOnlyList<MockApiInfo> Apis => _engine is { } engine && _baseAddress is { } address ? engine.Apis(address) : Array.Empty<MockApiInfo>();

    /// <summary>The engine this host serves (the contracts, datasets and pipeline); available after <see cref="StartAsync"/>.</summary>
    public MockServerEngine Engine => _engine ?? throw new InvalidOperationException("The mock server is not started.");

    /// <summary>Messages the server logged (reloads, contract diagnostics), besides <see cref="MockServerOptions.Log"/>.</summary>
    public IReadOnlyList<string> Messages => _engine?.Messages ?? Array.Empty<string>();

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

        _engine = new MockServerEngine(Options);

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
        var engine = _engine;
        app.Run(engine.HandleAsync);
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
    public void Reload() => _engine?.Reload();

    /// <summary>Clears the journal, fault rules, throttling, issued tokens and appended items.</summary>
    public void Reset() => _engine?.Reset();

    /// <summary>Appends <paramref name="count"/> new synthetic items, timestamped now, to an API's dataset.</summary>
    public void AppendItems(string apiName, int count) => Engine.AppendItems(apiName, count);

    /// <summary>
    /// Appends the given items to an API's dataset (as <c>POST /__admin/items/{api}</c> with an array):
    /// given ids and times are kept, missing ones are assigned. Returns how many were appended.
    /// </summary>
    public int AppendItems(string apiName, IEnumerable<JsonObject> items)
        => Engine.AppendItems(apiName, items);

    /// <summary>
    /// The request journal (credentials redacted), oldest first; only the entries that match
    /// <paramref name="filter"/> when one is given. The same entries as <c>GET /__admin/requests</c>.
    /// </summary>
    public IReadOnlyList<JournalEntry> Requests(RequestFilter? filter = null)
        => _engine?.Requests(filter) ?? Array.Empty<JournalEntry>();

    /// <summary>Clears the request journal (as <c>DELETE /__admin/requests</c>).</summary>
    public void ClearRequests() => _engine?.ClearRequests();

    /// <summary>Stops listening.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }

        _engine?.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
