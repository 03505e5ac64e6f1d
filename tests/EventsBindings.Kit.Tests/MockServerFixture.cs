using EventsBindings.MockServer.Hosting;

namespace EventsBindings.Kit.Tests;

/// <summary>One in-process mock server for the tests of a collection: the shipped fixture, with 400 items.</summary>
public sealed class MockServerFixture : EventsBindings.MockServer.Xunit.MockServerFixture
{
    public MockServerFixture()
        : base(new MockServerOptions { Port = 0, Events = 400, Seed = 7, HotReload = false })
    {
    }

    /// <summary>The API's base URL without the final slash, and a demo credential that may read, of the contract's first scheme.</summary>
    public (Uri BaseUrl, string Credential) Api(string name, string? scheme = null) =>
        (new Uri(ApiBaseAddress(name).ToString().TrimEnd('/')), Credential(name, scheme ?? Contracts.Named(name).Security[0]).Value);
}

[CollectionDefinition(Name)]
public sealed class MockServerCollection : ICollectionFixture<MockServerFixture>
{
    public const string Name = "mock server";
}
