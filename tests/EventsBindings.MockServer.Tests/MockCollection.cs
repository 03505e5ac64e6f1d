using EventsBindings.Testing;
using Xunit;

namespace EventsBindings.MockServer.Tests;

/// <summary>One mock server for the test classes of this assembly (xunit needs the definition here).</summary>
[CollectionDefinition(Name)]
public sealed class MockCollection : ICollectionFixture<TestMockServerFixture>
{
    public const string Name = "mock";
}
