using System.Net;
using System.Net.Sockets;
using EventsBindings.MockServer.Hosting;
using EventsBindings.MockServer.Xunit;
using WireMock.Server;
using WireMock.Settings;
using Xunit;

namespace EventsBindings.MockServer.WireMock.Xunit;

/// <summary>
/// Starts a WireMock.Net server (with its admin API) on 127.0.0.1 and a free port and registers the contracts
/// on it (<see cref="WireMockServerContractExtensions.AddContracts(WireMockServer, MockServerOptions?, WireMockContractOptions?)"/>)
/// before the tests that share it; stops it after them. Use it as a class or collection fixture, as
/// <see cref="MockServerFixture"/>. Add your own mappings to <see cref="Server"/>: at WireMock.Net's default
/// priority they override the contract for the requests they match.
/// </summary>
public class WireMockContractsFixture : IAsyncLifetime
{
    private WireMockServer? _server;
    private WireMockContracts? _contracts;
    private HttpClient? _http;

    /// <summary>A fixture with the engine's default options.</summary>
    public WireMockContractsFixture()
        : this(new MockServerOptions())
    {
    }

    /// <summary>A fixture with the given engine options (dataset size, seed, clock, credentials; host and port are ignored).</summary>
    public WireMockContractsFixture(MockServerOptions options) => Options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>The engine's options (after <see cref="Configure"/>).</summary>
    public MockServerOptions Options { get; }

    /// <summary>How the contracts are registered (priority, log redaction), before the server starts.</summary>
    public WireMockContractOptions Registration { get; } = new();

    /// <summary>
    /// At most this many requests in WireMock.Net's request log (<see cref="WireMockServerSettings.MaxRequestLogCount"/>),
    /// the oldest dropped first; null keeps every request. Default 10,000: a long test run does not grow the log without bound.
    /// </summary>
    public int? MaxRequestLogCount { get; set; } = 10_000;

    /// <summary>
    /// Passed to WireMock.Net as <see cref="WireMockServerSettings.DoNotSaveDynamicResponseInLogEntry"/> (default true). Note:
    /// WireMock.Net.Minimal 2.31.0 still logs the bodies of callback answers, as every contract answer is.
    /// </summary>
    public bool DoNotSaveDynamicResponseInLogEntry { get; set; } = true;

    /// <summary>The running WireMock.Net server.</summary>
    public WireMockServer Server => _server ?? throw NotStarted();

    /// <summary>The contracts registered on <see cref="Server"/>.</summary>
    public WireMockContracts Contracts => _contracts ?? throw NotStarted();

    /// <summary>The server's base address (<c>http://127.0.0.1:PORT/</c>).</summary>
    public Uri BaseAddress => Contracts.BaseAddress;

    /// <summary>A client with <see cref="BaseAddress"/> and no credentials: for WireMock.Net's admin API (<c>/__admin/…</c>) and raw requests.</summary>
    public HttpClient Http => _http ?? throw NotStarted();

    /// <summary>The mounted APIs: names, base URLs on this server, demo credentials, item counts.</summary>
    public IReadOnlyList<MockApiInfo> Apis => Contracts.Apis;

    /// <summary>Changes the options and the server settings before the server starts; the default does nothing.</summary>
    /// <param name="options">The engine's options.</param>
    /// <param name="settings">WireMock.Net's settings (already bound to 127.0.0.1 and a free port, admin API on, with
    /// <see cref="MaxRequestLogCount"/> and <see cref="DoNotSaveDynamicResponseInLogEntry"/>).</param>
    protected virtual void Configure(MockServerOptions options, WireMockServerSettings settings)
    {
    }

    /// <inheritdoc />
    public Task InitializeAsync()
    {
        var url = "http://127.0.0.1:" + FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var settings = new WireMockServerSettings
        {
            Urls = new[] { url },
            StartAdminInterface = true,
            MaxRequestLogCount = MaxRequestLogCount,
            DoNotSaveDynamicResponseInLogEntry = DoNotSaveDynamicResponseInLogEntry,
        };
        Configure(Options, settings);
        Registration.BaseAddress ??= settings.Urls is [var bound] ? new Uri(bound) : null;
        _server = WireMockServer.Start(settings);
        _contracts = _server.AddContracts(Options, Registration);
        _http = new HttpClient { BaseAddress = _contracts.BaseAddress };
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        _http?.Dispose();
        _contracts?.Dispose();
        if (_server is not null)
        {
            _server.Stop();
            _server.Dispose();
        }

        return Task.CompletedTask;
    }

    /// <summary>The base URL of an API by contract name; it ends with a slash, so relative paths append.</summary>
    public Uri ApiBaseAddress(string api) => Contracts.ApiBaseAddress(api);

    /// <summary>A demo credential of an API that may read (of <paramref name="scheme"/> when given), as <see cref="MockServerFixture.Credential"/>.</summary>
    public MockCredentialInfo Credential(string api, string? scheme = null) => MockServerFixture.ReadableCredential(Apis, api, scheme);

    /// <summary>A request to a path under an API's base URL, carrying the API's readable demo credential.</summary>
    public HttpRequestMessage Request(string api, string pathAndQuery, HttpMethod? method = null)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri(ApiBaseAddress(api), pathAndQuery.TrimStart('/')));
        MockServerFixture.Authorize(request, Credential(api));
        return request;
    }

    /// <summary>Sends a request and reads the answer: status, body text, and the response (for its headers).</summary>
    public async Task<(int Status, string Body, HttpResponseMessage Response)> SendAsync(HttpRequestMessage request)
    {
        var response = await Http.SendAsync(request).ConfigureAwait(false);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync().ConfigureAwait(false), response);
    }

    /// <summary>GETs a path under an API's base URL with its readable demo credential.</summary>
    public Task<(int Status, string Body, HttpResponseMessage Response)> GetAsync(string api, string pathAndQuery) => SendAsync(Request(api, pathAndQuery));

    /// <summary>
    /// Clears WireMock.Net's request log and your own mappings (as <c>POST /__admin/reset</c>), registers the contract
    /// mappings again, and clears the engine's state (issued tokens, throttling, appended items).
    /// </summary>
    public void Reset()
    {
        Server.Reset();
        Contracts.Register();
        Contracts.ResetEngine();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static InvalidOperationException NotStarted() => new("The WireMock.Net server is not started: xunit starts it through IAsyncLifetime.InitializeAsync.");
}
