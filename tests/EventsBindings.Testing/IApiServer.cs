using EventsBindings.MockServer.Xunit;

namespace EventsBindings.Testing;

/// <summary>
/// A server that serves the mounted APIs, whichever host runs the engine (Kestrel or WireMock.Net): what the
/// walkers and oracles of the tests need of it.
/// </summary>
public interface IApiServer
{
    /// <summary>The base URL of an API by contract name; it ends with a slash.</summary>
    Uri ApiBaseAddress(string api);

    /// <summary>GETs a path under an API's base URL with its readable demo credential.</summary>
    Task<(int Status, string Body, HttpResponseMessage Response)> GetAsync(string api, string pathAndQuery);
}

/// <summary>Adapters to <see cref="IApiServer"/>.</summary>
public static class ApiServer
{
    /// <summary>A Kestrel-hosted mock fixture as an <see cref="IApiServer"/>.</summary>
    public static IApiServer Of(MockServerFixture fx) => new FixtureServer(fx ?? throw new ArgumentNullException(nameof(fx)));

    private sealed class FixtureServer(MockServerFixture fx) : IApiServer
    {
        public Uri ApiBaseAddress(string api) => fx.ApiBaseAddress(api);

        public Task<(int Status, string Body, HttpResponseMessage Response)> GetAsync(string api, string pathAndQuery) => fx.GetAsync(api, pathAndQuery);
    }
}
