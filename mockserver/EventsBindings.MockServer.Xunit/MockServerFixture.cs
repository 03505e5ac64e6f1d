using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EventsBindings.MockServer.Admin;
using EventsBindings.MockServer.Hosting;
using Xunit;

namespace EventsBindings.MockServer.Xunit;

/// <summary>
/// Starts the mock server in-process on 127.0.0.1 and a free port (port 0) before the tests that
/// share it, and stops it after them. Use it as a class fixture (<c>IClassFixture&lt;MockServerFixture&gt;</c>)
/// or declare a collection of it in the test assembly (<c>ICollectionFixture&lt;MockServerFixture&gt;</c>).
/// Options are those of the command line (<see cref="MockServerOptions"/>): pass them from a derived
/// fixture's constructor, or override <see cref="Configure"/>.
/// </summary>
public class MockServerFixture : IAsyncLifetime
{
    private MockServerHost? _host;
    private HttpClient? _http;

    /// <summary>A fixture with the server's default options, on a free port.</summary>
    public MockServerFixture()
        : this(new MockServerOptions { Port = 0 })
    {
    }

    /// <summary>A fixture with the given options (set <see cref="MockServerOptions.Port"/> to 0 for a free port).</summary>
    public MockServerFixture(MockServerOptions options) => Options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>The options the server starts with (after <see cref="Configure"/>).</summary>
    public MockServerOptions Options { get; }

    /// <summary>The running server.</summary>
    public MockServerHost Host => _host ?? throw NotStarted();

    /// <summary>The server's base address (<c>http://127.0.0.1:PORT/</c>).</summary>
    public Uri BaseAddress => Host.BaseAddress;

    /// <summary>A client with <see cref="BaseAddress"/> and no credentials: for the admin routes (<c>/__admin/…</c>) and raw requests.</summary>
    public HttpClient Http => _http ?? throw NotStarted();

    /// <summary>The mounted APIs: names, base URLs, demo credentials, item counts.</summary>
    public IReadOnlyList<MockApiInfo> Apis => Host.Apis;

    /// <summary>Changes the options before the server starts; the default does nothing.</summary>
    /// <param name="options">The options, already holding those given to the constructor.</param>
    protected virtual void Configure(MockServerOptions options)
    {
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Configure(Options);
        _host = new MockServerHost(Options);
        var baseAddress = await _host.StartAsync().ConfigureAwait(false);
        _http = new HttpClient { BaseAddress = baseAddress };
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The base URL of an API by contract name; it ends with a slash, so relative paths append.</summary>
    public Uri ApiBaseAddress(string api) => Host.ApiBaseAddress(api);

    /// <summary>
    /// A demo credential of an API that may read: of <paramref name="scheme"/> (as named in the contract's
    /// <c>auth</c>) when given, else the first one that is sent as it is (not a refresh token).
    /// </summary>
    public MockCredentialInfo Credential(string api, string? scheme = null) => ReadableCredential(Host.Apis, api, scheme);

    /// <summary>
    /// A demo credential that may read, of the API named <paramref name="api"/> among <paramref name="apis"/>: of
    /// <paramref name="scheme"/> when given, else the first one that is sent as it is (not a refresh token). For
    /// fixtures of every host (Kestrel, WireMock.Net).
    /// </summary>
    /// <param name="apis">The mounted APIs.</param>
    /// <param name="api">The contract name.</param>
    /// <param name="scheme">The scheme's name in the contract's <c>auth</c>, or null.</param>
    public static MockCredentialInfo ReadableCredential(IEnumerable<MockApiInfo> apis, string api, string? scheme = null)
    {
        ArgumentNullException.ThrowIfNull(apis);
        var info = apis.SingleOrDefault(a => string.Equals(a.Name, api, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"No API named {api} is mounted.", nameof(api));
        return info.Credentials.FirstOrDefault(c => c.CanRead && (scheme is null ? c.Kind != "RefreshToken" : c.Scheme == scheme))
            ?? throw new ArgumentException($"{api} has no demo credential that may read" + (scheme is null ? "." : $" of the scheme {scheme}."), nameof(scheme));
    }

    /// <summary>A request to a path under an API's base URL, carrying the API's readable demo credential.</summary>
    /// <param name="api">The contract name.</param>
    /// <param name="pathAndQuery">Path and query relative to the API's base URL, such as <c>/&lt;path&gt;?&lt;parameter&gt;=&lt;value&gt;</c>.</param>
    /// <param name="method">The method; GET when null.</param>
    public HttpRequestMessage Request(string api, string pathAndQuery, HttpMethod? method = null)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri(ApiBaseAddress(api), pathAndQuery.TrimStart('/')));
        Authorize(request, Credential(api));
        return request;
    }

    /// <summary>Adds a credential to a request the way its scheme sends it: an API-key header, HTTP Basic (as the password), a bearer token or a token under a custom Authorization scheme.</summary>
    public static void Authorize(HttpRequestMessage request, MockCredentialInfo credential)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credential);
        switch (credential.Kind)
        {
            case "ApiKey":
                request.Headers.Add(credential.Header!, credential.Value);
                break;
            case "Basic":
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + credential.Value)));
                break;
            case "Authorization":
                request.Headers.Authorization = new AuthenticationHeaderValue(credential.AuthorizationScheme!, credential.Value);
                break;
            default:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential.Value);
                break;
        }
    }

    /// <summary>Sends a request and reads the answer: status, body text, and the response (for its headers).</summary>
    public async Task<(int Status, string Body, HttpResponseMessage Response)> SendAsync(HttpRequestMessage request)
    {
        var response = await Http.SendAsync(request).ConfigureAwait(false);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync().ConfigureAwait(false), response);
    }

    /// <summary>GETs a path under an API's base URL with its readable demo credential.</summary>
    public Task<(int Status, string Body, HttpResponseMessage Response)> GetAsync(string api, string pathAndQuery) => SendAsync(Request(api, pathAndQuery));

    /// <summary>Clears the journal, fault rules, throttling, issued tokens and appended items (as <c>POST /__admin/reset</c>).</summary>
    public void Reset() => Host.Reset();

    /// <summary>Appends <paramref name="count"/> synthetic items, timestamped now, to an API's dataset.</summary>
    public void AppendItems(string api, int count) => Host.AppendItems(api, count);

    /// <summary>Appends the given items to an API's dataset; missing ids and times are assigned. Returns how many were appended.</summary>
    public int AppendItems(string api, IEnumerable<JsonObject> items) => Host.AppendItems(api, items);

    /// <summary>The request journal, oldest first, with credentials redacted; only matching entries when <paramref name="filter"/> is given.</summary>
    public IReadOnlyList<JournalEntry> Requests(RequestFilter? filter = null) => Host.Requests(filter);

    /// <summary>Clears the request journal.</summary>
    public void ClearRequests() => Host.ClearRequests();

    private static InvalidOperationException NotStarted() => new("The mock server is not started: xunit starts it through IAsyncLifetime.InitializeAsync.");
}
