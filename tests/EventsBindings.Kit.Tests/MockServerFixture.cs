using EventsBindings.MockServer.Hosting;

namespace EventsBindings.Kit.Tests;

/// <summary>One in-process mock server for the tests of a collection.</summary>
public sealed class MockServerFixture : IAsyncLifetime
{
    public MockServerHost Host { get; } = new(new MockServerOptions { Port = 0, Events = 400, Seed = 7, HotReload = false });

    public Uri BaseAddress => Host.BaseAddress;

    public async Task InitializeAsync() => await Host.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>The API's base URL without the final slash, and a demo credential that may read, of the contract's first scheme.</summary>
    public (Uri BaseUrl, string Credential) Api(string name, string? scheme = null)
    {
        var api = Host.Apis.Single(a => a.Name == name);
        var contract = Contracts.Named(name);
        scheme ??= contract.Security[0];
        var credential = api.Credentials.First(c => c.CanRead && c.Scheme == scheme);
        return (new Uri(api.BaseAddress.ToString().TrimEnd('/')), credential.Value);
    }
}

[CollectionDefinition(Name)]
public sealed class MockServerCollection : ICollectionFixture<MockServerFixture>
{
    public const string Name = "mock server";
}
