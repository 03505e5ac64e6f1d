using System.Net.Http.Headers;
using System.Text;
using EventsBindings.MockServer.Hosting;
using EventsBindings.Spec;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.Testing;

/// <summary>A clock that stands still, so that "now" is the same for the server and the tests.</summary>
public sealed class FixedTimeProvider : TimeProvider
{
    private DateTimeOffset _now;

    public FixedTimeProvider(DateTimeOffset now) => _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>
/// Starts the mock server in-process on 127.0.0.1, port 0, once per test collection (declare an
/// <c>ICollectionFixture</c> of it in the test assembly): <c>new MockServerHost(options)</c>,
/// <c>await StartAsync()</c>, a fixed clock, a few hundred items.
/// </summary>
public class MockServerFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);

    public MockServerHost Host { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public FixedTimeProvider Clock { get; } = new(Now);

    protected virtual void Configure(MockServerOptions options)
    {
    }

    public async Task InitializeAsync()
    {
        var options = new MockServerOptions { Port = 0, Events = 300, Seed = 7, TimeProvider = Clock };
        Configure(options);
        Host = new MockServerHost(options);
        var baseAddress = await Host.StartAsync();
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }

    /// <summary>A request to an API's path with its readable demo credential.</summary>
    public HttpRequestMessage Request(string api, string pathAndQuery, HttpMethod? method = null)
    {
        var info = Host.Apis.Single(a => a.Name == api);
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri(info.BaseAddress, pathAndQuery.TrimStart('/')));
        var credential = info.Credentials.First(c => c.CanRead && c.Kind != "RefreshToken");
        Authorize(request, credential);
        return request;
    }

    public static void Authorize(HttpRequestMessage request, MockCredentialInfo credential)
    {
        switch (credential.Kind)
        {
            case "ApiKey":
                request.Headers.Add(credential.Header!, credential.Value);
                break;
            case "Basic":
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + credential.Value)));
                break;
            default:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential.Value);
                break;
        }
    }

    public async Task<(int Status, string Body, HttpResponseMessage Response)> SendAsync(HttpRequestMessage request)
    {
        var response = await Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public Task<(int Status, string Body, HttpResponseMessage Response)> GetAsync(string api, string pathAndQuery) => SendAsync(Request(api, pathAndQuery));
}

/// <summary>The contracts, read the same way the server reads them.</summary>
public static class TestContracts
{
    private static readonly Lazy<IReadOnlyList<ContractSpec>> All = new(() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "contracts"), "*.yaml")
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => ContractReader.ParseFile(f))
            .Where(r => r.Success)
            .Select(r => r.Contract!)
            .ToList());

    public static IReadOnlyList<ContractSpec> Specs => All.Value;

    public static ContractSpec Get(string name) => Specs.Single(c => c.Name == name);

    public static string ContractsDirectory => Path.Combine(AppContext.BaseDirectory, "contracts");
}
