using System.Text;
using EventsBindings.MockServer.Hosting;
using EventsBindings.MockServer.WireMock.Xunit;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.MockServer.WireMock.Tests;

/// <summary>The WireMock.Net fixture with the settings of this repository's tests (300 items, seed 7, a clock that stands still).</summary>
public sealed class TestWireMockFixture(FixedTimeProvider clock)
    : WireMockContractsFixture(new MockServerOptions { Events = 300, Seed = 7, TimeProvider = clock });

/// <summary>
/// Both hosts over the same dataset: the Kestrel host (the contract tests' <see cref="ClientsFixture"/>) and a
/// WireMock.Net server with the contracts registered through the adapter, with the same options and clock.
/// </summary>
public sealed class HostsFixture : IAsyncLifetime
{
    public HostsFixture()
    {
        Kestrel = new ClientsFixture();
        WireMock = new TestWireMockFixture(Kestrel.Clock);
    }

    public ClientsFixture Kestrel { get; }

    public TestWireMockFixture WireMock { get; }

    public async Task InitializeAsync()
    {
        await Kestrel.InitializeAsync();
        await WireMock.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await WireMock.DisposeAsync();
        await Kestrel.DisposeAsync();
    }

    /// <summary>
    /// The path and query (relative to the API's base URL) of a request with these wire values: path values
    /// in the template, the rest in the query, each escaped.
    /// </summary>
    public static string PathAndQuery(EndpointSpec endpoint, IReadOnlyDictionary<string, string> wire)
    {
        var path = endpoint.Path;
        var query = new StringBuilder();
        foreach (var (name, value) in wire.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var p = endpoint.FindParameter(name)!;
            if (p.In == ParameterLocation.Path)
            {
                path = path.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
            }
            else
            {
                query.Append(query.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        return path.TrimStart('/') + query;
    }

    /// <summary>A body with the host's own base address replaced, so that next links compare across hosts.</summary>
    public static string Neutral(string body, Uri baseAddress) =>
        body.Replace(baseAddress.ToString().TrimEnd('/'), "http://HOST", StringComparison.Ordinal);
}

[CollectionDefinition(Name)]
public sealed class HostsCollection : ICollectionFixture<HostsFixture>
{
    public const string Name = "hosts: Kestrel and WireMock.Net";
}
